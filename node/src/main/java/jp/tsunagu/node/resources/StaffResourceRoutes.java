package jp.tsunagu.node.resources;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RequestIds;
import jp.tsunagu.node.web.TextPolicy;
import jp.tsunagu.node.web.TextRule;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.idempotency.IdempotencyKeys;

/**
 * The municipal staff's API for resources: list (with keyword and status filters), create, edit,
 * publish and unpublish, photos, the category and tag vocabulary, what the edit screen needs
 * (municipalities, map tiles, CSV columns), and CSV import with its validation report. Every
 * route first runs the guards it was given (role and CSRF checks; see {@link ResourcesFeature}).
 */
public final class StaffResourceRoutes implements RouteSet {

  private static final int MAX_PHOTO_BYTES = 2 * 1024 * 1024;

  private static final int MAX_LISTED = 200;

  private final ResourceService service;
  private final IdempotencyKeys keys;
  private final PortalSettings settings;
  private final List<Handler<RoutingContext>> guards;

  public StaffResourceRoutes(ResourceService service, PortalSettings settings, List<Handler<RoutingContext>> guards,
      IdempotencyKeys keys) {
    this.keys = keys;
    this.service = service;
    this.settings = settings;
    this.guards = List.copyOf(guards);
  }

  @Override
  public void mountApi(Router api) {
    Guards.on(api.get("/staff/resources"), guards).handler(this::list);
    keys.guard(Guards.on(api.post("/staff/resources"), guards)).handler(this::create);
    keys.guard(Guards.on(api.post("/staff/resources/import"), guards)).handler(this::importCsv);
    Guards.on(api.get("/staff/resources/:id"), guards).handler(this::one);
    Guards.on(api.put("/staff/resources/:id"), guards).handler(this::update);
    Guards.on(api.post("/staff/resources/:id/publish"), guards).handler(ctx -> publish(ctx, true));
    Guards.on(api.post("/staff/resources/:id/unpublish"), guards).handler(ctx -> publish(ctx, false));
    keys.guard(Guards.on(api.post("/staff/resources/:id/photos"), guards)).handler(this::addPhoto);
    Guards.on(api.get("/staff/resources/:id/photos/:photo"), guards).handler(this::photo);
    Guards.on(api.get("/staff/resource-vocabulary"), guards).handler(this::vocabulary);
    Guards.on(api.get("/staff/resource-form"), guards).handler(this::formOptions);
    keys.guard(Guards.on(api.post("/staff/resource-categories"), guards)).handler(this::addCategory);
    keys.guard(Guards.on(api.post("/staff/resource-tags"), guards)).handler(this::addTag);
  }

