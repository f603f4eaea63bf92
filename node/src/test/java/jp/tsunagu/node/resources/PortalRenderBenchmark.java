package jp.tsunagu.node.resources;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.web.Html;
import jp.tsunagu.node.web.Templates;

/**
 * What rendering the portal's result page (50 resources, the search form, the map and the pager)
 * costs through the jte templates, against the hand-written {@code StringBuilder} page the portal
 * had before, kept below as the baseline and measured in the same run, and through Pebble, a
 * template engine of the Vert.x stack that reads its templates at run time. Every page is first
 * checked to be the same HTML (apart from line breaks between tags). Two cases: every item rendered
 * afresh (the whole cost of the markup), and items kept by the catalog as the portal serves them.
 * On demand, never part of the tests:
 * {@code mvn -B -q -pl node -am -Pbench verify -DskipTests}, or this class's {@code main} on the test
 * class path.
 */
public final class PortalRenderBenchmark {

  private static final int RESOURCES = 2_000;

  private PortalRenderBenchmark() {}

  public static void main(String[] args) {
    PortalSettings settings = new PortalSettings("伊那市医療介護ネットワーク", List.of("202096"),
        "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png", "国土地理院",
        URI.create("https://maps.gsi.go.jp/development/ichiran.html"), URI.create("https://msearch.gsi.go.jp/"),
        "https://ina.example.jp");
    Catalog catalog = catalog();
    SearchQuery query = new SearchQuery("体操", Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());
    List<Catalog.Hit> hits = catalog.search(query);
    List<Catalog.Hit> shown = hits.subList(0, Math.min(PortalRoutes.PAGE_SIZE, hits.size()));
    Supplier<String> handWrittenFresh = () -> HandWritten.searchPage(settings, catalog, query, hits.size(), shown, false);
    Supplier<String> templateFresh = () -> templatePage(settings, catalog, query, hits.size(),
        ResourceHtml.resultList("results", shown, hit -> ResourceHtml.item(hit.resource(), catalog.vocabulary(),
            hit.metres())));
    Supplier<String> handWrittenKept = () -> HandWritten.searchPage(settings, catalog, query, hits.size(), shown, true);
    Supplier<String> templateKept = () -> templatePage(settings, catalog, query, hits.size(),
        catalog.resultList("results", shown));
    Supplier<String> pebbleFresh = PebblePage.of(settings, catalog, query, hits.size(), shown);
    String expected = handWrittenFresh.get();
    for (Supplier<String> page : List.of(templateFresh, handWrittenKept, templateKept, pebbleFresh)) {
      if (!sameHtml(expected, page.get())) {
        throw new IllegalStateException("the pages differ:\n" + expected + "\n---\n" + page.get());
      }
    }
    System.out.printf(Locale.ROOT, "Portal result page render (%d cores, %d of %d hits shown, %,d characters)%n",
        Runtime.getRuntime().availableProcessors(), shown.size(), hits.size(), expected.length());
    double[] fresh = rates(List.of(handWrittenFresh, templateFresh, pebbleFresh));
    System.out.printf(Locale.ROOT, "  every item rendered afresh: hand-written %,8.0f pages/s  jte %,8.0f pages/s"
        + "  Pebble %,8.0f pages/s  ratio jte/hand-written %.2f, Pebble/hand-written %.2f%n", fresh[0], fresh[1],
        fresh[2], fresh[1] / fresh[0], fresh[2] / fresh[0]);
    Supplier<String> handWrittenItems = () -> {
      StringBuilder all = new StringBuilder();
      shown.forEach(hit -> all.append(String.join("", HandWritten.item(hit.resource(), catalog.vocabulary()))));
      return all.toString();
    };
    Supplier<String> templateItems = () -> {
      StringBuilder all = new StringBuilder();
      shown.forEach(hit -> all.append(ResourceHtml.item(hit.resource(), catalog.vocabulary(), hit.metres())));
      return all.toString();
    };
    double[] items = rates(List.of(handWrittenItems, templateItems));
    System.out.printf(Locale.ROOT, "  50 list items one by one:   hand-written %,8.0f lists/s  jte %,8.0f lists/s"
        + "  ratio jte/hand-written %.2f%n", items[0], items[1], items[1] / items[0]);
    double[] kept = rates(List.of(handWrittenKept, templateKept));
    System.out.printf(Locale.ROOT, "  items kept by the catalog:  hand-written %,8.0f pages/s  jte %,8.0f pages/s"
        + "  ratio jte/hand-written %.2f%n", kept[0], kept[1], kept[1] / kept[0]);
  }

