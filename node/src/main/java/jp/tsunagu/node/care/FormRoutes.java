package jp.tsunagu.node.care;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import jp.tsunagu.node.web.Feature;

/**
 * Forms (主治医意見書, 訪問看護指示書, 訪問看護報告書): the templates, filling one in for a patient
 * (stored as a timeline post of kind {@code form}, so the team sees it in order with everything
 * else), and reading it back as JSON, as a print page and as a PDF. Only members of the patient's
 * team get anything; every read is audited like any other read of patient data.
 */
final class FormRoutes implements Feature {

  /** Form posts file under this timeline category. */
  static final String CATEGORY = "書類";
  private static final int SUMMARY_MAX = 200;

  /** A form post the caller may see, with what its pages need. */
  private record Loaded(Post post, FormTemplate template, JsonObject values, Patient patient) {
    FormDocument document() {
      return FormDocument.of(template, values, post, patient);
    }
  }

  private final CareContext care;
  private final PostWriter writer;
  private final PostRoutes posts;

  FormRoutes(CareContext care) {
    this.care = care;
    this.writer = new PostWriter(care);
    this.posts = new PostRoutes(care);
  }

  @Override
  public void mountApi(Router api) {
    api.get("/care/form-templates").handler(CareFeatures.PROFESSIONALS).handler(this::templates);
    api.post("/patients/:boardId/forms").handler(CareFeatures.PROFESSIONALS).handler(AccessGuard::csrf)
        .handler(this::create);
    api.get("/posts/:postId/form").handler(CareFeatures.PROFESSIONALS).handler(this::show);
    api.get("/posts/:postId/print").handler(CareFeatures.PROFESSIONALS).handler(this::print);
    api.get("/posts/:postId/pdf").handler(CareFeatures.PROFESSIONALS).handler(this::pdf);
  }

  private void templates(RoutingContext ctx) {
    ctx.json(new JsonObject().put("templates",
        new JsonArray(FormTemplates.all().stream().map(FormTemplate::toJson).toList())));
  }

  private void create(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    CareInput input = CareInput.of(ctx);
    FormTemplate template = FormValues.template(input.json().getValue("template") instanceof String id ? id : null);
    Object rawValues = input.json().getValue("values");
    if (rawValues != null && !(rawValues instanceof JsonObject)) {
      throw CareInput.malformed("書類の内容");
    }
    JsonObject values = FormValues.clean(template, (JsonObject) rawValues);
    JsonObject stored = new JsonObject().put("template", template.id()).put("title", template.title())
        .put("values", values);
    PostSql.NewPost post = new PostSql.NewPost(CareIds.next(), ctx.pathParam("boardId"), actor, CATEGORY, "form",
        summary(template, values), template.id(), stored.encode(), List.of(), List.of());
    writer.write(ctx.vertx(), BoardKind.PATIENT, post, (c, id) -> { })
        .onSuccess(json -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
            .end(json.encode()))
        .onFailure(ctx::fail);
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
        .put("patientId", form.patient().id()).put("print", "/api/v1/posts/" + form.post().id() + "/print")
        .put("pdf", "/api/v1/posts/" + form.post().id() + "/pdf")))
        .onFailure(ctx::fail);
  }

  private void print(RoutingContext ctx) {
    load(ctx, "care.form.print").onSuccess(form -> ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-store")
        .end(FormPrintPage.render(form.document(), "/api/v1/posts/" + form.post().id() + "/pdf")))
        .onFailure(ctx::fail);
  }

  private void pdf(RoutingContext ctx) {
    String postId = ctx.pathParam("postId");
    // PDF layout measures every character: off the event loop.
    load(ctx, "care.form.pdf").compose(form -> ctx.vertx().executeBlocking(() ->
        FormPdf.render(FormPdf.font(JapanesePdfFont.SYSTEM_FONTS), form.document()), false))
        .onSuccess(bytes -> ctx.response().putHeader("Content-Type", "application/pdf")
            .putHeader("Cache-Control", "no-store")
            .putHeader("Content-Disposition", "inline; filename=\"form-" + postId + ".pdf\"")
            .end(Buffer.buffer(bytes)))
        .onFailure(ctx::fail);
  }

  /**
   * The form post if the caller may see it and it is a live form on a patient's timeline; anything
   * else is the same audited 404 as a post the caller may not see. The read itself is audited.
   */
  private Future<Loaded> load(RoutingContext ctx, String action) {
    CareActor actor = CareActor.of(ctx);
    String postId = ctx.pathParam("postId");
    String target = "post:" + postId;
    return posts.visible(actor, postId, action).compose(found -> {
      Post post = found.post();
      if (found.kind() != BoardKind.PATIENT || !"form".equals(post.kind()) || post.deleted()
          || FormTemplates.byId(post.formType()).isEmpty()) {
        return care.refused(actor, action, target).transform(ignored -> Future.failedFuture(CareErrors.notFound()));
      }
      return care.auditedRead(care.database().read(c -> PatientSql.byId(c, post.boardId()).orElseThrow(
          CareErrors::notFound)), actor, action, target)
          .map(patient -> new Loaded(post, FormTemplates.byId(post.formType()).orElseThrow(),
              new JsonObject(post.formData()).getJsonObject("values", new JsonObject()), patient));
    });
  }
}
