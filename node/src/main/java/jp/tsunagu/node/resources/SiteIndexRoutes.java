package jp.tsunagu.node.resources;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.web.RouteSet;

/**
 * {@code /sitemap.xml} (the portal's pages and every published resource, nothing else) and
 * {@code /robots.txt} (the portal and open data may be crawled; the API and staff screens not).
 */
public final class SiteIndexRoutes implements RouteSet {

  private final ResourceService service;
  private final PortalSettings settings;

  public SiteIndexRoutes(ResourceService service, PortalSettings settings) {
    this.service = service;
    this.settings = settings;
  }

  @Override
  public void mountPages(Router root) {
    root.get("/sitemap.xml").handler(this::sitemap);
    root.get("/robots.txt").handler(this::robots);
  }

  private void sitemap(RoutingContext ctx) {
    String base = PortalRoutes.baseUrl(ctx, settings);
    service.catalog().onSuccess(catalog -> {
      StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
          .append("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
      for (String page : new String[] {"/resources", "/resources/search", "/resources/map", "/opendata"}) {
        url(xml, base + page, null);
      }
      for (Resource r : catalog.allPublished()) {
        url(xml, base + r.path(), r.updatedAt().toString().substring(0, 10));
      }
      ctx.response().putHeader("Content-Type", "application/xml; charset=utf-8")
          .putHeader("Cache-Control", "public, max-age=300").end(xml.append("</urlset>\n").toString());
    }).onFailure(ctx::fail);
  }

  private static void url(StringBuilder xml, String loc, String lastModified) {
    xml.append("  <url><loc>").append(jp.tsunagu.node.web.Html.escape(loc)).append("</loc>");
    if (lastModified != null) {
      xml.append("<lastmod>").append(lastModified).append("</lastmod>");
    }
    xml.append("</url>\n");
  }

  private void robots(RoutingContext ctx) {
    String base = PortalRoutes.baseUrl(ctx, settings);
    ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("""
        User-agent: *
        Allow: /resources
        Allow: /opendata
        Disallow: /api/
        Disallow: /staff/
        Disallow: /referrals/
        Disallow: /resources/*/print

        Sitemap: %s/sitemap.xml
        """.formatted(base));
  }
}
