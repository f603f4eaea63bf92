package jp.tsunagu.node.federation;

import static jp.tsunagu.node.federation.FederationTestNodes.identity;
import static jp.tsunagu.node.federation.FederationTestNodes.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
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
 * The team tab's one invitation flow in real headless Chromium, between two real nodes over mutual
 * TLS: a search that finds partners' professionals too, and a typed federated id in the same box.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartnerDirectoryBrowserTest {

  private static final String PASSWORD = "Kamiina-renkei-2025";

  @TempDir
  static Path dir;
  TsunaguNode ina;
  TsunaguNode minamiminowa;
  String patient;
  WebSession doctor;

  @BeforeAll
  void start() {
    ina = FederationTestNodes.startDemo(dir.resolve("ina"), "ina");
    minamiminowa = FederationTestNodes.startDemo(dir.resolve("minamiminowa"), "minamiminowa");
    person(ina, "伊那中央クリニック", "202096", "ina-ishi01", "北原", "健一", "doctor");
    person(minamiminowa, "南箕輪訪問看護ステーション", "203858", "mm-kango", "田畑", "さくら", "nurse");
    person(minamiminowa, "みなみみのわ薬局", "203858", "mm-yakuzai", "唐沢", "誠", "pharmacist");
    person(minamiminowa, "みなみみのわ在宅ケアセンター", "203858", "mm-miyashita", "宮下", "さくら", "nurse");
    List<NodeIdentity> pair = List.of(identity(ina), identity(minamiminowa));
    String agreement = AgreementDrafts.signed("kamiina-care", "上伊那地域在宅医療・介護連携に関する広域連携協定", pair,
        Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), pair,
        List.of(Scopes.CARE_TEAM)).toCompactJson();
    for (TsunaguNode node : List.of(ina, minamiminowa)) {
      assertThat(post(node, "/admin/v1/agreements", agreement).statusCode()).isEqualTo(201);
    }
    doctor = WebSession.login(ina, "ina-ishi01", PASSWORD);
    patient = new JsonObject(doctor.post("/api/v1/patients", new JsonObject().put("familyName", "春日")
        .put("givenName", "トメ").put("familyKana", "カスガ").put("givenKana", "トメ").put("birthDate", "1931-05-12")
        .put("sex", "female").put("address", "長野県伊那市荒井3500-1").put("municipalityCode", "202096")
        .put("teamRole", "主治医")).body()).getString("id");
  }

  @AfterAll
  void stop() {
    ina.close();
    minamiminowa.close();
  }

  private static void person(TsunaguNode node, String facilityName, String municipality, String loginId,
      String family, String given, String profession) {
    AccountSeeder seeder = new AccountSeeder(node.services());
    String facility = seeder.createFacility(facilityName, municipality, "長野県", "clinic");
    seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@example.jp", family, given, "タバタ", "サクラ",
        profession, Role.PROFESSIONAL, Optional.of(facility)), PASSWORD, "windows");
  }

  /** Logs the doctor in and opens the patient's 支援チーム tab. */
  private void openTeamTab(Browser browser) {
    browser.driver().get(ina.webUrl() + "/#/login");
    // The shell may draw the login form again once it knows the node; type into the form that stays.
    browser.waiting().ignoring(StaleElementReferenceException.class).until(driver -> {
      driver.findElement(By.id("f-loginId")).clear();
      driver.findElement(By.id("f-loginId")).sendKeys("ina-ishi01");
      driver.findElement(By.id("f-password")).clear();
      driver.findElement(By.id("f-password")).sendKeys(PASSWORD);
      driver.findElement(By.cssSelector("#login-form button")).click();
      return true;
    });
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("li:not([hidden]) > a[data-view=patients]")));
    browser.driver().get(ina.webUrl() + "/#/patient/" + patient);
    browser.waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("a[data-tab=team]"))).click();
  }

  @Test
  void a_doctor_finds_a_partner_nurse_on_the_team_tab_and_invites_her_by_federated_id_and_her_node_shows_it() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      openTeamTab(browser);
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("invite-q"))).sendKeys("訪問看護");
      browser.driver().findElement(By.cssSelector("#invite-form button")).click();

      WebElement found = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("#invite-results li.invite-partner")));
      assertThat(found.getText()).contains("田畑 さくら", "看護師", "南箕輪訪問看護ステーション", "南箕輪村");
      assertThat(browser.driver().findElement(By.id("invite-status")).getText()).contains("連携先の市町村 1 件")
          .doesNotContain("応答がありませんでした");
      browser.screenshot("partner-directory-phone");

      WebElement invite = found.findElement(By.cssSelector("button[data-invite]"));
      assertThat(invite.getAttribute("data-invite")).isEqualTo("mm-kango@minamiminowa");
      new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("invite-role")))
          .selectByVisibleText("訪問看護");
      invite.click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElement(invite, "招待しました"));
      assertThat(invite.isEnabled()).isFalse();
    }
    JsonObject team = new JsonObject(doctor.get("/api/v1/patients/" + patient + "/team").body());
    assertThat(team.encode()).contains("田畑", "mm-kango@minamiminowa");
    assertThat(team.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("teamRole")))
        .as("the role chosen beside the search box").contains("訪問看護");
    // The nurse's own node hears of the invitation over the federation protocol.
    awaitInvitation("mm-kango", "春日");
  }

  @Test
  void the_same_box_invites_a_partner_professional_by_a_typed_federated_id_with_the_chosen_role() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      openTeamTab(browser);
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("invite-q")))
          .sendKeys("mm-yakuzai@minamiminowa");
      new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("invite-role")))
          .selectByVisibleText("薬剤師");
      browser.driver().findElement(By.cssSelector("#invite-form button")).click();
      WebElement found = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("#invite-results li.invite-partner")));
      assertThat(found.getText()).contains("mm-yakuzai@minamiminowa", "ID で招待");
      WebElement invite = found.findElement(By.cssSelector("button[data-invite]"));
      invite.click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElement(invite, "招待しました"));
    }
    JsonObject team = new JsonObject(doctor.get("/api/v1/patients/" + patient + "/team").body());
    assertThat(team.getJsonArray("members").stream().map(m -> (JsonObject) m)
        .filter(m -> m.getString("userId").equals("mm-yakuzai@minamiminowa")).map(m -> m.getString("teamRole")))
        .containsExactly("薬剤師");
    awaitInvitation("mm-yakuzai", "春日");
  }

  private void awaitInvitation(String loginId, String patientName) {
    WebSession invitee = WebSession.login(minamiminowa, loginId, PASSWORD);
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String invitations = "";
    while (System.nanoTime() < until && !invitations.contains(patientName)) {
      invitations = invitee.get("/api/v1/invitations").body();
      sleep(250);
    }
    assertThat(invitations).contains(patientName);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void an_empty_search_asks_in_japanese_for_a_name() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      openTeamTab(browser);
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#invite-form button")))
          .click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("invite-status"),
          "検索する氏名・施設名を入力してください。"));
    }
  }

  /**
   * A partner's professional in the team, invited once (found through the directory, so her own node's
   * description is known here) for the two screen sizes below.
   */
  private synchronized void partnerNurseInvited() {
    JsonObject team = new JsonObject(doctor.get("/api/v1/patients/" + patient + "/team").body());
    if (team.encode().contains("mm-miyashita@minamiminowa")) {
      return;
    }
    assertThat(doctor.get("/api/v1/partner-directory/professionals?q=" + java.net.URLEncoder.encode("宮下",
        java.nio.charset.StandardCharsets.UTF_8)).body()).contains("mm-miyashita@minamiminowa");
    assertThat(doctor.post("/api/v1/patients/" + patient + "/team/invitations", new JsonObject()
        .put("userId", "mm-miyashita@minamiminowa").put("teamRole", "訪問看護")).statusCode()).isEqualTo(201);
  }

  @Test
  void on_a_phone_a_partner_nurse_in_the_team_shows_her_facility_municipality_and_partner_badge() {
    partnerInTeam(Browser.PHONE);
  }

  @Test
  void on_a_pc_a_partner_nurse_in_the_team_shows_her_facility_municipality_and_partner_badge() {
    partnerInTeam(Browser.DESKTOP);
  }

  private void partnerInTeam(org.openqa.selenium.Dimension size) {
    partnerNurseInvited();
    try (Browser browser = new Browser(size)) {
      openTeamTab(browser);
      WebElement row = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("#team-members [data-member='mm-miyashita@minamiminowa']")));
      assertThat(row.getText()).contains("宮下 さくら", "看護師", "みなみみのわ在宅ケアセンター", "南箕輪村", "連携先")
          .doesNotContain("所属なし");
      assertThat(row.findElement(By.cssSelector(".partner-badge")).getText()).isEqualTo("連携先 南箕輪村");
      browser.driver().findElement(By.id("invite-q")).sendKeys("宮下");
      browser.driver().findElement(By.cssSelector("#invite-form button")).click();
      WebElement found = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("#invite-results li.invite-partner")));
      assertThat(found.getText()).contains("宮下 さくら", "南箕輪村", "招待中");
      assertThat(found.findElements(By.cssSelector("button[data-invite]"))).as("no second invitation").isEmpty();
      browser.screenshot("partner-member-" + size.getWidth());
    }
    // Her own node's invitation says where the patient and the inviter belong.
    awaitInvitation("mm-miyashita", "春日");
    JsonObject invitation = new JsonObject(WebSession.login(minamiminowa, "mm-miyashita", PASSWORD)
        .get("/api/v1/invitations").body()).getJsonArray("invitations").getJsonObject(0);
    assertThat(invitation.getString("patientMunicipality")).isEqualTo("伊那市");
    assertThat(invitation.getString("inviterFacility")).isEqualTo("伊那中央クリニック");
    assertThat(invitation.getString("inviterMunicipality")).isEqualTo("伊那市");
    assertThat(invitation.getBoolean("inviterPartner")).isTrue();
  }
}