  /**
   * Every resource, published or not, newest change first; {@code q} keeps those whose name, kana,
   * address or category contain every term, {@code status} is {@code published} or
   * {@code unpublished}. At most {@value #MAX_LISTED} are sent; {@code total} counts them all.
   */
  private void list(RoutingContext ctx) {
    List<String> terms = Catalog.terms(Optional.ofNullable(ctx.queryParams().get("q")).orElse(""));
    Optional<Boolean> published = switch (Optional.ofNullable(ctx.queryParams().get("status")).orElse("")) {
      case "published" -> Optional.of(true);
      case "unpublished" -> Optional.of(false);
      default -> Optional.empty();
    };
    service.catalog().compose(catalog -> service.all().map(all -> {
      Vocabulary v = catalog.vocabulary();
      List<Resource> found = all.stream()
          .filter(r -> published.map(p -> p == r.published()).orElse(true))
          .filter(r -> terms.isEmpty() || Catalog.containsAll(Catalog.fold(String.join("\n", r.name(),
              r.fields().nameKana(), r.fields().address(), v.nameOf(r.fields().category()),
              r.fields().subCategory().map(v::nameOf).orElse(""))), terms))
          .sorted(java.util.Comparator.comparing(Resource::updatedAt).reversed()).toList();
      JsonArray items = new JsonArray();
      found.stream().limit(MAX_LISTED).forEach(resource -> items.add(ResourceJson.toJson(resource, v)
          .put("introductions", catalog.introductions(resource.id()))));
      return new JsonObject().put("total", found.size()).put("resources", items);
    })).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  /** What the edit and import screens need besides the vocabulary. */
  private void formOptions(RoutingContext ctx) {
    service.catalog().map(catalog -> {
      JsonArray municipalities = new JsonArray();
      settings.municipalities().forEach(code -> municipalities.add(new JsonObject().put("code", code).put("name",
          ReferenceData.get().municipality(code).map(ReferenceData.Municipality::nameJa).orElse(code))));
      JsonArray columns = new JsonArray();
      for (ResourceField field : ResourceField.values()) {
        columns.add(new JsonObject().put("key", field.key()).put("header", field.headerJa()));
      }
      return ResourceJson.vocabulary(catalog.vocabulary()).put("municipalities", municipalities)
          .put("map", ResourceJson.map(settings, catalog.centre())).put("csvColumns", columns);
    }).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  /** Staff see the photos of unpublished resources too. */
  private void photo(RoutingContext ctx) {
    service.photo(ctx.pathParam("id"), ctx.pathParam("photo"), false).onSuccess(photo -> ctx.response()
        .putHeader("Content-Type", photo.contentType()).end(io.vertx.core.buffer.Buffer.buffer(photo.bytes())))
        .onFailure(ctx::fail);
  }

  private void one(RoutingContext ctx) {
    service.catalog().compose(catalog -> service.byId(ctx.pathParam("id"))
        .map(r -> ResourceJson.toJson(r, catalog.vocabulary()).put("introductions", catalog.introductions(r.id()))))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = JsonBodies.required(ctx);
    boolean publish = Boolean.TRUE.equals(body.getValue("published"));
    // Creating a resource changes no vocabulary: the one read now is the one its answer is made with.
    respond(ctx, service.catalog().compose(catalog -> {
      Answers.keepWithCreate(ctx, 201, Resource.class, made -> ResourceJson.toJson(made, catalog.vocabulary()));
      return service.create(ResourceJson.raw(body), publish);
    }), 201);
  }

  private void update(RoutingContext ctx) {
    JsonObject body = JsonBodies.required(ctx);
    Optional<Boolean> publish = body.getValue("published") instanceof Boolean b ? Optional.of(b) : Optional.empty();
    respond(ctx, service.update(ctx.pathParam("id"), ResourceJson.raw(body), publish), 200);
  }

  private void publish(RoutingContext ctx, boolean published) {
    respond(ctx, service.setPublished(ctx.pathParam("id"), published), 200);
  }

  private void respond(RoutingContext ctx, io.vertx.core.Future<Resource> result, int status) {
    result.compose(resource -> service.catalog().map(c -> ResourceJson.toJson(resource, c.vocabulary())))
        .onSuccess(json -> Answers.json(ctx, status, json))
        .onFailure(ctx::fail); // an InvalidResource names every problem in its details
  }

  private void importCsv(RoutingContext ctx) {
    String type = Optional.ofNullable(ctx.request().getHeader("Content-Type")).orElse("");
    if (!type.startsWith("text/csv") && !type.startsWith("application/octet-stream")) {
      ctx.fail(CodedException.unsupported("resources.csv_content_type", "CSV ファイル（text/csv）を送信してください。"));
      return;
    }
    byte[] bytes = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    boolean dryRun = "true".equals(ctx.request().getParam("dryRun"));
    Function<ImportReport, JsonObject> answer = report -> report.toJson()
        .put("code", report.ok() ? "resources.imported" : "resources.csv_invalid").put("requestId", RequestIds.of(ctx));
    Answers.keepWithCreate(ctx, 200, ImportReport.class, report -> report.ok() ? answer.apply(report) : null);
    service.importCsv(bytes, dryRun).onSuccess(report -> Answers.json(ctx, report.ok() ? 200 : 422,
            answer.apply(report)))
        .onFailure(ctx::fail);
  }

  private void addPhoto(RoutingContext ctx) {
    String type = Optional.ofNullable(ctx.request().getHeader("Content-Type")).orElse("").split(";")[0].strip();
    if (!List.of("image/jpeg", "image/png").contains(type)) {
      ctx.fail(CodedException.unsupported("resources.photo_type", "写真は JPEG または PNG で送信してください。"));
      return;
    }
    byte[] bytes = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    if (bytes.length == 0 || bytes.length > MAX_PHOTO_BYTES) {
      ctx.fail(CodedException.invalid("resources.photo_size", "写真は 2MB 以内にしてください。"));
      return;
    }
    String caption = Optional.ofNullable(ctx.request().getParam("caption")).orElse("").strip();
    String shortCaption = caption.codePointCount(0, caption.length()) > 100
        ? caption.substring(0, caption.offsetByCodePoints(0, 100)) : caption;
    Function<String, JsonObject> answer = Answers.keepWithCreate(ctx, 201, String.class, id -> new JsonObject()
        .put("id", id).put("url", "/resources/" + ctx.pathParam("id") + "/photos/" + id));
    ctx.vertx().executeBlocking(() -> PhotoContent.checked(type, bytes,
            TextPolicy.check(shortCaption, TextRule.line("caption", "写真の説明", 100))))
        .compose(photo -> service.addPhoto(ctx.pathParam("id"), photo))
        .onSuccess(id -> Answers.created(ctx, answer.apply(id)))
        .onFailure(ctx::fail);
  }

  private void vocabulary(RoutingContext ctx) {
    service.catalog().map(c -> ResourceJson.vocabulary(c.vocabulary())).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void addCategory(RoutingContext ctx) {
    JsonObject body = JsonBodies.required(ctx);
    String code = body.getString("code", "");
    String name = body.getString("name", "").strip();
    Optional<String> parent = Optional.ofNullable(body.getString("parent")).filter(s -> !s.isBlank());
    Optional<String> dataset = Optional.ofNullable(body.getString("openDataSet")).filter(s -> !s.isBlank());
    if (!code.matches("[a-z][a-z0-9_.]{1,59}") || name.isEmpty() || name.codePointCount(0, name.length()) > 60
        || dataset.filter(d -> !d.equals("care_service") && !d.equals("public_facility")).isPresent()) {
      ctx.fail(CodedException.invalid("resources.invalid_category",
          "カテゴリのコード（英小文字・数字・_ .）と名前（60文字以内）を確認してください。"));
      return;
    }
    Answers.keepWithCreate(ctx, 201, Vocabulary.class, ResourceJson::vocabulary);
    service.catalog().compose(c -> {
      if (c.vocabulary().category(code).isPresent()) {
        return io.vertx.core.Future.failedFuture(CodedException.conflict("resources.category_exists",
            "カテゴリ「" + code + "」はすでにあります。"));
      }
      if (parent.isPresent() && c.vocabulary().category(parent.get()).filter(Category::topLevel).isEmpty()) {
        return io.vertx.core.Future.failedFuture(CodedException.invalid("resources.unknown_category",
            "親カテゴリ「" + parent.get() + "」はありません。"));
      }
      return service.addCategory(new Category(code, parent, name, dataset, c.vocabulary().categories().size() * 10));
    }).map(ResourceJson::vocabulary).onSuccess(json -> Answers.created(ctx, json)).onFailure(ctx::fail);
  }

  private void addTag(RoutingContext ctx) {
    String tag = JsonBodies.required(ctx).getString("name", "").strip();
    if (tag.isEmpty() || tag.codePointCount(0, tag.length()) > 30 || tag.matches(".*[;；、,，].*")) {
      ctx.fail(CodedException.invalid("resources.invalid_tag", "タグは区切り記号を含まない30文字以内にしてください。"));
      return;
    }
    Answers.keepWithCreate(ctx, 201, Vocabulary.class, ResourceJson::vocabulary);
    service.catalog().compose(c -> c.vocabulary().tags().contains(tag)
        ? io.vertx.core.Future.<Vocabulary>failedFuture(CodedException.conflict("resources.tag_exists",
            "タグ「" + tag + "」はすでにあります。"))
        : service.addTag(tag)).map(ResourceJson::vocabulary).onSuccess(json -> Answers.created(ctx, json))
        .onFailure(ctx::fail);
  }
}
