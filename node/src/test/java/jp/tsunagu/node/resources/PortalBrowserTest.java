package jp.tsunagu.node.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.browser.MapChecks;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The public portal in real headless Chromium, with no internet: the GSI tiles cannot load, and
 * the pages must still show every resource and put a marker on the map for each.
 */
class PortalBrowserTest {

  @TempDir
  static Path dir;

  static ResourceNode fixture;
  static String salon;
  static String exercise;
  static String toilet;

  @BeforeAll
  static void start() {
    fixture = new ResourceNode(dir);
    salon = fixture.create(ResourceNode.salon("荒井ふれあいサロン", 35.8275, 137.9540)
        .put("description", "お茶を飲みながらおしゃべり。<script>alert('x')</script> もそのまま文字で表示。"), true);
    exercise = fixture.create(ResourceNode.salon("伊那北いきいき体操", 35.8560, 137.9580)
        .put("subCategory", "体操・運動教室").put("tags", new JsonArray().add("体操")), true);
    toilet = fixture.create(new JsonObject().put("name", "伊那市役所 多目的トイレ").put("category", "多目的トイレ")
        .put("municipalityCode", "202096").put("address", "伊那市下新田3050").put("latitude", 35.8276)
        .put("longitude", 137.9537).put("accessibility", "車いす対応、オストメイト対応、ベビーシート"), true);
    fixture.create(ResourceNode.salon("非公開サロン", 35.83, 137.95), false);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static String url(String path) {
    return fixture.node.webUrl().resolve(path).toString();
  }

  private static void awaitMarkers(Browser browser, int count) {
    browser.waiting().until(d -> d.findElements(By.cssSelector("#map .leaflet-marker-icon")).size() == count);
    assertThat(browser.driver().findElement(By.id("map")).getAttribute("data-markers")).isEqualTo(String.valueOf(count));
  }

  @Test
  void the_search_page_lists_the_hits_and_puts_a_marker_for_each_on_the_map_on_a_phone() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      browser.driver().get(url("/resources/search?q=" + StaffResourceApiTest.enc("サロン")));
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("results")));
      List<String> names = browser.driver().findElements(By.cssSelector("#results .resource-name")).stream()
          .map(WebElement::getText).toList();
      assertThat(names).containsExactlyInAnyOrder("荒井ふれあいサロン", "伊那北いきいき体操");
      awaitMarkers(browser, 2);
      assertThat(browser.driver().findElement(By.cssSelector(".leaflet-control-attribution a[href*='gsi.go.jp']"))
          .getText()).isEqualTo("国土地理院");
      Long width = (Long) browser.driver().executeScript("return document.documentElement.scrollWidth");
      assertThat(width).as("no sideways scrolling on a phone").isLessThanOrEqualTo(Browser.PHONE.getWidth());
      browser.screenshot("portal-search-phone");

      browser.driver().findElement(By.linkText("伊那北いきいき体操")).click();
      browser.waiting().until(ExpectedConditions.textToBe(By.tagName("h1"), "伊那北いきいき体操"));
    }
  }

  @Test
  void the_map_page_shows_every_published_resource_as_a_marker_and_in_the_list_on_a_pc() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      browser.driver().get(url("/resources/map"));
      awaitMarkers(browser, 3);
      assertThat(browser.driver().findElements(By.cssSelector("#map-list .resource-item"))).hasSize(3);
      assertThat(browser.driver().findElement(By.id("map-list")).getText()).doesNotContain("非公開サロン");
      browser.driver().findElement(By.cssSelector("#map .leaflet-marker-icon[title='伊那北いきいき体操']")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".leaflet-popup-content a")));
      browser.screenshot("portal-map-pc");
    }
  }

  @Test
  void the_map_pages_marker_images_load_and_the_map_stays_below_the_header_on_a_phone() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      browser.driver().get(url("/resources/map"));
      MapChecks.assertMarkerImagesLoaded(browser, "#map", 3);
      MapChecks.assertHeaderNotCoveredByMap(browser, "#map");
      browser.screenshot("portal-map-under-header-phone");
    }
  }

  @Test
  void a_map_narrowed_from_pc_to_phone_width_keeps_its_markers_and_never_covers_the_header() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      browser.driver().get(url("/resources/search?q=" + StaffResourceApiTest.enc("サロン")));
      MapChecks.assertMarkerImagesLoaded(browser, "#map", 2);
      browser.driver().manage().window().setSize(Browser.PHONE);
      browser.waiting().until(d -> ((Number) browser.driver().executeScript("return window.innerWidth")).intValue()
          <= Browser.PHONE.getWidth());
      MapChecks.assertMarkerImagesLoaded(browser, "#map", 2);
      Long width = (Long) browser.driver().executeScript("return document.documentElement.scrollWidth");
      Long room = (Long) browser.driver().executeScript("return document.documentElement.clientWidth");
      assertThat(width).as("no sideways scrolling once narrowed: the map's tiles stay inside it").isLessThanOrEqualTo(room);
      MapChecks.assertHeaderNotCoveredByMap(browser, "#map");
      browser.screenshot("portal-search-narrowed");
    }
  }

  @Test
  void a_resource_page_carries_valid_json_ld_open_graph_and_escapes_what_staff_typed() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      browser.driver().get(url("/resources/" + salon));
      browser.waiting().until(ExpectedConditions.textToBe(By.tagName("h1"), "荒井ふれあいサロン"));
      String ld = (String) browser.driver().executeScript(
          "return document.querySelector('script[type=\"application/ld+json\"]').textContent");
      JsonObject json = new JsonObject(ld);
      assertThat(json.getString("@context")).isEqualTo("https://schema.org");
      assertThat(json.getString("@type")).isEqualTo("Place");
      assertThat(json.getString("name")).isEqualTo("荒井ふれあいサロン");
      assertThat(json.getString("url")).endsWith("/resources/" + salon);
      assertThat(json.getJsonObject("geo").getDouble("latitude")).isEqualTo(35.8275);
      assertThat(json.getJsonObject("address").getString("addressLocality")).isEqualTo("伊那市");
      assertThat(json.getJsonArray("openingHoursSpecification").getJsonObject(0).getString("opens"))
          .isEqualTo("10:00");
      assertThat(json.getString("description")).contains("<script>alert('x')</script>");
      assertThat(browser.driver().findElement(By.cssSelector("meta[property='og:title']")).getAttribute("content"))
          .isEqualTo("荒井ふれあいサロン");
      assertThat(browser.driver().findElement(By.cssSelector("link[rel='canonical']")).getAttribute("href"))
          .endsWith("/resources/" + salon);
      assertThat(browser.driver().findElement(By.cssSelector(".resource-page")).getText())
          .contains("<script>alert('x')</script>").contains("毎週木曜日 10:00〜12:00");
      awaitMarkers(browser, 1);
    }
    String raw = new TestHttp(fixture.node).get("/resources/" + salon).body();
    assertThat(raw).doesNotContain("<script>alert").contains("\\u003cscript\\u003e");
  }

  @Test
  void the_home_page_and_the_large_type_print_view_work_without_login() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      browser.driver().get(url("/resources"));
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".chip-list")));
      assertThat(browser.driver().findElement(By.tagName("main")).getText()).contains("通いの場（2）")
          .contains("多目的トイレ（1）").contains("伊那市");
      browser.driver().findElement(By.partialLinkText("多目的トイレ")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".result-count"),
          "1 件"));
      browser.driver().get(url("/resources/" + toilet + "/print"));
      browser.waiting().until(ExpectedConditions.textToBe(By.tagName("h1"), "伊那市役所 多目的トイレ"));
      String fontSize = (String) browser.driver().executeScript(
          "return getComputedStyle(document.querySelector('.resource-facts')).fontSize");
      assertThat(Double.parseDouble(fontSize.replace("px", ""))).as("large type").isGreaterThanOrEqualTo(24);
      assertThat(browser.driver().findElement(By.cssSelector("[data-action='print']")).isDisplayed()).isTrue();
      browser.screenshot("portal-print-phone");
    }
  }

  @Test
  void map_images_may_come_from_the_configured_tile_host_and_no_other() {
    String policy = new TestHttp(fixture.node).get("/resources/map").headers().firstValue("Content-Security-Policy")
        .orElseThrow();
    assertThat(policy).contains("img-src 'self' data: https://cyberjapandata.gsi.go.jp;").doesNotContain(" https:;");
    assertThat(new NodeConfig.Maps("https://tiles.example.jp:8443/{z}/{x}/{y}.png", "", URI.create("https://a.jp"),
        URI.create("https://g.jp"), Optional.empty()).tileOrigin()).isEqualTo("https://tiles.example.jp:8443");
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      browser.driver().get(url("/resources/map"));
      awaitMarkers(browser, 3);
      // Chromium reports a refused image as a CSP violation before any network use; there is no network here.
      String refused = (String) browser.driver().executeAsyncScript("""
          const done = arguments[arguments.length - 1];
          const seen = [];
          document.addEventListener('securitypolicyviolation', e => seen.push(e.blockedURI));
          for (const src of ['https://tracker.example.com/p.png', 'https://cyberjapandata.gsi.go.jp/xyz/std/1/1/1.png']) {
            const img = document.createElement('img');
            img.src = src;
            document.body.appendChild(img);
          }
          setTimeout(() => done(seen.join(' ')), 1500);""");
      assertThat(refused).contains("tracker.example.com").doesNotContain("cyberjapandata");
    }
  }

  @Test
  void the_shell_menu_leads_to_the_public_portal_on_a_phone() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      browser.driver().get(url("/"));
      browser.waiting().until(ExpectedConditions.elementToBeClickable(By.id("menu-toggle"))).click();
      browser.waiting().until(ExpectedConditions.elementToBeClickable(By.linkText("地域資源さがし"))).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".hero h1")));
      assertThat(browser.driver().getCurrentUrl()).endsWith("/resources");
    }
  }

  @Test
  void the_sitemap_lists_published_resources_only_and_robots_points_to_it() {
    TestHttp http = new TestHttp(fixture.node);
    String sitemap = http.get("/sitemap.xml").body();
    assertThat(sitemap).contains("/resources/" + salon).contains("/resources/" + exercise)
        .contains("/resources/" + toilet).doesNotContain("非公開");
    assertThat(sitemap.split("<url>").length - 1).isEqualTo(4 + 3);
    assertThat(http.get("/robots.txt").body()).contains("Sitemap: " + fixture.node.webUrl() + "/sitemap.xml")
        .contains("Disallow: /api/");
  }

  @Test
  void the_open_data_follows_the_standard_dataset_columns() {
    TestHttp http = new TestHttp(fixture.node);
    String facilities = http.get("/opendata/public-facilities.csv").body();
    assertThat(facilities).startsWith("\uFEFF都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,名称,名称_カナ,名称_通称,POIコード,住所,方書,緯度,経度");
    assertThat(facilities).contains("伊那市役所 多目的トイレ").contains("車いす対応;オストメイト対応;ベビーシート")
        .doesNotContain("荒井ふれあいサロン");
    assertThat(http.get("/opendata/care-services.csv").body()).startsWith(
        "\uFEFF都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,介護サービス事業所名称,介護サービス事業所名称_カナ,実施サービス");
    JsonArray all = new JsonArray(http.get("/opendata/resources.json").body());
    assertThat(all).hasSize(3);
    assertThat(all.getJsonObject(0).fieldNames()).contains("名称", "緯度", "経度", "予定");
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      browser.driver().get(url("/opendata"));
      browser.waiting().until(ExpectedConditions.textToBe(By.tagName("h1"), "オープンデータ"));
      assertThat(browser.driver().findElements(By.cssSelector(".data-table a"))).hasSize(6);
    }
  }

  /** A search with no hits says what to try, with links that work, and shows no empty map of Japan. */
  private static WebElement noResults(Browser browser, String path) {
    browser.driver().get(url(path));
    WebElement advice = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector(".no-results")));
    assertThat(browser.driver().findElement(By.cssSelector(".result-count")).getText())
        .isEqualTo("見つかりませんでした（0 件）");
    assertThat(browser.driver().findElements(By.id("map"))).as("no empty map").isEmpty();
    assertThat(browser.driver().findElements(By.cssSelector(".leaflet-container"))).isEmpty();
    return advice;
  }

  @Test
  void a_search_without_hits_on_a_phone_suggests_fewer_words_and_links_to_every_resource_instead_of_an_empty_map() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      WebElement advice = noResults(browser, "/resources/search?q=" + StaffResourceApiTest.enc("ぞうさん水泳教室"));
      assertThat(advice.getText()).contains("「ぞうさん水泳教室」に合う地域資源は見つかりませんでした", "言葉を減らすか、短く",
          "すべての地域資源を地図と一覧で見る", "掲載 3 件");
      Long width = (Long) browser.driver().executeScript("return document.documentElement.scrollWidth");
      assertThat(width).as("no sideways scrolling on a phone").isLessThanOrEqualTo(Browser.PHONE.getWidth());
      browser.screenshot("portal-no-results-phone");
      advice.findElement(By.cssSelector("a.all-resources")).click();
      awaitMarkers(browser, 3);
    }
  }

  @Test
  void a_search_without_hits_on_a_pc_offers_the_kind_where_the_words_are_found_and_the_search_without_filters() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      browser.driver().get(url("/resources"));
      String salons = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
          By.partialLinkText("通いの場"))).getAttribute("href");
      String category = salons.substring(salons.indexOf("category=") + "category=".length());
      WebElement advice = noResults(browser, "/resources/search?category=" + category + "&q="
          + StaffResourceApiTest.enc("トイレ"));
      assertThat(advice.getText()).contains("ほかの種類でさがす", "多目的トイレ（1）",
          "種類・タグ・地域の絞り込みを外してさがす（1 件）");
      browser.screenshot("portal-no-results-pc");
      advice.findElement(By.cssSelector("a.other-kind")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".result-count"),
          "1 件見つかりました"));
      assertThat(browser.driver().findElement(By.id("results")).getText()).contains("伊那市役所 多目的トイレ");
    }
  }
}
