package jp.tsunagu.node.resources;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.web.RouteSet;
import java.util.List;
import jp.tsunagu.node.web.Templates;

/**
 * Open data downloads: {@code /opendata/resources.csv|json} (every published resource) and the
 * standard datasets {@code /opendata/care-services.csv|json}, {@code /opendata/public-facilities.csv|json},
 * plus a page that lists them. CSV is UTF-8 with BOM so Excel on Japanese Windows opens it right.
 */
public final class OpenDataRoutes implements RouteSet {

  private final ResourceService service;
  private final PortalSettings settings;

  public OpenDataRoutes(ResourceService service, PortalSettings settings) {
    this.service = service;
    this.settings = settings;
  }

  @Override
  public void mountPages(Router root) {
    root.get("/opendata").handler(this::index);
    root.get("/opendata/:file").handler(this::download);
  }

  private void download(RoutingContext ctx) {
    String file = ctx.pathParam("file");
    OpenDataExport.Dataset dataset = switch (file.replaceAll("\\.(csv|json)$", "")) {
      case "resources" -> OpenDataExport.Dataset.ALL;
      case "care-services" -> OpenDataExport.Dataset.CARE_SERVICE;
      case "public-facilities" -> OpenDataExport.Dataset.PUBLIC_FACILITY;
      default -> null;
    };
    if (dataset == null || !file.matches(".*\\.(csv|json)")) {
      ctx.next();
      return;
    }
    service.catalog().onSuccess(catalog -> {
      var rows = OpenDataExport.rows(dataset, catalog);
      ctx.response().putHeader("Cache-Control", "public, max-age=300")
          .putHeader("Access-Control-Allow-Origin", "*");
      if (file.endsWith(".csv")) {
        ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"" + file + "\"")
            .end("\uFEFF" + OpenDataExport.csv(dataset, rows));
      } else {
        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
            .end(OpenDataExport.json(rows).encode());
      }
    }).onFailure(ctx::fail);
  }

  /** A download of the index: its file name without extension and what it holds. */
  record Download(String file, String label) {}

  /** The index page ({@code resources/openData.jte}). */
  record Index(PortalSettings settings, PortalLayout.Meta meta, List<Download> downloads) {}

  private void index(RoutingContext ctx) {
    List<Download> downloads = List.of(new Download("resources", "地域資源（すべての項目）"),
        new Download("care-services", "介護サービス事業所一覧"), new Download("public-facilities", "公共施設一覧"));
    PortalLayout.Meta meta = PortalLayout.Meta.simple("オープンデータ", "地域資源のオープンデータ（CSV・JSON）",
        PortalRoutes.baseUrl(ctx, settings) + "/opendata");
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .end(Templates.render("resources/openData.jte", new Index(settings, meta, downloads)));
  }
}
