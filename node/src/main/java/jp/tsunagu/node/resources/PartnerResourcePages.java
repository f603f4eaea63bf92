package jp.tsunagu.node.resources;

import static jp.tsunagu.node.web.Html.escape;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.web.RouteSet;

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

  /** The partners' hits for a portal search, or nothing when there are none. */
  static String section(PartnerResources partners, SearchQuery query) {
    List<PartnerResources.Hit> hits = partners.search(query);
    if (hits.isEmpty()) {
      return "";
    }
    StringBuilder html = new StringBuilder("<section class=\"card partner-resources\"><h2>連携市町村の地域資源（")
        .append(hits.size()).append(" 件）</h2><p>広域連携協定を結んだ市町村が公開している地域資源です。")
        .append("内容は各市町村が管理しています。</p><ol id=\"partner-results\" class=\"resource-list\">");
    hits.stream().limit(MAX_SHOWN).forEach(hit -> item(html, hit));
    return html.append("</ol></section>").toString();
  }

  private static void item(StringBuilder html, PartnerResources.Hit hit) {
    ResourceFields f = hit.hit().resource().fields();
    html.append("<li class=\"resource-item partner-item\" data-partner=\"").append(escape(hit.partner().node()))
        .append("\"><a class=\"resource-name\" href=\"").append(escape(path(hit))).append("\">")
        .append(escape(f.name())).append("</a> <span class=\"badge partner-badge\">")
        .append(escape(municipalities(hit.partner()))).append("</span> <span class=\"badge\">")
        .append(escape(hit.vocabulary().nameOf(f.subCategory().orElse(f.category())))).append("</span>");
    hit.hit().metres().ifPresent(m -> html.append(" <span class=\"distance\">").append(ResourceHtml.distance(m))
        .append("</span>"));
    html.append("<div class=\"resource-meta\">").append(escape(ResourceHtml.fullAddress(f)));
    String schedule = f.schedule().labelJa();
    if (!schedule.isBlank()) {
      html.append("<br>").append(escape(schedule));
    }
    html.append("</div></li>");
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
    String main = "<article class=\"card resource\"><p class=\"partner-note\"><span class=\"badge partner-badge\">"
        + escape(from) + "</span> この情報は連携先の" + escape(hit.partner().displayName()) + "（" + escape(from)
        + "）が公開しているものです。内容のお問い合わせは掲載元へお願いします。</p><h1>" + escape(r.name()) + "</h1>"
        + ResourceHtml.facts(r, hit.vocabulary()) + ResourceHtml.paragraphs(r.fields().description())
        + "</article>";
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-store")
        .end(PortalLayout.page(settings, PortalLayout.Meta.simple(r.name() + "（" + from + "）",
            from + "の地域資源「" + r.name() + "」", PortalRoutes.baseUrl(ctx, settings) + path(hit)), main));
  }
}
