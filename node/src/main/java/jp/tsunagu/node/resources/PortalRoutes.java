package jp.tsunagu.node.resources;

import static jp.tsunagu.node.web.Html.escape;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.web.RouteSet;

/**
 * The public portal: server-rendered pages anyone may read without logging in, so search engines
 * index them and they work without script. Only published resources exist here; anything else
 * is a 404 like a resource that never existed.
 */
public final class PortalRoutes implements RouteSet {

  static final int PAGE_SIZE = 50;

  private final ResourceService service;
  private final PortalSettings settings;

  public PortalRoutes(ResourceService service, PortalSettings settings) {
    this.service = service;
    this.settings = settings;
  }

  @Override
  public void mountPages(Router root) {
    root.get("/webjars/leaflet/*").handler(StaticHandler.create("META-INF/resources/webjars/leaflet")
        .setDirectoryListing(false).setMaxAgeSeconds(86_400));
    root.get("/resources").handler(this::home);
    root.get("/resources/search").handler(this::search);
    root.get("/resources/map").handler(this::map);
    root.get("/resources/:id").handler(this::resource);
    root.get("/resources/:id/print").handler(this::print);
    root.get("/resources/:id/photos/:photo").handler(this::photo);
  }

  /** The portal's configured public address: links never follow the {@code Host} a request names. */
  static String baseUrl(RoutingContext ctx, PortalSettings settings) {
    return settings.publicUrl();
  }

