package jp.tsunagu.node.resources;

import static jp.tsunagu.node.web.Html.escape;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.web.RouteSet;

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

  private void index(RoutingContext ctx) {
    String main = """
        <h1>オープンデータ</h1>
        <section class="card"><p>公開中の地域資源を、どなたでも自由に利用できるデータとして提供しています。
        「介護サービス事業所一覧」「公共施設一覧」はデジタル庁の自治体標準オープンデータセットの項目に沿っています。</p>
        <table class="data-table"><thead><tr><th>データ</th><th>CSV</th><th>JSON</th></tr></thead><tbody>
        %s%s%s</tbody></table></section>
        """.formatted(row("地域資源（すべての項目）", "resources"), row("介護サービス事業所一覧", "care-services"),
        row("公共施設一覧", "public-facilities"));
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(PortalLayout.page(settings,
        PortalLayout.Meta.simple("オープンデータ", "地域資源のオープンデータ（CSV・JSON）",
            PortalRoutes.baseUrl(ctx, settings) + "/opendata"), main));
  }

  private static String row(String label, String file) {
    return "<tr><td>" + escape(label) + "</td><td><a href=\"/opendata/" + file + ".csv\">" + file
        + ".csv</a></td><td><a href=\"/opendata/" + file + ".json\">" + file + ".json</a></td></tr>";
  }
}
