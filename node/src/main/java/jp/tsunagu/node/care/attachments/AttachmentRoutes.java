package jp.tsunagu.node.care.attachments;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.PercentDecoding;
import jp.tsunagu.node.web.TextPolicy;
import jp.tsunagu.node.web.TextRule;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.CareFeature;
import jp.tsunagu.node.care.CareErrors;
import jp.tsunagu.node.care.CareContext;
import jp.tsunagu.node.care.CareActor;
import jp.tsunagu.node.web.Answers;

/**
 * Uploads and downloads of attachments. An upload is the raw file as the request body (its name
 * in {@code X-File-Name}, percent-encoded); it is checked by content, stored by hash and returned
 * as an id the next post refers to. Downloads go only to those who may see the post.
 */
public final class AttachmentRoutes implements RouteSet {

  static final String UPLOAD_PATH = "/api/v1/uploads";

  private final CareContext care;

  public AttachmentRoutes(CareContext care) {
    this.care = care;
  }

  /**
   * Uploads are larger than JSON requests: their own body limit, ahead of the listener's general
   * body handler (which then sees the body already read and lets it pass).
   */
  @Override
  public void mountFilters(Router root) {
    root.post(UPLOAD_PATH).order(-1).handler(BodyHandler.create(false)
        .setBodyLimit(care.services().config().limits().uploadBytes()));
  }

  @Override
  public void mountApi(Router api) {
    care.services().idempotency().guard(api.post("/uploads").handler(CareFeature.PROFESSIONALS)
        .handler(AccessGuard::csrf)).handler(this::upload);
    api.get("/attachments/:attachmentId").handler(CareFeature.PROFESSIONALS)
        .handler(ctx -> download(ctx, false));
    api.get("/attachments/:attachmentId/thumbnail").handler(CareFeature.PROFESSIONALS)
        .handler(ctx -> download(ctx, true));
  }

  private void upload(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    Buffer body = ctx.body().buffer();
    String fileName = fileName(ctx.request().getHeader("X-File-Name"));
    if (body == null || body.length() == 0) {
      throw CodedException.invalid("care.attachment_empty", "空のファイルは添付できません。");
    }
    byte[] content = body.getBytes();
    AttachmentType type = AttachmentType.detect(content).orElseThrow(() -> CodedException.invalid(
        "care.attachment_unsupported", "この形式のファイルは添付できません（写真・PDF・Word・Excel・FAX画像・DICOM が添付できます）。"));
    if (!type.allowsName(fileName)) {
      throw CodedException.invalid("care.attachment_name_mismatch", "ファイル名の拡張子と内容が一致しません。");
    }
    String declared = declaredType(ctx);
    if (!declared.isEmpty() && !declared.equals("application/octet-stream") && !declared.equals(type.mediaType())) {
      throw CodedException.invalid("care.attachment_type_mismatch", "ファイルの種類と内容が一致しません。");
    }
    String hash = AttachmentFiles.sha256(content);
    Answers.keepWithCreate(ctx, 201, Attachment.class, Attachment::toJson);
    ctx.vertx().executeBlocking(() -> care.files().store(hash, content, type), false)
        .compose(thumbnail -> {
          Attachment attachment = new Attachment(CareIds.next(), hash, fileName, type.mediaType(), content.length,
              thumbnail, actor.userId(), null);
          return care.database().write(c -> {
            AttachmentSql.insert(c, attachment, care.now());
            care.audit().append(c, AuditEvent.success(actor.userId(), "care.attachment.uploaded",
                "attachment:" + attachment.id(), null));
            return attachment;
          });
        })
        .onSuccess(a -> Answers.created(ctx, a.toJson()))
        .onFailure(ctx::fail);
  }

  private static String declaredType(RoutingContext ctx) {
    String header = ctx.request().getHeader("Content-Type");
    return header == null ? "" : header.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
  }

  private static String fileName(String header) {
    if (header == null || header.isBlank()) {
      throw CodedException.invalid("validation.required", "ファイル名を指定してください。");
    }
    String name = TextPolicy.check(PercentDecoding.strict(header).orElseThrow(() -> CareInput.malformed("ファイル名")),
        TextRule.line("fileName", "ファイル名", 200)).strip();
    if (name.isEmpty() || name.contains("/") || name.contains("\\")) {
      throw CareInput.malformed("ファイル名");
    }
    return name;
  }

  private void download(RoutingContext ctx, boolean thumbnail) {
    CareActor actor = CareActor.of(ctx);
    String id = ctx.pathParam("attachmentId");
    String action = thumbnail ? "care.attachment.thumbnail" : "care.attachment.download";
    care.database().read(c -> AttachmentSql.downloadable(c, id, actor.userId())).compose(found -> {
      if (found.isEmpty() || (thumbnail && !found.get().thumbnail())) {
        return care.refused(actor, action, "attachment:" + id)
            .transform(ignored -> io.vertx.core.Future.<Attachment>failedFuture(CareErrors.notFound()));
      }
      return care.audit().record(AuditEvent.success(actor.userId(), action, "attachment:" + id, null))
          .map(ignored -> found.get());
    }).compose(a -> {
      Path file = thumbnail ? care.files().thumbnailFile(a.sha256()) : care.files().file(a.sha256());
      ctx.response().putHeader("Content-Type", thumbnail ? "image/jpeg" : a.mediaType())
          .putHeader("Content-Disposition", (thumbnail ? "inline" : "attachment") + "; filename*=UTF-8''"
              + URLEncoder.encode(a.fileName(), StandardCharsets.UTF_8).replace("+", "%20"))
          .putHeader("Cache-Control", "private, no-store");
      return ctx.response().sendFile(file.toString());
    }).onFailure(ctx::fail);
  }
}
