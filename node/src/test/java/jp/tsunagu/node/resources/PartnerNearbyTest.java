package jp.tsunagu.node.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.agreement.WithdrawalStatement;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.federation.AgreementDrafts;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.testing.TestPorts;
import jp.tsunagu.node.testing.TestSql;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * 周辺資源 across the municipal border, between two real nodes over real mutual TLS: a 伊那市 patient
 * living in 西箕輪 near 南箕輪村 sees 南箕輪村's published resources in a section of their own, nearest
 * first, and the team refers them on the sheet beside 伊那市's own. The last test ends the agreement,
 * hence the order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartnerNearbyTest {

  private static final String HOME = "長野県伊那市西箕輪3500";

  @TempDir
  static Path dir;

  static GeocoderStandIn geocoder;
  static ResourceNode ina;
  static TsunaguNode minamiminowa;
  static AgreementDocument agreement;
  static ResourceNode.Professional doctor;
  static ResourceNode.Professional nurse;
  static String patient;
  static String inaNear;
  static String inaFar;
  static String partnerExercise;
  static String partnerSalon;

  @BeforeAll
  static void start() throws Exception {
    geocoder = new GeocoderStandIn(Map.of(HOME, new double[] {137.9450, 35.8650}));
    ina = new ResourceNode(dir.resolve("ina"), withFederationPort(TestNodes.json("ina"))
        .put("geocoder", geocoder.config()));
    minamiminowa = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(
        withFederationPort(TestNodes.json("minamiminowa")), dir.resolve("minamiminowa")).asDemo());
    inaNear = ina.create(ResourceNode.salon("西箕輪ふれあいサロン", 35.8600, 137.9500), true);
    inaFar = ina.create(ResourceNode.salon("市役所前ふれあいサロン", 35.8275, 137.9540), true);
    new AccountSeeder(minamiminowa.services()).createUser(new AccountSeeder.Person("mm-gyosei", "mm@example.jp",
        "南箕輪", "花子", "ミナミミノワ", "ハナコ", "municipal_staff", Role.MUNICIPAL_STAFF, Optional.empty()),
        ResourceNode.PASSWORD, "windows");
    SessionClient partnerStaff = new SessionClient(minamiminowa).login("mm-gyosei", ResourceNode.PASSWORD);
    partnerSalon = publish(partnerStaff, partnerResource("大芝ふれあいサロン", "南箕輪村3199", 35.8729, 137.9752), true);
    partnerExercise = publish(partnerStaff, partnerResource("田畑いきいき体操教室", "南箕輪村2380", 35.8670, 137.9600)
        .put("subCategory", "体操・運動教室"), true);
    publish(partnerStaff, partnerResource("南箕輪じゅんびちゅうサロン", "南箕輪村1000", 35.8660, 137.9470), false);

    NodeIdentity a = ina.node.services().keys().identity();
    NodeIdentity b = minamiminowa.services().keys().identity();
    agreement = AgreementDrafts.signed("kamiina-resources", "上伊那地域の地域資源の相互公開に関する協定", List.of(a, b),
        Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), List.of(a, b),
        List.of(Scopes.RESOURCES_DIRECTORY));
    for (TsunaguNode node : List.of(ina.node, minamiminowa)) {
      assertThat(admin(node, "/admin/v1/agreements", agreement.toCompactJson()).statusCode()).isEqualTo(201);
    }
    assertThat(admin(ina.node, "/admin/v1/partner-resources/sync", "").statusCode()).isEqualTo(200);

    doctor = ina.professional("ina-isha", "北原", "健一", "doctor");
    nurse = ina.professional("ina-kango2", "宮坂", "由美", "nurse");
    patient = ResourceNode.registerPatient(doctor, "春日", "トメ", "伊那市西箕輪3500");
    ResourceNode.joinTeam(doctor, patient, nurse, "訪問看護");
  }

  @AfterAll
  static void stop() throws Exception {
    ina.close();
    minamiminowa.close();
    geocoder.close();
  }

  private static JsonObject withFederationPort(JsonObject config) throws IOException {
    config.getJsonObject("federation").put("port", TestPorts.freePort());
    return config;
  }

  private static JsonObject partnerResource(String name, String address, double lat, double lon) {
    return ResourceNode.salon(name, lat, lon).put("municipalityCode", "203858").put("address", address)
        .put("phone", "0265-00-1234");
  }

  private static String publish(SessionClient staff, JsonObject resource, boolean published) {
    var response = staff.postJson("/api/v1/staff/resources", resource.copy().put("published", published));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return new JsonObject(response.body()).getString("id");
  }

  private static HttpResponse<String> admin(TsunaguNode node, String path, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(node.adminUrl().resolve(path))
        .header("Authorization", jp.tsunagu.node.testing.TestAdmin.authorization(node))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject nearby(ResourceNode.Professional who) {
    var response = who.client().get("/api/v1/patients/" + patient + "/nearby-resources");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  private static List<String> names(JsonArray items, String key) {
    return items.stream().map(o -> ((JsonObject) o).getString(key)).toList();
  }

  private static JsonObject find(JsonArray items, String id) {
    return items.stream().map(o -> (JsonObject) o).filter(o -> o.getString("id").equals(id)).findFirst().orElseThrow();
  }

  private static JsonObject referral(JsonArray partnerResources) {
    return new JsonObject().put("patientId", patient).put("resourceIds", new JsonArray().add(inaNear))
        .put("partnerResources", partnerResources).put("referrerName", "宮坂 由美")
        .put("comment", "お隣の村の体操教室もありますよ。").put("origin", new JsonObject().put("latitude", 35.8650)
            .put("longitude", 137.9450));
  }

  private static long partnerItemsStored() {
    return TestSql.count(ina.node, "select count(*) from referral_partner_items");
  }

  @Test
  @Order(1)
  @DisplayName("the patient's 周辺資源 lists the partner's published resources apart, nearest first, marked with "
      + "the partner municipality, and nothing unpublished")
  void partnerResourcesNearThePatient() {
    JsonObject found = nearby(nurse);
    assertThat(names(found.getJsonArray("resources"), "id")).containsExactly(inaNear, inaFar);
    JsonArray partner = found.getJsonArray("partnerResources");
    assertThat(names(partner, "name")).containsExactly("田畑いきいき体操教室", "大芝ふれあいサロン");
    assertThat(partner.getJsonObject(0).getLong("distanceMetres"))
        .isLessThan(partner.getJsonObject(1).getLong("distanceMetres"));
    assertThat(partner.getJsonObject(0).getString("partnerMunicipalities")).isEqualTo("南箕輪村");
    assertThat(partner.getJsonObject(0).getString("partner")).isEqualTo("minamiminowa");
    assertThat(partner.getJsonObject(0).getString("page")).isEqualTo("/resources/partners/minamiminowa/"
        + partnerExercise);
    assertThat(partner.getJsonObject(0).getInteger("introductions")).isZero();
    assertThat(found.encode()).doesNotContain("じゅんびちゅう");
    var filtered = nurse.client().get("/api/v1/patients/" + patient + "/nearby-resources?q="
        + StaffResourceApiTest.enc("体操"));
    assertThat(names(new JsonObject(filtered.body()).getJsonArray("partnerResources"), "name"))
        .containsExactly("田畑いきいき体操教室");
  }

  @Test
  @Order(2)
  @DisplayName("a referral introduces a partner's resource beside the node's own: recorded by node and id, on the "
      + "sheet and the PDF with its municipality, and counted apart from the node's resources")
  void referralWithAPartnerResource() throws Exception {
    var made = nurse.client().postJson("/api/v1/referrals", referral(new JsonArray()
        .add(new JsonObject().put("node", "minamiminowa").put("id", partnerExercise))));
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    JsonObject links = new JsonObject(made.body());

    String sheet = doctor.client().get(links.getString("sheet")).body();
    assertThat(sheet).contains("1. 西箕輪ふれあいサロン", "2. 田畑いきいき体操教室", "掲載: 南箕輪村の地域資源",
        "南箕輪村2380", "毎週木曜日 10:00〜12:00");
    try (PDDocument pdf = Loader.loadPDF(doctor.client().getBytes(links.getString("pdf")).body())) {
      assertThat(new PDFTextStripper().getText(pdf)).contains("田畑いきいき体操教室").contains("掲載: 南箕輪村の地域資源");
    }

    JsonObject after = nearby(doctor);
    assertThat(find(after.getJsonArray("resources"), inaNear).getInteger("introductions")).isEqualTo(1);
    assertThat(find(after.getJsonArray("partnerResources"), partnerExercise).getInteger("introductions")).isEqualTo(1);
    assertThat(find(after.getJsonArray("partnerResources"), partnerSalon).getInteger("introductions")).isZero();

    JsonArray history = new JsonObject(doctor.client().get("/api/v1/patients/" + patient + "/referrals").body())
        .getJsonArray("referrals");
    JsonArray introduced = history.getJsonObject(0).getJsonArray("resources");
    assertThat(names(introduced, "name")).containsExactly("西箕輪ふれあいサロン", "田畑いきいき体操教室");
    assertThat(introduced.getJsonObject(1).getString("partner")).isEqualTo("minamiminowa");
    assertThat(partnerItemsStored()).isEqualTo(1);
  }

  @Test
  @Order(3)
  @DisplayName("a partner resource that is not shown, or asked for badly, is refused with its code and nothing is stored")
  void badPartnerResources() {
    Map<JsonArray, String> cases = Map.of(
        new JsonArray().add(new JsonObject().put("node", "minamiminowa").put("id", "nosuchresource")),
        "referrals.unknown_resource",
        new JsonArray().add(new JsonObject().put("node", "minowa").put("id", partnerSalon)),
        "referrals.unknown_resource",
        new JsonArray().add(new JsonObject().put("node", "Minami Minowa").put("id", partnerSalon)),
        "referrals.invalid_resource",
        new JsonArray().add("minamiminowa/" + partnerSalon), "referrals.invalid_resource");
    long before = partnerItemsStored();
    cases.forEach((partners, code) -> {
      var response = nurse.client().postJson("/api/v1/referrals", referral(partners));
      assertThat(response.statusCode()).as(partners.encode()).isEqualTo(400);
      assertThat(new JsonObject(response.body()).getString("code")).as(partners.encode()).isEqualTo(code);
    });
    JsonArray eleven = new JsonArray();
    for (int i = 0; i < 10; i++) {
      eleven.add(new JsonObject().put("node", "minamiminowa").put("id", "r" + i));
    }
    var tooMany = nurse.client().postJson("/api/v1/referrals", referral(eleven));
    assertThat(new JsonObject(tooMany.body()).getString("code")).isEqualTo("referrals.resources_required");
    assertThat(partnerItemsStored()).isEqualTo(before);
  }

  @Test
  @Order(4)
  @DisplayName("in Chromium on a PC and a phone, the partner section appears under the node's own with its badge and "
      + "map markers, and a partner's resource goes on the referral sheet")
  void partnerSectionInChromium() {
    for (Dimension screen : List.of(Browser.DESKTOP, Browser.PHONE)) {
      try (Browser browser = new Browser(screen)) {
        NearbyFixture.openNearbyTab(browser, ina.node, "ina-kango2", patient);
        browser.waiting().until(d -> d.findElements(By.cssSelector("#nearby-partner-list li[data-partner]")).size() == 2);
        var section = browser.driver().findElement(By.id("nearby-partner"));
        assertThat(section.isDisplayed()).isTrue();
        assertThat(section.findElement(By.tagName("h3")).getText()).isEqualTo("連携市町村の地域資源");
        @SuppressWarnings("unchecked")
        List<String> partnerNames = (List<String>) browser.driver().executeScript("return [...document.querySelectorAll("
            + "'#nearby-partner-list .nearby-name')].map(e => e.textContent)");
        assertThat(partnerNames).containsExactly("田畑いきいき体操教室", "大芝ふれあいサロン");
        assertThat(section.findElement(By.cssSelector("li .partner-badge")).getText()).isEqualTo("南箕輪村");
        browser.waiting().until(d -> d.findElements(By.cssSelector("#nearby-map .leaflet-marker-icon")).size() == 4);

        browser.driver().findElement(By.cssSelector("#nearby-list li[data-id='" + inaFar + "'] .pick-resource")).click();
        browser.driver().findElement(By.cssSelector("#nearby-partner-list li[data-id='minamiminowa/" + partnerSalon
            + "'] .pick-resource")).click();
        assertThat(browser.driver().findElement(By.id("nearby-picked")).getText()).contains("大芝ふれあいサロン（連携市町村）");
        browser.screenshot("nearby-partner-" + (screen == Browser.PHONE ? "phone" : "pc"));
        browser.driver().findElement(By.id("referral-submit")).click();
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("referral-sheet-link")));
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("referral-history"),
            "大芝ふれあいサロン"));
        Long width = (Long) browser.driver().executeScript("return document.documentElement.scrollWidth");
        assertThat(width).as("no sideways scrolling").isLessThanOrEqualTo(screen.getWidth());
        String sheet = browser.driver().findElement(By.id("referral-sheet-link")).getAttribute("href");
        browser.driver().get(sheet);
        browser.waiting().until(ExpectedConditions.textToBe(By.tagName("h1"), "地域資源のご紹介"));
        assertThat(browser.driver().findElement(By.tagName("main")).getText()).contains("市役所前ふれあいサロン")
            .contains("大芝ふれあいサロン").contains("掲載: 南箕輪村の地域資源");
      }
    }
    assertThat(find(nearby(nurse).getJsonArray("partnerResources"), partnerSalon).getInteger("introductions"))
        .isEqualTo(2);
  }

  @Test
  @Order(5)
  @DisplayName("when the partner withdraws, its section is gone from 周辺資源, and sheets made before still show what "
      + "was handed over")
  void withdrawalKeepsTheSheets() throws Exception {
    String firstSheet = new JsonObject(doctor.client().get("/api/v1/patients/" + patient + "/referrals").body())
        .getJsonArray("referrals").stream().map(o -> ((JsonObject) o).getString("sheet")).reduce((x, y) -> y)
        .orElseThrow();
    String statement = Json.write(WithdrawalStatement.sign(agreement, minamiminowa.services().keys().identity(),
        Instant.now()).toJson());
    assertThat(admin(ina.node, "/admin/v1/withdrawals", statement).statusCode()).isEqualTo(201);
    assertThat(nearby(nurse).getJsonArray("partnerResources")).isEmpty();
    assertThat(doctor.client().get(firstSheet).body()).contains("田畑いきいき体操教室", "掲載: 南箕輪村の地域資源");
  }
}
