package jp.tsunagu.node.federation;

import static jp.tsunagu.node.federation.FederationTestNodes.identity;
import static jp.tsunagu.node.federation.FederationTestNodes.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.agreement.WithdrawalStatement;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.jws.TrustStore;
import jp.tsunagu.federation.wire.ResourceListing;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestHttp;
import jp.tsunagu.node.testing.TestSql;
import jp.tsunagu.node.testing.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Wide-area resources between real nodes over real mutual TLS: 伊那市 shows what 南箕輪村 publishes
 * (their agreement allows the resources directory) and nothing of 箕輪町 (care teams only), read-only,
 * and drops it when the agreement ends. The last tests end agreements, hence the order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartnerResourcesTest {

  private static final String PASSWORD = "Kamiina-shigen-2025";
  private static final String TITLE = "上伊那地域在宅医療・介護連携に関する広域連携協定";

  @TempDir
  static Path dir;
  static TsunaguNode ina;
  static TsunaguNode minamiminowa;
  static TsunaguNode minowa;
  static AgreementDocument resources;
  static String salon;
  static Vertx vertx;

  @BeforeAll
  static void startNodes() {
    ina = FederationTestNodes.startDemo(dir.resolve("ina"), "ina");
    minamiminowa = FederationTestNodes.startDemo(dir.resolve("minamiminowa"), "minamiminowa");
    minowa = FederationTestNodes.startDemo(dir.resolve("minowa"), "minowa");
    vertx = Vertx.vertx();
    WebSession minamiStaff = staff(minamiminowa, "mm-gyosei");
    salon = create(minamiStaff, resource("南箕輪ふれあいサロン", "203858", "南箕輪村3199", 35.8729, 137.9752), true);
    create(minamiStaff, resource("南箕輪じゅんびちゅうサロン", "203858", "南箕輪村2380", 35.8731, 137.9760), false);
    create(staff(minowa, "mw-gyosei"), resource("箕輪いきいきサロン", "203831", "箕輪町中箕輪10298", 35.9150, 137.9820),
        true);
    resources = agreement("kamiina-resources", identity(ina), identity(minamiminowa), Scopes.RESOURCES_DIRECTORY,
        Instant.now().plus(Duration.ofDays(30)));
    importInto(resources, ina, minamiminowa);
    importInto(agreement("kamiina-care", identity(ina), identity(minowa), Scopes.CARE_TEAM,
        Instant.now().plus(Duration.ofDays(30))), ina, minowa);
  }

  @AfterAll
  static void stopNodes() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    for (TsunaguNode node : List.of(ina, minamiminowa, minowa)) {
      node.close();
    }
  }

  private static WebSession staff(TsunaguNode node, String loginId) {
    new AccountSeeder(node.services()).createUser(new AccountSeeder.Person(loginId, loginId + "@example.jp", "行政",
        "太郎", "ギョウセイ", "タロウ", "municipal_staff", Role.MUNICIPAL_STAFF, Optional.empty()), PASSWORD, "windows");
    return WebSession.login(node, loginId, PASSWORD);
  }

  private static JsonObject resource(String name, String municipality, String address, double lat, double lon) {
    return new JsonObject().put("name", name).put("nameKana", "サロン").put("category", "通いの場")
        .put("subCategory", "サロン").put("tags", new JsonArray().add("室内").add("おしゃべり"))
        .put("municipalityCode", municipality).put("address", address).put("latitude", lat).put("longitude", lon)
        .put("phone", "0265-72-2104").put("description", "お茶を飲みながらおしゃべりする集いの場です。")
        .put("scheduleRules", "weekly:thu@10:00-12:00").put("fee", "100円（お茶代）");
  }

  private static String create(WebSession staff, JsonObject resource, boolean published) {
    var response = staff.post("/api/v1/staff/resources", resource.copy().put("published", published));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return new JsonObject(response.body()).getString("id");
  }

  private static AgreementDocument agreement(String id, NodeIdentity a, NodeIdentity b, String scope,
      Instant notAfter) {
    List<NodeIdentity> pair = List.of(a, b);
    return AgreementDrafts.signed(id, TITLE, pair, Instant.now().minus(Duration.ofDays(1)), notAfter, pair,
        List.of(scope));
  }

  private static void importInto(AgreementDocument document, TsunaguNode... nodes) {
    for (TsunaguNode node : nodes) {
      assertThat(post(node, "/admin/v1/agreements", document.toCompactJson()).statusCode()).isEqualTo(201);
    }
  }

  private static JsonObject syncNow() {
    var response = post(ina, "/admin/v1/partner-resources/sync", "");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  private static String portalSearch(String query) {
    var response = new TestHttp(ina).get("/resources/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static long storedListings(TsunaguNode node) {
    return TestSql.count(node, "select count(*) from partner_resource_listings");
  }

  @Test
  @Order(1)
  @DisplayName("an on-demand sync copies the partner's published resources, which the portal search shows marked "
      + "with the partner municipality on a read-only page, and nothing of a partner without the scope")
  void partnerResourcesOnThePortal() {
    JsonArray partners = syncNow().getJsonArray("partners");
    assertThat(partners).hasSize(1);
    JsonObject status = partners.getJsonObject(0);
    assertThat(status.getString("node")).isEqualTo("minamiminowa");
    assertThat(status.getInteger("resources")).isEqualTo(1);
    assertThat(status.getInteger("rejected")).isZero();
    assertThat(status.getString("problem")).isNull();

    String page = portalSearch("サロン");
    assertThat(page).contains("連携市町村の地域資源", "南箕輪ふれあいサロン", "南箕輪村")
        .doesNotContain("じゅんびちゅう").doesNotContain("箕輪いきいきサロン");
    var detail = new TestHttp(ina).get("/resources/partners/minamiminowa/" + salon);
    assertThat(detail.statusCode()).isEqualTo(200);
    assertThat(detail.body()).contains("南箕輪ふれあいサロン", "まっくん電子連絡帳（南箕輪村）が公開しているもの", "毎週木曜日");
    assertThat(new TestHttp(ina).get("/sitemap.xml").body()).doesNotContain(salon);

    WebSession inaStaff = staff(ina, "ina-gyosei");
    assertThat(inaStaff.post("/api/v1/staff/resources/" + salon + "/publish", new JsonObject()).statusCode())
        .isEqualTo(404);
    assertThat(storedListings(ina)).isEqualTo(1);
  }

  @Test
  @Order(2)
  @DisplayName("the listing on the wire is signed by the partner, verifies on its own and holds published resources only; "
      + "a node without the scope gets 403")
  void signedListing() throws Exception {
    NodeCard card = identity(minamiminowa).card();
    try (FederationClient client = new FederationClient(vertx, identity(ina), pin -> pin.equals(card.tlsPin()))) {
      FederationClient.Answer answer = client.get(card, ResourceListing.PATH, Map.of(), 10_000)
          .await(20, TimeUnit.SECONDS);
      assertThat(answer.status()).isEqualTo(200);
      ResourceListing listing = ResourceListing.verify(answer.body(), TrustStore.of(List.of(card)));
      assertThat(listing.node()).isEqualTo("minamiminowa");
      assertThat(listing.resources()).extracting(r -> r.get("id")).containsExactly(salon);
      assertThat(Json.write(listing.resources())).doesNotContain("じゅんびちゅう");
    }
    NodeCard inaCard = identity(ina).card();
    try (FederationClient client = new FederationClient(vertx, identity(minowa), pin -> pin.equals(inaCard.tlsPin()))) {
      FederationClient.Answer refused = client.get(inaCard, ResourceListing.PATH, Map.of(), 10_000)
          .await(20, TimeUnit.SECONDS);
      assertThat(refused.status()).isEqualTo(403);
      assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("federation.scope_not_granted");
    }
  }

  @Test
  @Order(3)
  @DisplayName("matching from a point near the border lists the partner's resource, marked, with its distance")
  void matchingIncludesPartnerResources() {
    AccountSeeder seeder = new AccountSeeder(ina.services());
    String facility = seeder.createFacility("伊那中央訪問看護ステーション", "202096", "長野県", "home_nursing");
    seeder.createUser(new AccountSeeder.Person("ina-kango02", "kango02@example.jp", "高遠", "花子", "タカトオ", "ハナコ",
        "nurse", Role.PROFESSIONAL, Optional.of(facility)), PASSWORD, "windows");
    WebSession nurse = WebSession.login(ina, "ina-kango02", PASSWORD);
    var response = nurse.get("/api/v1/nearby-resources?lat=35.87&lon=137.97");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonArray partner = new JsonObject(response.body()).getJsonArray("partnerResources");
    assertThat(partner).hasSize(1);
    assertThat(partner.getJsonObject(0).getString("name")).isEqualTo("南箕輪ふれあいサロン");
    assertThat(partner.getJsonObject(0).getString("partnerMunicipalities")).isEqualTo("南箕輪村");
    assertThat(partner.getJsonObject(0).getLong("distanceMetres")).isLessThan(1_000L);
  }

  @Test
  @Order(4)
  @DisplayName("in Chromium, the partner's resource appears in the portal search and opens its read-only page")
  void portalInChromium() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      browser.driver().get(ina.webUrl() + "/resources/search?q=" + URLEncoder.encode("サロン", StandardCharsets.UTF_8));
      WebElement item = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("#partner-results li[data-partner=minamiminowa]")));
      assertThat(item.getText()).contains("南箕輪ふれあいサロン", "南箕輪村");
      browser.screenshot("partner-resources-search-phone");
      item.findElement(By.cssSelector("a.resource-name")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".partner-note"),
          "南箕輪村"));
      assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("南箕輪ふれあいサロン");
    }
  }

  @Test
  @Order(5)
  @DisplayName("a partner's resources disappear from the portal when the agreement that allowed them expires")
  void expiryHidesTheCopy() throws InterruptedException {
    Instant notAfter = Instant.now().plusSeconds(4);
    importInto(agreement("kamiina-resources-short", identity(ina), identity(minowa), Scopes.RESOURCES_DIRECTORY,
        notAfter), ina, minowa);
    syncNow();
    assertThat(portalSearch("サロン")).contains("箕輪いきいきサロン");
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), notAfter).toMillis()) + 200);
    assertThat(portalSearch("サロン")).doesNotContain("箕輪いきいきサロン").contains("南箕輪ふれあいサロン");
  }

  @Test
  @Order(6)
  @DisplayName("a withdrawal removes the partner's copy at once: gone from the portal, its page and the database, "
      + "audited")
  void withdrawalRemovesTheCopy() throws InterruptedException {
    String statement = Json.write(WithdrawalStatement.sign(resources, identity(minamiminowa), Instant.now()).toJson());
    assertThat(post(ina, "/admin/v1/withdrawals", statement).statusCode()).isEqualTo(201);

    assertThat(portalSearch("サロン")).doesNotContain("南箕輪ふれあいサロン").doesNotContain("連携市町村の地域資源");
    assertThat(new TestHttp(ina).get("/resources/partners/minamiminowa/" + salon).statusCode()).isEqualTo(404);
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (storedListings(ina) > 0 && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    assertThat(storedListings(ina)).isZero();
    assertThat(TestSql.count(ina, "select count(*) from audit_log where action = 'federation.resources.purged'"
        + " and target = 'partner:minamiminowa'")).isEqualTo(1);
  }
}
