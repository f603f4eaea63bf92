package jp.tsunagu.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Optional;
import jp.tsunagu.node.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * When the SMTP server is down, the screen that created a password or a certificate says the mail
 * did not go out and shows what to hand over (手渡し) once; showing it is audited, and nothing shows
 * it again. In real Chromium on a phone and on a PC.
 */
class HandOverBrowserTest {

  @TempDir
  static Path dir;

  static IdentityFixture fixture;
  static String facilityId;

  @BeforeAll
  static void start() {
    fixture = new IdentityFixture(dir, true);
    fixture.person("ina-gyosei", Role.MUNICIPAL_STAFF, Optional.empty());
    facilityId = fixture.seeder.createFacility("伊那ひまわり訪問看護ステーション", "202096", "長野県", "home_nursing");
    fixture.person("himawari-kanri", Role.FACILITY_ADMIN, Optional.of(facilityId));
    fixture.person("himawari-kango", Role.PROFESSIONAL, Optional.of(facilityId));
    fixture.stopMail();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static void type(Browser browser, String id, String text) {
    WebElement element = browser.driver().findElement(By.id(id));
    element.clear();
    element.sendKeys(text);
  }

  private static void open(Browser browser, String hash) {
    browser.driver().get(fixture.node.webUrl() + "/" + hash);
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-identity=ready]")));
  }

  private static void login(Browser browser, String loginId, String password) {
    open(browser, "#/login");
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    type(browser, "f-loginId", loginId);
    type(browser, "f-password", password);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
    browser.waiting().until(d -> !d.getCurrentUrl().contains("#/login"));
  }

  /** A facility administrator lands on ご利用案内; 施設の管理 is where staff are managed. */
  private static void facilityPage(Browser browser) {
    open(browser, "#/facility");
  }

  private static String fact(Browser browser, String label) {
    return browser.driver().findElements(By.cssSelector("#handover dt")).stream()
        .filter(dt -> dt.getText().equals(label)).findFirst().orElseThrow()
        .findElement(By.xpath("following-sibling::dd[1]")).getText();
  }

  @Test
  void on_a_pc_staff_added_while_mail_is_down_are_handed_over_once_and_the_showing_is_audited() {
    int before = fixture.audit("user.credentials_shown").size();
    String password;
    String number;
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      login(browser, "himawari-kanri", IdentityFixture.PASSWORD);
      facilityPage(browser);
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("staff-form")));
      type(browser, "f-familyName", "春日");
      type(browser, "f-givenName", "陽菜");
      type(browser, "f-familyKana", "カスガ");
      type(browser, "f-givenKana", "ヒナ");
      new Select(browser.driver().findElement(By.id("f-profession"))).selectByVisibleText("理学療法士");
      type(browser, "f-email", "kasuga@himawari.example.jp");
      type(browser, "f-loginId", "kasuga-hina");
      browser.driver().findElement(By.cssSelector("#staff-form button")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("handover")));
      String box = browser.driver().findElement(By.id("handover")).getText();
      assertThat(box).contains("手渡し", "メールを送信できませんでした", "再表示できません", "kasuga-hina");
      password = fact(browser, "初期パスワード");
      number = fact(browser, "証明書の取得番号");
      assertThat(password).hasSizeGreaterThanOrEqualTo(10);
      assertThat(number).matches("[0-9]{4}(-[0-9]{4}){3}");
      assertThat(browser.driver().findElement(By.id("staff")).getText()).contains("kasuga-hina");
      browser.screenshot("handover-staff-pc");

      browser.driver().navigate().refresh();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("staff"), "kasuga-hina"));
      assertThat(browser.driver().findElements(By.id("handover"))).isEmpty();
      assertThat(browser.driver().getPageSource()).doesNotContain(password).doesNotContain(number);
    }
    assertThat(fixture.audit("user.credentials_shown")).hasSize(before + 1);
    assertThat(fixture.audit("user.credentials_shown").get(before)).contains("mail_not_sent", "initialPassword", "retrievalNumber");
    assertThat(new IdentityClient(fixture.node).login("kasuga-hina", password).statusCode()).isEqualTo(200);
  }

  @Test
  void on_a_phone_a_password_reissued_while_mail_is_down_is_shown_for_hand_over_instead_of_claiming_a_mail()
      throws Exception {
    int before = fixture.audit("user.credentials_shown").size();
    try (Browser browser = new Browser(Browser.PHONE)) {
      login(browser, "himawari-kanri", IdentityFixture.PASSWORD);
      facilityPage(browser);
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("staff")));
      WebElement row = browser.driver().findElements(By.cssSelector("#staff > li")).stream()
          .filter(li -> li.getText().contains("himawari-kango")).findFirst().orElseThrow();
      row.findElement(By.cssSelector("button.reset")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("handover")));
      assertThat(browser.driver().findElement(By.tagName("main")).getText()).doesNotContain("メールで送りました");
      String password = fact(browser, "初期パスワード");
      assertThat(fact(browser, "ログインID")).isEqualTo("himawari-kango");
      browser.screenshot("handover-password-phone");
      assertThat(new IdentityClient(fixture.node).login("himawari-kango", password).statusCode()).isEqualTo(200);
    }
    assertThat(fixture.audit("user.credentials_shown")).hasSize(before + 1);
    assertThat(fixture.audit("user.credentials_shown").get(before)).contains("mail_not_sent");
  }

  @Test
  void on_a_pc_an_approval_whose_mail_failed_hands_over_a_certificate_that_can_be_retrieved() throws Exception {
    IdentityClient applicant = new IdentityClient(fixture.node);
    applicant.post("/api/v1/registrations", RegistrationFlowTest.form("minowa-kanri", "minowa@example.jp"));
    String number;
    String password;
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      login(browser, "ina-gyosei", IdentityFixture.PASSWORD);
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("applications")));
      WebElement row = browser.driver().findElements(By.cssSelector("#applications li")).stream()
          .filter(li -> li.getText().contains("minowa-kanri")).findFirst().orElseThrow();
      row.findElement(By.cssSelector("button.approve")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("handover")));
      assertThat(browser.driver().findElement(By.id("approval-result")).getText()).contains("送信できませんでした");
      number = fact(browser, "証明書の取得番号");
      password = fact(browser, "証明書のパスワード");
      assertThat(fact(browser, "ログインID")).isEqualTo("minowa-kanri");
      browser.screenshot("handover-approval-pc");
    }
    var download = applicant.post("/api/v1/certificates/download",
        new JsonObject().put("retrievalNumber", number).put("password", password));
    assertThat(download.statusCode()).isEqualTo(200);
  }
}
