package jp.tsunagu.node.resources;

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
import jp.tsunagu.node.web.Templates;

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
    root.get("/webjars/leaflet-markercluster/*").handler(StaticHandler.create(
        "META-INF/resources/webjars/leaflet-markercluster").setDirectoryListing(false).setMaxAgeSeconds(86_400));
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

  /** The search form: what was asked, the vocabulary to choose from, the areas served and where it goes. */
  record SearchForm(SearchQuery query, Vocabulary vocabulary, List<Choice> areas, String action) {}

  /** An option of a select: its value and what it shows. */
  record Choice(String value, String label) {}

  /** 前へ and 次へ of a search with more than a page of hits; null where there is no such page. */
  record Pager(String previous, String next) {}

  record HomePage(PortalSettings settings, PortalLayout.Meta meta, String municipalityNames, SearchForm form,
      List<PortalLayout.Link> categories, List<PortalLayout.Link> tags, int published) {}

  /** A search's page: its hits shown as {@code results}, or {@code advice} when there are none. */
  record SearchPage(PortalSettings settings, PortalLayout.Meta meta, SearchForm form, int total, int page,
      ResourceHtml.ResultList results, NoResults.Advice advice, Pager pager, PartnerResourcePages.Section partners) {}

  record MapPage(PortalSettings settings, PortalLayout.Meta meta, SearchForm form, ResourceHtml.ResultList results) {}

  private void html(RoutingContext ctx, String html) {
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "public, max-age=60").end(html);
  }

  private void home(RoutingContext ctx) {
    service.catalog().onSuccess(catalog -> {
      Vocabulary v = catalog.vocabulary();
      List<PortalLayout.Link> categories = new ArrayList<>();
      for (Category c : v.topLevel()) {
        long count = catalog.search(new SearchQuery("", Optional.of(c.code()), Optional.empty(), Optional.empty(),
            Optional.empty())).size();
        categories.add(new PortalLayout.Link("/resources/search?category=" + enc(c.code()),
            c.nameJa() + "（" + count + "）"));
      }
      List<PortalLayout.Link> tags = v.tags().stream()
          .map(t -> new PortalLayout.Link("/resources/search?tag=" + enc(t), t)).toList();
      PortalLayout.Meta meta = PortalLayout.Meta.simple("地域資源さがし",
          municipalityNames() + "の医療介護施設、通いの場、買い物支援などの地域資源を地図と一覧でさがせます。",
          baseUrl(ctx, settings) + "/resources");
      html(ctx, Templates.render("resources/home.jte", new HomePage(settings, meta, municipalityNames(),
          searchForm(SearchQuery.ALL, v, "/resources/search"), categories, tags, catalog.allPublished().size())));
    }).onFailure(ctx::fail);
  }

  private void search(RoutingContext ctx) {
    SearchQuery query = SearchQuery.from(ctx.queryParams());
    int page = page(ctx);
    service.catalog().onSuccess(catalog -> {
      List<Catalog.Hit> hits = catalog.search(query);
      List<Catalog.Hit> shown = hits.subList(Math.min(hits.size(), (page - 1) * PAGE_SIZE),
          Math.min(hits.size(), page * PAGE_SIZE));
      // No hits: what to try instead, and no map (an empty one shows all of Japan and says nothing).
      PortalLayout.Meta meta = PortalLayout.Meta.simple(query.any() ? "検索結果" : "地域資源をさがす",
          "キーワード・種類・タグ・地域から地域資源をさがせます。", baseUrl(ctx, settings) + "/resources/search").mapped();
      html(ctx, Templates.render("resources/search.jte", new SearchPage(settings, meta,
          searchForm(query, catalog.vocabulary(), "/resources/search"), hits.size(), page,
          hits.isEmpty() ? null : catalog.resultList("results", shown),
          hits.isEmpty() ? NoResults.advice(catalog, query) : null, pager(ctx, page, hits.size()),
          PartnerResourcePages.section(service.partners(), query))));
    }).onFailure(ctx::fail);
  }

  private void map(RoutingContext ctx) {
    SearchQuery query = SearchQuery.from(ctx.queryParams());
    service.catalog().onSuccess(catalog -> {
      List<Catalog.Hit> hits = catalog.search(query);
      PortalLayout.Meta meta = PortalLayout.Meta.simple("地図で見る", "地域資源の場所を地図で確認できます。",
          baseUrl(ctx, settings) + "/resources/map").mapped();
      html(ctx, Templates.render("resources/mapPage.jte", new MapPage(settings, meta,
          searchForm(query, catalog.vocabulary(), "/resources/map"), catalog.resultList("map-list", hits))));
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

  private SearchForm searchForm(SearchQuery query, Vocabulary v, String action) {
    List<Choice> areas = settings.municipalities().stream().map(code -> new Choice(code, ReferenceData.get()
        .municipality(code).map(ReferenceData.Municipality::nameJa).orElse(code))).toList();
    return new SearchForm(query, v, areas, action);
  }

  private static int page(RoutingContext ctx) {
    String page = ctx.queryParams().get("page");
    return page != null && page.matches("[1-9]\\d{0,3}") ? Integer.parseInt(page) : 1;
  }

  /** Links to the previous and next page, or null when every hit fits on one page. */
  private static Pager pager(RoutingContext ctx, int page, int total) {
    if (total <= PAGE_SIZE) {
      return null;
    }
    String query = ctx.request().query() == null ? "" : ctx.request().query().replaceAll("(^|&)page=[^&]*", "");
    String prefix = "/resources/search?" + (query.isEmpty() ? "" : query.replaceFirst("^&", "") + "&") + "page=";
    return new Pager(page > 1 ? prefix + (page - 1) : null, page * PAGE_SIZE < total ? prefix + (page + 1) : null);
  }

  private String municipalityNames() {
    return String.join("・", settings.municipalities().stream().map(code -> ReferenceData.get().municipality(code)
        .map(ReferenceData.Municipality::nameJa).orElse(code)).toList());
  }

  static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
