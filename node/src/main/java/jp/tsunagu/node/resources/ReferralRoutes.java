package jp.tsunagu.node.resources;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.Templates;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.idempotency.IdempotencyKeys;

/**
 * Matching (周辺資源) and referrals for professionals: published resources nearest a point or an
 * address, and referral sheets recorded, printed and rendered as PDF. The routes run behind the
 * guards they are given, since a referral names a resident. A referral for a patient is opened by
 * the patient's care team and nobody else; every creation, read and refusal is audited.
 */
public final class ReferralRoutes implements RouteSet {

  private static final int MAX_NEARBY = 100;

  private final ResourceService service;
  private final IdempotencyKeys keys;
  private final Geocoder geocoder;
  private final PortalSettings settings;
  private final PatientAccess patients;
  private final List<Handler<RoutingContext>> guards;

  public ReferralRoutes(ResourceService service, Geocoder geocoder, PortalSettings settings, PatientAccess patients,
      List<Handler<RoutingContext>> guards, IdempotencyKeys keys) {
    this.keys = keys;
    this.service = service;
    this.geocoder = geocoder;
    this.settings = settings;
    this.patients = patients;
    this.guards = List.copyOf(guards);
  }

  @Override
  public void mountApi(Router api) {
    Guards.on(api.get("/nearby-resources"), guards).handler(this::nearby);
    keys.guard(Guards.on(api.post("/referrals"), guards)).handler(this::create);
    // Under /api so the session is loaded for them; the sheet is HTML for printing all the same.
    Guards.on(api.get("/referrals/:id/sheet"), guards).handler(this::sheet);
    Guards.on(api.get("/referrals/:id/pdf"), guards).handler(this::pdf);
  }

