package jp.tsunagu.node.family;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.RouteSet;

/**
 * Photos on the family's notebook entries, taken on the phone: the raw image is the request body
 * (at most {@code limits.uploadBytes}), stored in care's attachment storage and tied to the entry's
 * notice, so the team sees it on the timeline and the family on the entry. Only the account's own
 * patient's entries take photos; at most {@link #PER_ENTRY} an entry and the entries' hourly
 * allowance of photos an account. Every upload, refusal and view is audited against the patient.
 */
final class PhotoRoutes implements RouteSet {

  static final int PER_ENTRY = 4;
  static final String UPLOAD_PATH = "/api/v1/family/notebook/entries/:entryId/photos";

  private final FamilyContext family;
  private final FamilyPhotoEvents photoEvents;

  PhotoRoutes(FamilyContext family, FamilyPhotoEvents photoEvents) {
    this.family = family;
    this.photoEvents = photoEvents;
  }

  /** A photo is larger than a JSON request: its own body limit, ahead of the listener's general one. */
  @Override
  public void mountFilters(Router root) {
    root.post(UPLOAD_PATH).order(-1).handler(BodyHandler.create(false)
        .setBodyLimit(family.services().config().limits().uploadBytes()));
  }

  @Override
  public void mountApi(Router api) {
    api.post("/family/notebook/entries/:entryId/photos").handler(FamilySessions::requireCaller).handler(this::upload);
    api.get("/family/notebook/photos/:photoId").handler(FamilySessions::requireCaller).handler(this::photo);
  }

  private void upload(RoutingContext ctx) {
    FamilyAccount account = FamilySessions.caller(ctx).account();
    String actor = FamilyContext.actor(account.id());
    String target = FamilyContext.patientTarget(account.patientId());
    String entryId = ctx.pathParam("entryId");
    Buffer body = ctx.body().buffer();
    byte[] content = body == null ? new byte[0] : body.getBytes();
    // Checked before the file is stored, and again in the transaction that records it.
    family.services().database().read(c -> check(c, account, entryId))
        .compose(postId -> ctx.vertx().executeBlocking(() -> family.notices().storePhoto(content, "ご家族の写真"), false)
            .compose(stored -> stored.isPresent() ? Future.succeededFuture(stored.get())
                : Future.<TimelineNotices.NoticePhoto>failedFuture(FamilyErrors.photoNotImage())))
        .compose(photo -> family.services().database().write(c -> {
          String postId = check(c, account, entryId);
          family.notices().attachPhoto(c, postId, account.invitedBy(), photo);
          // The notice's post event has left already: the photo follows it to the team's partners.
          photoEvents.attached(c, account.patientId(), postId,
              family.notices().postAuthor(c, account.patientId(), postId).orElse(account.invitedBy()), photo);
          FamilySql.insertPhoto(c, photo.id(), entryId, account.id(), account.patientId(), family.now().toString());
          family.audit().append(c, AuditEvent.success(actor, "family.photo.attached", target,
              new JsonObject().put("entry", entryId).put("photo", photo.id())));
          return new JsonObject().put("id", photo.id()).put("entry", entryId).put("mediaType", photo.mediaType());
        }))
        .recover(e -> e instanceof CodedException coded && coded.code().startsWith("family.")
            ? family.<JsonObject>refused(actor, "family.photo.attach", target, coded) : Future.failedFuture(e))
        .onSuccess(json -> Answers.created(ctx, json)).onFailure(ctx::fail);
  }

  /** The entry's notice, when the entry is the patient's and may take one more photo from this account. */
  private String check(Connection c, FamilyAccount account, String entryId) throws SQLException {
    FamilySql.EntryOf entry = FamilySql.entryOfPatient(c, entryId, account.patientId())
        .orElseThrow(FamilyErrors::notFound);
    if (entry.postId() == null) {
      throw FamilyErrors.entryWithoutNotice();
    }
    String hourAgo = family.now().minus(java.time.Duration.ofHours(1)).toString();
    if (FamilySql.photosOfEntry(c, entryId) >= PER_ENTRY
        || FamilySql.photosSince(c, account.id(), hourAgo) >= family.entriesPerHour()) {
      throw FamilyErrors.tooManyPhotos();
    }
    return entry.postId();
  }

  private void photo(RoutingContext ctx) {
    FamilyAccount account = FamilySessions.caller(ctx).account();
    String actor = FamilyContext.actor(account.id());
    String target = FamilyContext.patientTarget(account.patientId());
    String photoId = ctx.pathParam("photoId");
    boolean thumbnail = "thumbnail".equals(ctx.request().getParam("size"));
    family.services().database().read(c -> {
      Optional<String> notice = FamilySql.photoNotice(c, photoId, account.patientId());
      return notice.isEmpty() ? Optional.<TimelineNotices.PhotoFile>empty()
          : family.notices().photoFile(c, notice.get(), photoId, thumbnail);
    }).compose(file -> file.isEmpty()
        ? family.<TimelineNotices.PhotoFile>refused(actor, "family.photo.read", target, FamilyErrors.notFound())
        : family.audit().record(AuditEvent.success(actor, "family.photo.read", target,
            new JsonObject().put("photo", photoId))).map(x -> file.get()))
        .compose(file -> ctx.response().putHeader("Content-Type", file.mediaType())
            .putHeader("Cache-Control", "private, no-store").putHeader("X-Content-Type-Options", "nosniff")
            .sendFile(file.path().toString()))
        .onFailure(ctx::fail);
  }
}