  private void html(RoutingContext ctx, String html) {
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "public, max-age=60").end(html);
  }

  private void home(RoutingContext ctx) {
    service.catalog().onSuccess(catalog -> {
      Vocabulary v = catalog.vocabulary();
      StringBuilder main = new StringBuilder("<section class=\"hero card\"><h1>地域の通いの場・施設・支えあいをさがす</h1>")
          .append("<p>").append(escape(municipalityNames())).append("の介護施設、サロンや体操教室などの通いの場、")
          .append("買い物支援、多目的トイレなどを、地図と一覧でさがせます。</p>")
          .append(searchForm(SearchQuery.ALL, v)).append("</section>");
      main.append("<section class=\"card\"><h2>種類からさがす</h2>");
      List<String[]> categories = new ArrayList<>();
      for (Category c : v.topLevel()) {
        long count = catalog.search(new SearchQuery("", Optional.of(c.code()), Optional.empty(), Optional.empty(),
            Optional.empty())).size();
        categories.add(new String[] {"/resources/search?category=" + enc(c.code()), c.nameJa() + "（" + count + "）"});
      }
      main.append(PortalLayout.links(categories)).append("</section>");
      main.append("<section class=\"card\"><h2>こんな場所をさがす</h2>");
      main.append(PortalLayout.links(v.tags().stream()
          .map(t -> new String[] {"/resources/search?tag=" + enc(t), t}).toList())).append("</section>");
      main.append("<section class=\"card\"><h2>地図で見る</h2><p><a class=\"button\" href=\"/resources/map\">")
          .append("地図で地域資源を見る</a>（掲載 ").append(catalog.allPublished().size()).append(" 件）</p></section>");
      html(ctx, PortalLayout.page(settings, PortalLayout.Meta.simple("地域資源さがし",
          municipalityNames() + "の医療介護施設、通いの場、買い物支援などの地域資源を地図と一覧でさがせます。",
          baseUrl(ctx, settings) + "/resources"), main.toString()));
    }).onFailure(ctx::fail);
  }

  private void search(RoutingContext ctx) {
    SearchQuery query = SearchQuery.from(ctx.queryParams());
    int page = page(ctx);
    service.catalog().onSuccess(catalog -> {
      List<Catalog.Hit> hits = catalog.search(query);
      List<Catalog.Hit> shown = hits.subList(Math.min(hits.size(), (page - 1) * PAGE_SIZE),
          Math.min(hits.size(), page * PAGE_SIZE));
      StringBuilder main = new StringBuilder("<h1>地域資源をさがす</h1>")
          .append("<section class=\"card\">").append(searchForm(query, catalog.vocabulary())).append("</section>")
          .append("<p class=\"result-count\" role=\"status\">")
          .append(hits.isEmpty() ? "見つかりませんでした（0 件）" : hits.size() + " 件見つかりました")
          .append(hits.size() > PAGE_SIZE ? "（" + page + " ページ目）" : "").append("</p>");
      // No hits: what to try instead, and no map (an empty one shows all of Japan and says nothing).
      main.append(hits.isEmpty() ? NoResults.html(catalog, query) : "<div class=\"results-layout\">"
              + ResourceHtml.map(settings, "results") + catalog.listHtml("results", shown) + "</div>")
          .append(pager(ctx, page, hits.size()))
          .append(PartnerResourcePages.section(service.partners(), query));
      html(ctx, PortalLayout.page(settings, PortalLayout.Meta.simple(query.any() ? "検索結果" : "地域資源をさがす",
          "キーワード・種類・タグ・地域から地域資源をさがせます。", baseUrl(ctx, settings) + "/resources/search")
          .mapped(), main.toString()));
    }).onFailure(ctx::fail);
  }

  private void map(RoutingContext ctx) {
    SearchQuery query = SearchQuery.from(ctx.queryParams());
    service.catalog().onSuccess(catalog -> {
      List<Catalog.Hit> hits = catalog.search(query);
      String main = "<h1>地図で見る</h1><section class=\"card\">" + searchForm(query, catalog.vocabulary(),
          "/resources/map") + "</section>" + ResourceHtml.map(settings, "map-list")
          + "<h2 class=\"list-heading\">一覧（" + hits.size() + " 件）</h2>"
          + catalog.listHtml("map-list", hits);
      html(ctx, PortalLayout.page(settings, PortalLayout.Meta.simple("地図で見る",
          "地域資源の場所を地図で確認できます。", baseUrl(ctx, settings) + "/resources/map").mapped(), main));
    }).onFailure(ctx::fail);
  }

  private void resource(RoutingContext ctx) {
    service.catalog().onSuccess(catalog -> {
      Resource r = catalog.published(ctx.pathParam("id")).orElseThrow(ResourceService::notFound);
      String base = baseUrl(ctx, settings);
      html(ctx, ResourcePage.render(settings, r, catalog.vocabulary(), base));
    }).onFailure(ctx::fail);
  }

  private void print(RoutingContext ctx) {
    service.catalog().onSuccess(catalog -> {
      Resource r = catalog.published(ctx.pathParam("id")).orElseThrow(ResourceService::notFound);
      html(ctx, ResourcePage.print(settings, r, catalog.vocabulary(), baseUrl(ctx, settings)));
    }).onFailure(ctx::fail);
  }

  private void photo(RoutingContext ctx) {
    service.photo(ctx.pathParam("id"), ctx.pathParam("photo"), true).onSuccess(photo -> ctx.response()
        .putHeader("Content-Type", photo.contentType()).putHeader("Cache-Control", "public, max-age=3600")
        .end(io.vertx.core.buffer.Buffer.buffer(photo.bytes()))).onFailure(ctx::fail);
  }

  private String searchForm(SearchQuery query, Vocabulary v) {
    return searchForm(query, v, "/resources/search");
  }

  private String searchForm(SearchQuery query, Vocabulary v, String action) {
    StringBuilder html = new StringBuilder("<form class=\"search-form\" method=\"get\" action=\"").append(action)
        .append("\" role=\"search\"><label>キーワード<input type=\"search\" name=\"q\" value=\"")
        .append(escape(query.keyword())).append("\" placeholder=\"例: 体操、サロン、送迎\"></label>");
    html.append("<label>種類<select name=\"category\"><option value=\"\">すべて</option>");
    for (Category top : v.topLevel()) {
      option(html, top.code(), top.nameJa(), query.category());
      for (Category sub : v.childrenOf(top.code())) {
        option(html, sub.code(), "　" + sub.nameJa(), query.category());
      }
    }
    html.append("</select></label><label>タグ<select name=\"tag\"><option value=\"\">すべて</option>");
    v.tags().forEach(t -> option(html, t, t, query.tag()));
    html.append("</select></label><label>地域<select name=\"area\"><option value=\"\">すべて</option>");
    for (String code : settings.municipalities()) {
      option(html, code, ReferenceData.get().municipality(code).map(ReferenceData.Municipality::nameJa).orElse(code),
          query.municipality());
    }
    return html.append("</select></label><button type=\"submit\" class=\"button\">さがす</button></form>").toString();
  }

  private static void option(StringBuilder html, String value, String label, Optional<String> selected) {
    html.append("<option value=\"").append(escape(value)).append('"')
        .append(selected.map(value::equals).orElse(false) ? " selected" : "").append('>').append(escape(label))
        .append("</option>");
  }

  private static int page(RoutingContext ctx) {
    String page = ctx.queryParams().get("page");
    return page != null && page.matches("[1-9]\\d{0,3}") ? Integer.parseInt(page) : 1;
  }

  private static String pager(RoutingContext ctx, int page, int total) {
    if (total <= PAGE_SIZE) {
      return "";
    }
    String query = ctx.request().query() == null ? "" : ctx.request().query().replaceAll("(^|&)page=[^&]*", "");
    String prefix = "/resources/search?" + (query.isEmpty() ? "" : query.replaceFirst("^&", "") + "&") + "page=";
    StringBuilder html = new StringBuilder("<nav class=\"pager\" aria-label=\"ページ\">");
    if (page > 1) {
      html.append("<a href=\"").append(escape(prefix + (page - 1))).append("\">前へ</a>");
    }
    if (page * PAGE_SIZE < total) {
      html.append("<a href=\"").append(escape(prefix + (page + 1))).append("\">次へ</a>");
    }
    return html.append("</nav>").toString();
  }

  private String municipalityNames() {
    return String.join("・", settings.municipalities().stream().map(code -> ReferenceData.get().municipality(code)
        .map(ReferenceData.Municipality::nameJa).orElse(code)).toList());
  }

  static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