  /** {@code lat}+{@code lon}, or {@code address} to geocode; plus the search filters. */
  private void nearby(RoutingContext ctx) {
    SearchQuery filters = SearchQuery.from(ctx.queryParams());
    int limit = limit(ctx.queryParams().get("limit"));
    origin(ctx).compose(place -> service.catalog().map(catalog -> nearby(catalog, service.partners(), place, filters,
        limit, settings))).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  /**
   * The hits nearest {@code place}, this node's ({@code resources}) and, apart, the partners' shown
   * now ({@code partnerResources}), each nearest first, with the map settings the screens draw them with.
   */
  static JsonObject nearby(Catalog catalog, PartnerResources partners, Geocoder.Place place, SearchQuery filters,
      int limit, PortalSettings settings) {
    return local(catalog, place, filters, limit, settings)
        .put("partnerResources", PartnerResourcePages.nearby(partners, catalog, filters.from(place.point()), limit));
  }

  private static JsonObject local(Catalog catalog, Geocoder.Place place, SearchQuery filters, int limit,
      PortalSettings settings) {
    JsonArray items = new JsonArray();
    List<Catalog.Hit> hits = catalog.search(filters.from(place.point()));
    hits.stream().limit(limit).forEach(hit -> items.add(ResourceJson.toJson(hit.resource(), catalog.vocabulary())
        .put("distanceMetres", Math.round(hit.metres().orElseThrow()))
        .put("introductions", catalog.introductions(hit.resource().id()))));
    return new JsonObject().put("origin", new JsonObject().put("latitude", place.point().latitude())
        .put("longitude", place.point().longitude()).put("label", place.label())).put("total", hits.size())
        .put("resources", items).put("map", ResourceJson.map(settings, java.util.Optional.of(place.point())));
  }

  private Future<Geocoder.Place> origin(RoutingContext ctx) {
    String lat = ctx.queryParams().get("lat");
    String lon = ctx.queryParams().get("lon");
    if (lat != null && lon != null) {
      try {
        GeoPoint point = new GeoPoint(Double.parseDouble(lat), Double.parseDouble(lon));
        if (point.inJapan()) {
          return Future.succeededFuture(new Geocoder.Place(point, "指定地点"));
        }
      } catch (NumberFormatException e) {
        // refused below like any other bad point
      }
      return Future.failedFuture(CodedException.invalid("resources.invalid_point",
          "緯度・経度は日本国内の数値で指定してください。"));
    }
    String address = ctx.queryParams().get("address");
    if (address == null) {
      return Future.failedFuture(CodedException.invalid("resources.origin_required",
          "基準地点（住所、または緯度・経度）を指定してください。"));
    }
    return geocoder.locate(ctx.vertx(), address);
  }

  static int limit(String text) {
    return text != null && text.matches("\\d{1,3}") ? Math.max(1, Math.min(MAX_NEARBY, Integer.parseInt(text))) : 20;
  }

  /** With {@code patientId}, only a member of that patient's team may refer, and the sheet names the patient. */
  private void create(RoutingContext ctx) {
    JsonObject body = JsonBodies.required(ctx);
    String author = Principal.required(ctx).user().id();
    Referral input = ReferralInput.validate(body, author, service.now());
    Function<Referral, JsonObject> answer = Answers.keepWithCreate(ctx, 201, Referral.class,
        saved -> new JsonObject().put("id", saved.id()).put("sheet", "/api/v1/referrals/" + saved.id() + "/sheet")
            .put("pdf", "/api/v1/referrals/" + saved.id() + "/pdf"));
    Future<Referral> ready = input.patientId().isEmpty() ? Future.succeededFuture(input)
        : patients.forMember(author, input.patientId().get(), "referral.create")
            .map(patient -> input.forPatient(patient.id(), patient.name()));
    ready.compose(referral -> service.refer(referral, AuditEvent.success(author, "referral.create",
        target(referral), new JsonObject().put("referral", referral.id()).put("resources", referral.size()))))
        .onSuccess(saved -> Answers.created(ctx, answer.apply(saved)))
        .onFailure(ctx::fail);
  }

  /** Audit entries of a referral are filed under its patient when it has one. */
  static String target(Referral referral) {
    return referral.patientId().map(p -> "patient:" + p).orElse("referral:" + referral.id());
  }

  /**
   * A referral names a resident: one for a patient is opened by the active members of the
   * patient's care team, one without a patient by its author alone. Anyone else gets the same
   * 404 as for an id that does not exist, and the refusal is audited like the read.
   */
  private Future<Referral> readable(String reader, String id, String action) {
    return service.referral(id).compose(referral -> allowed(reader, referral, action).transform(result -> {
      if (result.succeeded()) {
        return service.audited(AuditEvent.success(reader, action, target(referral),
            new JsonObject().put("referral", referral.id())), referral);
      }
      // A refusal (care.not_found for a non-member) reads like a missing sheet; anything else stays itself.
      return Future.failedFuture(result.cause() instanceof CodedException refusal && refusal.kind().isRefusal()
          ? notFound() : result.cause());
    }));
  }

  private Future<Void> allowed(String reader, Referral referral, String action) {
    if (referral.patientId().isPresent()) {
      return patients.forMember(reader, referral.patientId().get(), action).mapEmpty();
    }
    if (referral.createdBy().equals(Optional.of(reader))) {
      return Future.succeededFuture();
    }
    return service.audited(AuditEvent.refused(reader, action, target(referral),
        new JsonObject().put("reason", "not_the_author")), null).compose(ignored -> Future.failedFuture(notFound()));
  }

  static CodedException notFound() {
    return CodedException.notFound("referrals.not_found", "紹介状が見つかりません。");
  }

  private Future<ReferralSheet> sheetOf(RoutingContext ctx, String id, String action) {
    return readable(Principal.required(ctx).user().id(), id, action).compose(referral -> service.catalog().compose(catalog ->
        service.all().map(all -> {
          List<Resource> resources = new ArrayList<>();
          for (String rid : referral.resourceIds()) {
            all.stream().filter(r -> r.id().equals(rid)).findFirst().ifPresent(resources::add);
          }
          return ReferralSheet.of(referral, resources, catalog.vocabulary(), settings.networkName());
        })));
  }

  /** The sheet's print page ({@code resources/referralSheet.jte}). */
  record SheetPage(PortalSettings settings, PortalLayout.Meta meta, String id, ReferralSheet sheet) {}

  private void sheet(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    sheetOf(ctx, id, "referral.read_sheet").onSuccess(sheet -> {
      PortalLayout.Meta meta = new PortalLayout.Meta(sheet.title(), sheet.title(),
          "/api/v1/referrals/" + id + "/sheet", Optional.empty(), Optional.empty(), false, "website");
      ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-store")
          .end(Templates.render("resources/referralSheet.jte", new SheetPage(settings, meta, id, sheet)));
    }).onFailure(ctx::fail);
  }

  private void pdf(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    sheetOf(ctx, id, "referral.read_pdf").compose(sheet -> ctx.vertx().executeBlocking(() ->
        ReferralPdf.render(JapanesePdfFont.find(JapanesePdfFont.systemFonts()), sheet), false))
        .onSuccess(bytes -> ctx.response().putHeader("Content-Type", "application/pdf")
            .putHeader("Content-Disposition", "inline; filename=\"referral-" + id + ".pdf\"")
            .putHeader("Cache-Control", "no-store").end(Buffer.buffer(bytes)))
        .onFailure(ctx::fail);
  }
}
