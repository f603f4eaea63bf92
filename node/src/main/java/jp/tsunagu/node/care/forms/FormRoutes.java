package jp.tsunagu.node.care.forms;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.care.timeline.PostWriter;
import jp.tsunagu.node.care.timeline.PostSql;
import jp.tsunagu.node.care.timeline.PostRoutes;
import jp.tsunagu.node.care.timeline.Post;
import jp.tsunagu.node.care.teams.BoardKind;
import jp.tsunagu.node.care.patients.PatientSql;
import jp.tsunagu.node.care.patients.Patient;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.CareFeature;
import jp.tsunagu.node.care.CareErrors;
import jp.tsunagu.node.care.CareContext;
import jp.tsunagu.node.care.CareActor;
import jp.tsunagu.node.web.Answers;

/**
 * Forms (主治医意見書, 訪問看護指示書, 訪問看護報告書): the templates, filling one in for a patient
 * (stored as a timeline post of kind {@code form}, so the team sees it in order with everything
 * else), and reading it back as JSON, as a print page and as a PDF. Only members of the patient's
 * team get anything; every read is audited like any other read of patient data.
 */
public final class FormRoutes implements RouteSet {

  /** Form posts file under this timeline category. */
  static final String CATEGORY = "書類";
  private static final int SUMMARY_MAX = 200;

  /** A form post the caller may see, at the version asked for (the current one by default), with what its pages need. */
  private record Loaded(Post post, FormTemplate template, PostSql.Version version, Patient patient) {
    JsonObject values() {
      return new JsonObject(version.formData()).getJsonObject("values", new JsonObject());
    }

    FormDocument document() {
      return FormDocument.of(template, values(), post, version, patient);
    }
  }

  private final CareContext care;
  private final PostWriter writer;
  private final PostRoutes posts;

  public FormRoutes(CareContext care) {
    this.care = care;
    this.writer = new PostWriter(care);
    this.posts = new PostRoutes(care);
  }

  @Override
  public void mountApi(Router api) {
    api.get("/care/form-templates").handler(CareFeature.PROFESSIONALS).handler(this::templates);
    care.services().idempotency().guard(api.post("/patients/:boardId/forms").handler(CareFeature.PROFESSIONALS)
        .handler(AccessGuard::csrf)).handler(this::create);
    api.get("/posts/:postId/form").handler(CareFeature.PROFESSIONALS).handler(this::show);
    api.put("/posts/:postId/form").handler(CareFeature.PROFESSIONALS).handler(AccessGuard::csrf)
        .handler(this::edit);
    api.get("/posts/:postId/print").handler(CareFeature.PROFESSIONALS).handler(this::print);
    api.get("/posts/:postId/pdf").handler(CareFeature.PROFESSIONALS).handler(this::pdf);
  }

  private void templates(RoutingContext ctx) {
    ctx.json(new JsonObject().put("templates",
        new JsonArray(FormTemplates.all().stream().map(FormTemplate::toJson).toList())));
  }

  private void create(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    CareInput input = CareInput.of(ctx);
    FormTemplate template = FormValues.template(input.json().getValue("template") instanceof String id ? id : null);
    JsonObject values = FormValues.clean(template, rawValues(input));
    PostSql.NewPost post = new PostSql.NewPost(CareIds.next(), ctx.pathParam("boardId"), actor, CATEGORY, "form",
        summary(template, values), template.id(), stored(template, values), List.of(), List.of());
    Answers.keepWithCreate(ctx);
    writer.write(ctx.vertx(), BoardKind.PATIENT, post,
            (c, id) -> FormDrafts.delete(c, actor.userId(), ctx.pathParam("boardId"), template.id()))
        .onSuccess(json -> Answers.createdAsWritten(ctx, json))
        .onFailure(ctx::fail);
  }

  /**
   * A new version of a filled form, by its author only (as for any post: a member who is not the
   * author gets 403 {@code care.not_author}, anyone who may not see it 404). The answers are checked
   * against the form's template as when it was filed; the version before stays in
   * {@code post_versions} and in the audit log.
   */
  private void edit(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    String postId = ctx.pathParam("postId");
    JsonObject raw = rawValues(CareInput.of(ctx));
    live(ctx, actor, "care.form.edit").compose(found -> {
      FormTemplate template = FormTemplates.byId(found.post().formType()).orElseThrow();
      JsonObject values = FormValues.clean(template, raw);
      return care.database().write(c -> {
        Post post = PostSql.byId(c, postId);
        PostRoutes.requireOwnLivePost(actor, post);
        PostWriter.requireOpen(c, BoardKind.PATIENT, post.boardId());
        PostSql.edit(c, post, post.category(), summary(template, values), stored(template, values), care.now());
        care.audit().append(c, AuditEvent.success(actor.userId(), "care.form.edited", "post:" + postId,
            new JsonObject().put("version", post.version() + 1).put("previousForm", post.formData())));
        care.recordEvent(c, post.boardId(), care.events().edited(c, postId));
        var w = PostRoutes.written(c, postId, actor);
        care.recordLive(c, found.post().boardId(), PostWriter.event("edit", postId, w.recipients()));
        return w;
      }).onSuccess(w -> CareContext.boardChanged(ctx.vertx(), found.post().boardId()));
    }).onSuccess(w -> ctx.json(w.post())).onFailure(ctx::fail);
  }

