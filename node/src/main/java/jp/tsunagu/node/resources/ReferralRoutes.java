package jp.tsunagu.node.resources;

import static jp.tsunagu.node.web.Html.escape;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import jp.tsunagu.node.web.ApiException;
import jp.tsunagu.node.web.Feature;

/**
 * Matching (周辺資源) and referrals for professionals: published resources nearest a point or an
 * address, and referral sheets recorded, printed and rendered as PDF. The routes run behind the
 * guards they are given, since a referral names a resident.
 */
public final class ReferralRoutes implements Feature {

  private static final int MAX_NEARBY = 100;

  private final ResourceService service;
  private final Geocoder geocoder;
  private final PortalSettings settings;
  private final List<Handler<RoutingContext>> guards;

  public ReferralRoutes(ResourceService service, Geocoder geocoder, PortalSettings settings,
      List<Handler<RoutingContext>> guards) {
    this.service = service;
    this.geocoder = geocoder;
    this.settings = settings;
    this.guards = List.copyOf(guards);
  }

  @Override
  public void mountApi(Router api) {
    guarded(api.get("/nearby-resources")).handler(this::nearby);
    guarded(api.post("/referrals")).handler(this::create);
    // Under /api so the session is loaded for them; the sheet is HTML for printing all the same.
    guarded(api.get("/referrals/:id/sheet")).handler(this::sheet);
    guarded(api.get("/referrals/:id/pdf")).handler(this::pdf);
  }

  private Route guarded(Route route) {
    guards.forEach(route::handler);
    return route;
  }

  /** {@code lat}+{@code lon}, or {@code address} to geocode; plus the search filters. */
  private void nearby(RoutingContext ctx) {
    SearchQuery filters = SearchQuery.from(ctx.queryParams());
    int limit = limit(ctx.queryParams().get("limit"));
    origin(ctx).compose(place -> service.catalog().map(catalog -> {
      JsonArray items = new JsonArray();
      catalog.search(filters.from(place.point())).stream().limit(limit).forEach(hit -> items.add(
          ResourceJson.toJson(hit.resource(), catalog.vocabulary())
              .put("distanceMetres", Math.round(hit.metres().orElseThrow()))
              .put("introductions", catalog.introductions(hit.resource().id()))));
      return new JsonObject().put("origin", new JsonObject().put("latitude", place.point().latitude())
          .put("longitude", place.point().longitude()).put("label", place.label())).put("resources", items);
    })).onSuccess(ctx::json).onFailure(ctx::fail);
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
      return Future.failedFuture(ApiException.badRequest("resources.invalid_point",
          "緯度・経度は日本国内の数値で指定してください。"));
    }
    String address = ctx.queryParams().get("address");
    if (address == null) {
      return Future.failedFuture(ApiException.badRequest("resources.origin_required",
          "基準地点（住所、または緯度・経度）を指定してください。"));
    }
    return geocoder.locate(ctx.vertx(), address);
  }

  private static int limit(String text) {
    return text != null && text.matches("\\d{1,3}") ? Math.max(1, Math.min(MAX_NEARBY, Integer.parseInt(text))) : 20;
  }

  private void create(RoutingContext ctx) {
    JsonObject body = StaffResourceRoutes.body(ctx);
    Referral referral = ReferralInput.validate(body, Principal.required(ctx).user().id(), service.now());
    service.refer(referral).onSuccess(saved -> ctx.response().setStatusCode(201)
        .putHeader("Content-Type", "application/json").end(new JsonObject().put("id", saved.id())
            .put("sheet", "/api/v1/referrals/" + saved.id() + "/sheet")
            .put("pdf", "/api/v1/referrals/" + saved.id() + "/pdf").encode()))
        .onFailure(ctx::fail);
  }

  /**
   * A referral names a resident, so only the professional who wrote it may open it again; anyone
   * else gets the same 404 as for an id that does not exist.
   */
  private Future<ReferralSheet> sheetOf(RoutingContext ctx, String id) {
    String reader = Principal.required(ctx).user().id();
    return service.referral(id).map(referral -> {
      if (!referral.createdBy().equals(Optional.of(reader))) {
        throw ApiException.notFound("referrals.not_found", "紹介状が見つかりません。");
      }
      return referral;
    }).compose(referral -> service.catalog().compose(catalog ->
        service.all().map(all -> {
          List<Resource> resources = new ArrayList<>();
          for (String rid : referral.resourceIds()) {
            all.stream().filter(r -> r.id().equals(rid)).findFirst().ifPresent(resources::add);
          }
          return ReferralSheet.of(referral, resources, catalog.vocabulary(), settings.networkName());
        })));
  }

  private void sheet(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    sheetOf(ctx, id).onSuccess(sheet -> {
      StringBuilder main = new StringBuilder("<article class=\"referral-sheet print-sheet\">")
          .append("<p class=\"no-print\"><button type=\"button\" class=\"button\" data-action=\"print\">印刷する</button> ")
          .append("<a class=\"button secondary\" href=\"/api/v1/referrals/").append(escape(id)).append("/pdf\">PDF</a></p>")
          .append("<h1>").append(escape(sheet.title())).append("</h1>");
      sheet.intro().forEach(line -> main.append("<p>").append(escape(line)).append("</p>"));
      for (ReferralSheet.Item item : sheet.items()) {
        main.append("<section class=\"referral-resource\"><h2>").append(escape(item.heading())).append("</h2><ul>");
        item.facts().forEach(f -> main.append("<li>").append(escape(f)).append("</li>"));
        main.append("</ul></section>");
      }
      sheet.closing().forEach(line -> main.append("<p>").append(escape(line)).append("</p>"));
      main.append("</article>");
      ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-store")
          .end(PortalLayout.page(settings, new PortalLayout.Meta(sheet.title(), sheet.title(), "/api/v1/referrals/" + id + "/sheet",
              Optional.empty(), Optional.empty(), false, "website"), main.toString())
              .replace("<body class=\"portal\">", "<body class=\"portal print-view\">")
              .replace("<head>", "<head>\n<meta name=\"robots\" content=\"noindex\">"));
    }).onFailure(ctx::fail);
  }

  private void pdf(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    sheetOf(ctx, id).compose(sheet -> ctx.vertx().executeBlocking(() ->
        ReferralPdf.render(ReferralPdf.font(JapanesePdfFont.SYSTEM_FONTS), sheet), false))
        .onSuccess(bytes -> ctx.response().putHeader("Content-Type", "application/pdf")
            .putHeader("Content-Disposition", "inline; filename=\"referral-" + id + ".pdf\"")
            .putHeader("Cache-Control", "no-store").end(Buffer.buffer(bytes)))
        .onFailure(ctx::fail);
  }
}
