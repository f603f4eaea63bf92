package jp.tsunagu.node.emergency;

import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.agreement.WithdrawalStatement;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.federation.AgreementDrafts;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.testing.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The cross-border emergency search page on a phone in real headless Chromium, with three real nodes
 * over real mutual TLS: a 伊那市 救急・消防 crew searches every partner under the emergency-access
 * scope, opens a 南箕輪村 resident's limited view marked with her home municipality, and reads in
 * Japanese why 箕輪町, which has withdrawn from its emergency agreement (伊那市 not yet told), lists
 * nobody.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AcrossBordersBrowserTest {

  private static final String PASSWORD = "Kamiina-renkei-2025";
  private static final String TITLE = "上伊那地域救急情報連携に関する協定";

  @TempDir
  static Path dir;
  TsunaguNode ina;
  TsunaguNode minamiminowa;
  TsunaguNode minowa;

  @BeforeAll
  void startNodes() throws Exception {
    ina = start("ina");
    minamiminowa = start("minamiminowa");
    minowa = start("minowa");
    new AccountSeeder(ina.services()).createUser(new AccountSeeder.Person("ina-kyukyu01", "ina-kyukyu01@example.jp",
        "救急", "一郎", "キュウキュウ", "イチロウ", "ems_crew", Role.EMERGENCY_RESPONDER, Optional.empty()), PASSWORD,
        "windows");
    patient(minamiminowa, "mm-ishi", "203858", "星野", "ハナ", "ホシノ", "ハナ", "1938-04-02");
    patient(minowa, "mw-ishi", "203831", "星野", "ハナコ", "ホシノ", "ハナコ", "1938-04-02");
    importInto(agreement("kamiina-care", List.of(ina, minamiminowa, minowa), Scopes.CARE_TEAM), ina, minamiminowa,
        minowa);
    importInto(agreement("kamiina-emergency", List.of(ina, minamiminowa), Scopes.EMERGENCY_ACCESS), ina,
        minamiminowa);
    AgreementDocument minowaEmergency = agreement("minowa-emergency", List.of(ina, minowa), Scopes.EMERGENCY_ACCESS);
    importInto(minowaEmergency, ina, minowa);
    String leave = Json.write(WithdrawalStatement.sign(minowaEmergency, minowa.services().keys().identity(),
        Instant.now()).toJson());
    TestNodes.federation(minowa).agreements().withdraw(leave).await(20, TimeUnit.SECONDS);
  }

  @AfterAll
  void stopNodes() {
    for (TsunaguNode node : List.of(ina, minamiminowa, minowa)) {
      node.close();
    }
  }

  @Test
  void a_crew_finds_a_partners_resident_opens_her_limited_view_marked_with_her_home_and_reads_why_another_is_silent() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      logIn(browser);
      browser.driver().get(ina.webUrl() + "/#/emergency");
      shown(browser, "a[href='#/emergency-partners']").click();
      shown(browser, "#emergency-partner-search");
      type(browser, "p-reason", "意識障害で救急要請、既往歴の確認");
      type(browser, "p-dispatchNumber", "R7-01234");
      type(browser, "p-name", "星野ハナ");
      browser.driver().executeScript("document.getElementById('p-birthDate').value = '1938-04-02'");
      browser.driver().findElement(By.cssSelector("#emergency-partner-search button[type=submit]")).click();

      WebElement found = shown(browser, "#emergency-partner-results [data-patient]");
      assertThat(found.getAttribute("data-node")).isEqualTo("minamiminowa");
      assertThat(found.getText()).contains("星野 ハナ", "1938-04-02", "南箕輪村の方");
      assertThat(browser.driver().findElements(By.cssSelector("#emergency-partner-results [data-patient]")))
          .hasSize(1);
      WebElement silent = shown(browser, ".emergency-unanswered li");
      assertThat(silent.getAttribute("data-problem")).isEqualTo("federation.scope_not_granted");
      assertThat(silent.getText()).startsWith("箕輪町").contains("協定が有効ではありません", "電話で確認");
      assertThat(silent.getText()).doesNotContain("ハナコ");
      browser.screenshot("emergency-partners-search-phone");

      found.findElement(By.cssSelector("[data-open]")).click();
      WebElement page = shown(browser, "#emergency-view");
      assertThat(browser.driver().getCurrentUrl()).endsWith("/partner");
      assertThat(shown(browser, "#ev-home").getText()).contains("南箕輪村の方");
      assertThat(page.getText()).contains("星野 ハナ", "閲覧できるのは", "R7-01234");
      assertThat(page.getText()).doesNotContain("タイムライン");
      Number width = (Number) browser.driver().executeScript("return document.documentElement.scrollWidth");
      assertThat(width.intValue()).as("no sideways scrolling on a phone").isLessThanOrEqualTo(Browser.PHONE.width);
      browser.driver().executeScript("window.scrollTo(0, 0)");
      browser.screenshot("emergency-partner-view-phone");
    }
  }

  // ---- helpers

  private void logIn(Browser browser) {
    browser.driver().get(ina.webUrl() + "/#/login");
    browser.waiting().ignoring(StaleElementReferenceException.class).until(driver -> {
      WebElement id = driver.findElement(By.id("f-loginId"));
      id.clear();
      id.sendKeys("ina-kyukyu01");
      WebElement password = driver.findElement(By.id("f-password"));
      password.clear();
      password.sendKeys(PASSWORD);
      driver.findElement(By.cssSelector("#login-form button")).click();
      return true;
    });
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("li:not([hidden]) > a[data-view=emergency]")));
  }

  private static void type(Browser browser, String id, String text) {
    WebElement input = browser.driver().findElement(By.id(id));
    input.clear();
    input.sendKeys(text);
  }

  private static WebElement shown(Browser browser, String css) {
    return browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  private static TsunaguNode start(String name) {
    JsonObject json = TestNodes.json(name);
    json.getJsonObject("federation").put("port", freePort());
    return TsunaguNode.start(new ConfigLoader(key -> null).fromJson(json, dir.resolve(name)).asDemo());
  }


  /** A resident registered by a doctor of her node. */
  private static void patient(TsunaguNode node, String doctor, String municipality, String family, String given,
      String familyKana, String givenKana, String birth) {
    AccountSeeder seeder = new AccountSeeder(node.services());
    String clinic = seeder.createFacility(family + "クリニック", municipality, "長野県", "clinic");
    seeder.createUser(new AccountSeeder.Person(doctor, doctor + "@example.jp", "医師", "太郎", "イシ", "タロウ", "doctor",
        Role.PROFESSIONAL, Optional.of(clinic)), PASSWORD, "windows");
    HttpResponse<String> created = WebSession.login(node, doctor, PASSWORD).post("/api/v1/patients",
        CareApiTest.patient(family, given, familyKana, givenKana, birth).put("address", "長野県上伊那郡1-2-3")
            .put("phone", "0265-11-2222").put("acpNotes", "").put("municipalityCode", municipality));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  private static AgreementDocument agreement(String id, List<TsunaguNode> nodes, String scope) {
    List<NodeIdentity> parties = nodes.stream().map(node -> node.services().keys().identity()).toList();
    return AgreementDrafts.signed(id, TITLE, parties, Instant.now().minus(Duration.ofDays(1)),
        Instant.now().plus(Duration.ofDays(30)), parties, List.of(scope));
  }

  private static void importInto(AgreementDocument document, TsunaguNode... nodes) throws Exception {
    for (TsunaguNode node : nodes) {
      TestNodes.federation(node).agreements().importDocument(document.toCompactJson()).await(20, TimeUnit.SECONDS);
    }
  }
}