  static JsonObject rawValues(CareInput input) {
    Object raw = input.json().getValue("values");
    if (raw != null && !(raw instanceof JsonObject)) {
      throw CareInput.malformed("書類の内容");
    }
    return (JsonObject) raw;
  }

  /** A form as stored in {@code posts.form_data} and in each of its versions. */
  private static String stored(FormTemplate template, JsonObject values) {
    return new JsonObject().put("template", template.id()).put("title", template.title()).put("values", values)
        .encode();
  }

  /** The timeline text of a form post: its title and the few answers that say what it is about. */
  static String summary(FormTemplate template, JsonObject values) {
    StringBuilder text = new StringBuilder(template.title());
    for (String key : template.summary()) {
      FormField field = template.field(key).orElseThrow();
      Object value = values.getValue(key);
      if (value != null) {
        String answer = FormDocument.answer(field, value).replaceAll("\\s+", " ");
        if (answer.codePointCount(0, answer.length()) > SUMMARY_MAX) {
          answer = answer.substring(0, answer.offsetByCodePoints(0, SUMMARY_MAX)) + "…";
        }
        text.append("\n").append(field.label()).append("：").append(answer);
      }
    }
    return text.toString();
  }

  private void show(RoutingContext ctx) {
    load(ctx, "care.form.read").onSuccess(form -> ctx.json(new JsonObject().put("postId", form.post().id())
        .put("template", form.template().toJson()).put("values", form.values())
        .put("version", form.version().version()).put("latestVersion", form.post().version())
        .put("writtenAt", form.version().writtenAt()).put("authorId", form.post().authorId())
        .put("patientId", form.patient().id()).put("print", link(form, "print")).put("pdf", link(form, "pdf"))))
        .onFailure(ctx::fail);
  }

  /** The print or PDF address of the version shown (without a version: always the current one). */
  private static String link(Loaded form, String what) {
    String path = "/api/v1/posts/" + form.post().id() + "/" + what;
    return form.version().version() == form.post().version() ? path : path + "?version=" + form.version().version();
  }

  private void print(RoutingContext ctx) {
    load(ctx, "care.form.print").onSuccess(form -> ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-store")
        .end(FormPrintPage.render(form.document(), link(form, "pdf"))))
        .onFailure(ctx::fail);
  }

  private void pdf(RoutingContext ctx) {
    String postId = ctx.pathParam("postId");
    // PDF layout measures every character: off the event loop.
    load(ctx, "care.form.pdf").compose(form -> ctx.vertx().executeBlocking(() ->
        FormPdf.render(JapanesePdfFont.find(JapanesePdfFont.systemFonts()), form.document()), false))
        .onSuccess(bytes -> ctx.response().putHeader("Content-Type", "application/pdf")
            .putHeader("Cache-Control", "no-store")
            .putHeader("Content-Disposition", "inline; filename=\"form-" + postId + ".pdf\"")
            .end(Buffer.buffer(bytes)))
        .onFailure(ctx::fail);
  }

  /**
   * The form post if the caller may see it and it is a live form on a patient's timeline; anything
   * else is the same audited 404 as a post the caller may not see.
   */
  private Future<PostSql.Located> live(RoutingContext ctx, CareActor actor, String action) {
    String postId = ctx.pathParam("postId");
    return posts.visible(actor, postId, action).compose(found -> {
      Post post = found.post();
      if (found.kind() != BoardKind.PATIENT || !"form".equals(post.kind()) || post.deleted()
          || FormTemplates.byId(post.formType()).isEmpty()) {
        return care.refused(actor, action, "post:" + postId)
            .transform(ignored -> Future.failedFuture(CareErrors.notFound()));
      }
      return Future.succeededFuture(found);
    });
  }

  /**
   * A live form post the caller may see, at the version of the {@code version} parameter (an older
   * version stays readable for every member) or the current one; the read is audited.
   */
  private Future<Loaded> load(RoutingContext ctx, String action) {
    CareActor actor = CareActor.of(ctx);
    String postId = ctx.pathParam("postId");
    String asked = ctx.request().getParam("version");
    return live(ctx, actor, action).compose(found -> {
      Post post = found.post();
      int version = asked == null ? post.version() : versionNumber(asked);
      return care.auditedRead(care.database().read(c -> {
        Patient patient = PatientSql.byId(c, post.boardId()).orElseThrow(CareErrors::notFound);
        PostSql.Version shown = PostSql.versions(c, postId).stream().filter(v -> v.version() == version)
            .findFirst().orElseThrow(FormRoutes::noSuchVersion);
        return new Loaded(post, FormTemplates.byId(post.formType()).orElseThrow(), shown, patient);
      }), actor, action, "post:" + postId);
    });
  }

  private static int versionNumber(String raw) {
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw noSuchVersion();
    }
  }

  static CodedException noSuchVersion() {
    return CodedException.notFound("care.version_not_found", "この版は見つかりません。");
  }
}
