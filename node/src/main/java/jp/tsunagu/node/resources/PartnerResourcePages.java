package jp.tsunagu.node.resources;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.Templates;

/**
 * Partner nodes' resources on the public portal: a section of search results marked with the
 * partner's municipality, and a read-only page per resource that says whose it is. They are not in
 * the sitemap (the partner's own portal is their home) and have no edit route anywhere.
 */
final class PartnerResourcePages implements RouteSet {

  static final int MAX_SHOWN = 50;

  private final ResourceService service;
  private final PortalSettings settings;

  PartnerResourcePages(ResourceService service, PortalSettings settings) {
    this.service = service;
    this.settings = settings;
  }

  static String path(PartnerResources.Hit hit) {
    return "/resources/partners/" + hit.partner().node() + "/" + hit.hit().resource().id();
  }

  static String municipalities(PartnerResources.Partner partner) {
    return String.join("・", partner.municipalities().stream().map(code -> ReferenceData.get().municipality(code)
        .map(ReferenceData.Municipality::nameJa).orElse(code)).toList());
  }

  /** The partners' hits of a portal search ({@code resources/partnerSection.jte}): those shown, and how many. */
  record Section(List<PartnerResources.Hit> shown, int total) {}

  /** A partner's resource's page ({@code resources/partnerPage.jte}). */
  record Page(PortalSettings settings, PortalLayout.Meta meta, PartnerResources.Hit hit, String municipalities) {}

  /** The partners' hits for a portal search; the section shows nothing when there are none. */
  static Section section(PartnerResources partners, SearchQuery query) {
    List<PartnerResources.Hit> hits = partners.search(query);
    return new Section(hits.subList(0, Math.min(MAX_SHOWN, hits.size())), hits.size());
  }

  /**
   * Partner resources nearest a point for matching (周辺資源): read-only, marked with their
   * municipality and network, with how many of this node's referral sheets introduced them.
   */
  static io.vertx.core.json.JsonArray nearby(PartnerResources partners, Catalog local, SearchQuery query, int limit) {
    io.vertx.core.json.JsonArray items = new io.vertx.core.json.JsonArray();
    partners.search(query).stream().limit(limit).forEach(hit -> items.add(ResourceJson.toJson(hit.hit().resource(),
        hit.vocabulary()).put("page", path(hit)).put("photos", new io.vertx.core.json.JsonArray())
        .put("partner", hit.partner().node()).put("partnerName", hit.partner().displayName())
        .put("partnerMunicipalities", municipalities(hit.partner()))
        .put("distanceMetres", Math.round(hit.hit().metres().orElseThrow()))
        .put("introductions", local.introductions(hit.partner().node(), hit.hit().resource().id()))));
    return items;
  }

  @Override
  public void mountPages(Router root) {
    root.get("/resources/partners/:node/:id").handler(this::page);
  }

  private void page(RoutingContext ctx) {
    PartnerResources.Hit hit = service.partners().find(ctx.pathParam("node"), ctx.pathParam("id"))
        .orElseThrow(ResourceService::notFound);
    Resource r = hit.hit().resource();
    String from = municipalities(hit.partner());
    PortalLayout.Meta meta = PortalLayout.Meta.simple(r.name() + "（" + from + "）", from + "の地域資源「" + r.name() + "」",
        PortalRoutes.baseUrl(ctx, settings) + path(hit));
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-store")
        .end(Templates.render("resources/partnerPage.jte", new Page(settings, meta, hit, from)));
  }
}