  private static String templatePage(PortalSettings settings, Catalog catalog, SearchQuery query, int total,
      ResourceHtml.ResultList results) {
    PortalLayout.Meta meta = PortalLayout.Meta.simple("検索結果", "キーワード・種類・タグ・地域から地域資源をさがせます。",
        settings.publicUrl() + "/resources/search").mapped();
    List<PortalRoutes.Choice> areas = settings.municipalities().stream().map(code -> new PortalRoutes.Choice(code,
        ReferenceData.get().municipality(code).map(ReferenceData.Municipality::nameJa).orElse(code))).toList();
    return Templates.render("resources/search.jte", new PortalRoutes.SearchPage(settings, meta,
        new PortalRoutes.SearchForm(query, catalog.vocabulary(), areas, "/resources/search"), total, 1, results, null,
        new PortalRoutes.Pager(null, "/resources/search?q=" + enc(query.keyword()) + "&page=2"),
        new PartnerResourcePages.Section(List.of(), 0)));
  }

  /** The same HTML apart from line breaks between tags, which the templates add for their readers. */
  static boolean sameHtml(String a, String b) {
    return a.replaceAll(">\\n+<", "><").equals(b.replaceAll(">\\n+<", "><"));
  }

  /** Pages per second of each rendering, in 40 slices of 100 ms each taken in turn, after a warm-up. */
  private static double[] rates(List<Supplier<String>> pages) {
    long sink = 0;
    long warmUpEnd = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < warmUpEnd) {
      for (Supplier<String> page : pages) {
        sink += page.get().length();
      }
    }
    long[] counts = new long[pages.size()];
    long[] nanos = new long[pages.size()];
    for (int slice = 0; slice < 40 * pages.size(); slice++) {
      int which = slice % pages.size();
      long start = System.nanoTime();
      while (System.nanoTime() - start < 100_000_000L) {
        sink += pages.get(which).get().length();
        counts[which]++;
      }
      nanos[which] += System.nanoTime() - start;
    }
    if (sink == 42) {
      System.out.println();
    }
    double[] rates = new double[pages.size()];
    for (int i = 0; i < rates.length; i++) {
      rates[i] = counts[i] / (nanos[i] / 1e9);
    }
    return rates;
  }

  private static Catalog catalog() {
    List<Category> categories = new ArrayList<>();
    String[][] kinds = {{"kayoi", "通いの場"}, {"care", "介護施設"}, {"shopping", "買い物支援"}, {"toilet", "多目的トイレ"},
        {"medical", "医療機関"}};
    int order = 0;
    for (String[] kind : kinds) {
      categories.add(new Category(kind[0], Optional.empty(), kind[1], Optional.empty(), order += 10));
      for (int sub = 1; sub <= 3; sub++) {
        categories.add(new Category(kind[0] + ".s" + sub, Optional.of(kind[0]), kind[1] + "（種別" + sub + "）",
            Optional.empty(), order += 10));
      }
    }
    List<String> tags = List.of("送迎あり", "車いす可", "無料", "予約不要", "認知症カフェ", "男性歓迎", "昼食あり", "駐車場あり");
    Vocabulary vocabulary = new Vocabulary(categories, tags);
    Random random = new Random(50);
    List<Resource> resources = new ArrayList<>();
    Instant now = Instant.parse("2025-04-01T00:00:00Z");
    for (int i = 0; i < RESOURCES; i++) {
      String[] kind = kinds[random.nextInt(kinds.length)];
      ResourceFields fields = new ResourceFields("西町いきいき体操教室 \"ひまわり\" & 茶話会 " + i, "ニシマチ", kind[0],
          Optional.of(kind[0] + ".s" + (1 + random.nextInt(3))), List.of(tags.get(random.nextInt(4)),
              tags.get(4 + random.nextInt(4))), "202096", "西町" + (1 + random.nextInt(5000)), "公民館 2階",
          new GeoPoint(35.78 + random.nextDouble() * 0.12, 137.90 + random.nextDouble() * 0.18), "0265-00-1234", "",
          "", "椅子に座ってできる体操をします。<初めての方も歓迎>", new Schedule(List.of(Recurrence.parse(
              "weekly:thu@10:00-12:00").orElseThrow()), ""), "無料", Optional.of(20), "", "", "", "",
          Optional.of(LocalDate.of(2025, 4, 1)));
      resources.add(new Resource("r" + i, fields, List.of(), true, now, now));
    }
    return new Catalog(1, resources, vocabulary, Map.of());
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /**
   * The same page through Pebble, an engine Vert.x offers ({@code vertx-web-templ-pebble}) that reads
   * its templates at run time and escapes HTML by default: the comparison behind choosing jte.
   */
  private static final class PebblePage {

    static Supplier<String> of(PortalSettings settings, Catalog catalog, SearchQuery query, int total,
        List<Catalog.Hit> shown) {
      PebbleTemplate template = new PebbleEngine.Builder().loader(new ClasspathLoader()).build()
          .getTemplate("bench/portal-search.peb");
      return () -> {
        Vocabulary v = catalog.vocabulary();
        Map<String, Object> context = new HashMap<>();
        context.put("title", "検索結果");
        context.put("description", "キーワード・種類・タグ・地域から地域資源をさがせます。");
        context.put("canonicalUrl", settings.publicUrl() + "/resources/search");
        context.put("networkName", settings.networkName());
        context.put("keyword", query.keyword());
        List<Map<String, Object>> categories = new ArrayList<>();
        for (Category top : v.topLevel()) {
          categories.add(option(top.code(), top.nameJa(), query.category()));
          for (Category sub : v.childrenOf(top.code())) {
            categories.add(option(sub.code(), "　" + sub.nameJa(), query.category()));
          }
        }
        context.put("categories", categories);
        context.put("tags", v.tags().stream().map(t -> option(t, t, query.tag())).toList());
        context.put("areas", settings.municipalities().stream().map(code -> option(code, ReferenceData.get()
            .municipality(code).map(ReferenceData.Municipality::nameJa).orElse(code), query.municipality())).toList());
        context.put("total", total);
        context.put("tileUrl", settings.tileUrl());
        context.put("attribution", settings.attribution());
        context.put("attributionUrl", settings.attributionUrl().toString());
        context.put("nextHref", "/resources/search?q=" + enc(query.keyword()) + "&page=2");
        List<Map<String, Object>> items = new ArrayList<>();
        for (Catalog.Hit hit : shown) {
          Resource r = hit.resource();
          ResourceFields f = r.fields();
          Map<String, Object> item = new HashMap<>();
          item.put("id", r.id());
          item.put("lat", String.valueOf(f.location().latitude()));
          item.put("lon", String.valueOf(f.location().longitude()));
          item.put("name", f.name());
          item.put("path", r.path());
          item.put("badge", v.nameOf(f.subCategory().orElse(f.category())));
          item.put("address", ResourceHtml.fullAddress(f));
          item.put("schedule", f.schedule().labelJa());
          item.put("tags", f.tags());
          items.add(item);
        }
        context.put("items", items);
        StringWriter out = new StringWriter(16_384);
        try {
          template.evaluate(out, context);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return out.toString().strip() + "\n";
      };
    }

    private static Map<String, Object> option(String value, String label, Optional<String> selected) {
      return Map.of("value", value, "label", label, "selected", selected.map(value::equals).orElse(false));
    }
  }

  /** The portal's result page as it was written before the templates, unchanged but for its inputs. */
  private static final class HandWritten {

    private static final Map<String, String[]> KEPT = new java.util.concurrent.ConcurrentHashMap<>();

    static String searchPage(PortalSettings settings, Catalog catalog, SearchQuery query, int total,
        List<Catalog.Hit> shown, boolean kept) {
      StringBuilder list = new StringBuilder(256 + shown.size() * 512).append("<ol id=\"results\" class=\"resource-list\">");
      for (Catalog.Hit hit : shown) {
        String[] item = kept ? KEPT.computeIfAbsent(hit.resource().id(), id -> item(hit.resource(), catalog.vocabulary()))
            : item(hit.resource(), catalog.vocabulary());
        list.append(item[0]).append(item[1]);
      }
      list.append("</ol>");
      StringBuilder main = new StringBuilder("<h1>地域資源をさがす</h1>")
          .append("<section class=\"card\">").append(searchForm(settings, query, catalog.vocabulary())).append("</section>")
          .append("<p class=\"result-count\" role=\"status\">").append(total + " 件見つかりました")
          .append(total > PortalRoutes.PAGE_SIZE ? "（" + 1 + " ページ目）" : "").append("</p>");
      main.append("<div class=\"results-layout\">" + map(settings, "results") + list + "</div>")
          .append("<nav class=\"pager\" aria-label=\"ページ\"><a href=\"")
          .append(Html.escape("/resources/search?q=" + enc(query.keyword()) + "&page=2")).append("\">次へ</a></nav>");
      return page(settings, PortalLayout.Meta.simple("検索結果", "キーワード・種類・タグ・地域から地域資源をさがせます。",
          settings.publicUrl() + "/resources/search").mapped(), main.toString());
    }

    static String[] item(Resource r, Vocabulary vocabulary) {
      ResourceFields f = r.fields();
      String head = new StringBuilder("<li class=\"resource-item\" data-id=\"").append(Html.escape(r.id()))
          .append("\" data-lat=\"").append(f.location().latitude()).append("\" data-lon=\"")
          .append(f.location().longitude()).append("\" data-name=\"").append(Html.escape(f.name()))
          .append("\" data-href=\"").append(Html.escape(r.path())).append("\">")
          .append("<a class=\"resource-name\" href=\"").append(Html.escape(r.path())).append("\">")
          .append(Html.escape(f.name())).append("</a> <span class=\"badge\">")
          .append(Html.escape(vocabulary.nameOf(f.subCategory().orElse(f.category())))).append("</span>").toString();
      StringBuilder tail = new StringBuilder("<div class=\"resource-meta\">").append(Html.escape(ResourceHtml.fullAddress(f)));
      String schedule = f.schedule().labelJa();
      if (!schedule.isBlank()) {
        tail.append("<br>").append(Html.escape(schedule));
      }
      tail.append("</div>");
      if (!f.tags().isEmpty()) {
        tail.append("<ul class=\"tag-list\">");
        f.tags().forEach(t -> tail.append("<li>").append(Html.escape(t)).append("</li>"));
        tail.append("</ul>");
      }
      return new String[] {head, tail.append("</li>").toString()};
    }

    static String map(PortalSettings settings, String listId) {
      return "<div id=\"map\" class=\"resource-map\" role=\"region\" aria-label=\"地図\" data-list=\"" + Html.escape(listId)
          + "\" data-tile-url=\"" + Html.escape(settings.tileUrl()) + "\" data-attribution=\""
          + Html.escape(settings.attribution()) + "\" data-attribution-url=\""
          + Html.escape(settings.attributionUrl().toString()) + "\"></div>";
    }

    static String searchForm(PortalSettings settings, SearchQuery query, Vocabulary v) {
      StringBuilder html = new StringBuilder("<form class=\"search-form\" method=\"get\" action=\"")
          .append("/resources/search")
          .append("\" role=\"search\"><label>キーワード<input type=\"search\" name=\"q\" value=\"")
          .append(Html.escape(query.keyword())).append("\" placeholder=\"例: 体操、サロン、送迎\"></label>");
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
        option(html, code, ReferenceData.get().municipality(code).map(ReferenceData.Municipality::nameJa)
            .orElse(code), query.municipality());
      }
      return html.append("</select></label><button type=\"submit\" class=\"button\">さがす</button></form>").toString();
    }

    static void option(StringBuilder html, String value, String label, Optional<String> selected) {
      html.append("<option value=\"").append(Html.escape(value)).append('"')
          .append(selected.map(value::equals).orElse(false) ? " selected" : "").append('>').append(Html.escape(label))
          .append("</option>");
    }

    static String page(PortalSettings settings, PortalLayout.Meta meta, String main) {
      StringBuilder html = new StringBuilder(8192);
      html.append("<!doctype html>\n<html lang=\"ja\" prefix=\"og: https://ogp.me/ns#\">\n<head>\n<meta charset=\"utf-8\">\n")
          .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .append("<title>").append(Html.escape(meta.title())).append(" | ").append(Html.escape(settings.networkName()))
          .append("</title>\n")
          .append("<meta name=\"description\" content=\"").append(Html.escape(meta.description())).append("\">\n")
          .append("<link rel=\"canonical\" href=\"").append(Html.escape(meta.canonicalUrl())).append("\">\n");
      og(html, "og:title", meta.title());
      og(html, "og:description", meta.description());
      og(html, "og:type", meta.ogType());
      og(html, "og:url", meta.canonicalUrl());
      og(html, "og:site_name", settings.networkName());
      og(html, "og:locale", "ja_JP");
      html.append("<meta name=\"twitter:card\" content=\"summary\">\n")
          .append("<link rel=\"stylesheet\" href=\"/assets/app.css\">\n")
          .append("<link rel=\"stylesheet\" href=\"/assets/portal.css\">\n");
      if (meta.withMap()) {
        html.append("<link rel=\"stylesheet\" href=\"").append(PortalLayout.LEAFLET).append("leaflet.css\">\n")
            .append("<script src=\"").append(PortalLayout.LEAFLET).append("leaflet.js\" defer></script>\n")
            .append("<script src=\"/assets/map.js\" defer></script>\n");
      }
      html.append("<script src=\"/assets/portal.js\" defer></script>\n");
      html.append("</head>\n<body class=\"portal\">\n");
      html.append("<header class=\"site-header\">\n<a class=\"brand\" href=\"/resources\">")
          .append("<span class=\"brand-mark\" aria-hidden=\"true\">つ</span><span><span class=\"brand-name\">地域資源さがし")
          .append("</span><span class=\"network-name\">").append(Html.escape(settings.networkName()))
          .append("</span></span></a>\n<nav class=\"portal-nav\" aria-label=\"地域資源メニュー\"><ul>")
          .append("<li><a href=\"/resources\">トップ</a></li><li><a href=\"/resources/search\">さがす</a></li>")
          .append("<li><a href=\"/resources/map\">地図</a></li><li><a href=\"/opendata\">オープンデータ</a></li>")
          .append("</ul></nav>\n</header>\n");
      html.append("<main id=\"main\" class=\"main portal-main\">\n").append(main).append("\n</main>\n");
      html.append("<footer class=\"site-footer\"><span>").append(Html.escape(settings.networkName()))
          .append(" 地域資源ポータル</span><span>掲載内容は変わることがあります。お出かけの前に問い合わせ先へご確認ください。</span></footer>\n");
      html.append("</body>\n</html>\n");
      return html.toString();
    }

    private static void og(StringBuilder html, String property, String content) {
      html.append("<meta property=\"").append(property).append("\" content=\"").append(Html.escape(content))
          .append("\">\n");
    }
  }
}
