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
 * The municipal staff's (行政) screens in real headless Chromium on a demo node (password-only
 * login on loopback; {@link CertificateLoginBrowserTest} logs in with a real certificate): new
 * 行政 and 救急・消防 accounts, withdrawal decisions, and mails sent again after an SMTP outage.
 */
class MunicipalPagesBrowserTest {

  @TempDir
  static Path dir;

  static IdentityFixture fixture;

  @BeforeAll
  static void start() {
    fixture = new IdentityFixture(dir, true);
    fixture.person("ina-gyosei", Role.MUNICIPAL_STAFF, Optional.empty());
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static WebElement waitFor(Browser browser, String id) {
    return browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  private static void type(Browser browser, String id, String text) {
    WebElement element = browser.driver().findElement(By.id(id));
    element.clear();
    element.sendKeys(text);
  }

  private static void logInAsStaff(Browser browser, String hash) {
    browser.driver().get(fixture.node.webUrl() + "/#/login");
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-identity=ready]")));
    waitFor(browser, "login-form");
    type(browser, "f-loginId", "ina-gyosei");
    type(browser, "f-password", IdentityFixture.PASSWORD);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("approval-result")));
    browser.driver().get(fixture.node.webUrl() + "/" + hash);
  }

  private static WebElement row(Browser browser, String list, String text) {
    return browser.waiting().until(d -> d.findElements(By.cssSelector("#" + list + " li")).stream()
        .filter(li -> li.getText().contains(text)).findFirst().orElse(null));
  }

  @Test
  void on_a_phone_staff_add_an_emergency_responder_and_are_shown_the_credentials_to_hand_over_once() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      logInAsStaff(browser, "#/accounts");
      waitFor(browser, "account-form");
      new Select(browser.driver().findElement(By.id("f-role"))).selectByVisibleText("救急・消防");
      assertThat(new Select(browser.driver().findElement(By.id("f-profession"))).getFirstSelectedOption().getText())
          .isEqualTo("救急隊員");
      type(browser, "f-familyName", "有賀");
      type(browser, "f-givenName", "大輔");
      type(browser, "f-familyKana", "アルガ");
      type(browser, "f-givenKana", "ダイスケ");
      type(browser, "f-email", "aruga@fire.ina.example.jp");
      type(browser, "f-loginId", "ina-kyukyu-aruga");
      new Select(browser.driver().findElement(By.id("f-deviceType"))).selectByVisibleText("Android");
      new Select(browser.driver().findElement(By.id("f-delivery"))).selectByVisibleText("この画面に表示して手渡す");
      browser.driver().findElement(By.cssSelector("#account-form button")).click();
      String shown = waitFor(browser, "credentials").getText();
      assertThat(shown).contains("ina-kyukyu-aruga").containsPattern("\\d{4}-\\d{4}-\\d{4}-\\d{4}");
      assertThat(browser.driver().findElement(By.id("accounts")).getText()).contains("ina-kyukyu-aruga", "救急・消防");
      browser.screenshot("municipal-accounts-phone");
      Long width = (Long) browser.driver().executeScript("return document.documentElement.scrollWidth");
      assertThat(width).isLessThanOrEqualTo(Browser.PHONE.getWidth());
    }
    assertThat(fixture.mailsTo("aruga@fire.ina.example.jp")).isEmpty();
    assertThat(fixture.audit("user.credentials_shown")).filteredOn(r -> r.contains("hand_delivery_chosen"))
        .hasSize(1);
  }

  @Test
  void staff_approve_a_withdrawal_and_send_a_registrations_mails_again_after_an_smtp_outage() {
    String facility = fixture.seeder.createFacility("伊那あおぞら訪問介護", "202096", "長野県", "home_care");
    AccountSeeder.Created admin = fixture.person("aozora-kanri", Role.FACILITY_ADMIN, Optional.of(facility));
    IdentityClient adminClient = fixture.loggedIn(admin, "aozora-kanri");
    adminClient.post("/api/v1/facility/withdrawal", new JsonObject().put("reason", "事業の廃止"));
    new IdentityClient(fixture.node).post("/api/v1/registrations",
        RegistrationFlowTest.form("haruno-kanri", "haruno@example.jp"));
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      logInAsStaff(browser, "#/approvals");
      row(browser, "withdrawals", "伊那あおぞら訪問介護").findElement(By.cssSelector("button.approve")).click();
      browser.driver().switchTo().alert().accept();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("withdrawal-result"),
          "1人のアカウントを停止"));

      fixture.stopMail();
      try {
        row(browser, "applications", "haruno-kanri").findElement(By.cssSelector("button.approve")).click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("approval-result"),
            "メールは送信できませんでした"));
      } finally {
        fixture.startMail();
      }
      browser.screenshot("municipal-unsent-mail-pc");
      row(browser, "unsent-mails", "伊那中央訪問看護ステーション").findElement(By.cssSelector("button.resend")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("resend-result"),
          "メールを再送しました"));
    }
    assertThat(fixture.mailsTo("haruno@example.jp")).hasSize(3);
    assertThat(RegistrationFlowTest.code(adminClient.get("/api/v1/auth/me")))
        .as("the withdrawn facility's certificate is refused at once").isEqualTo("auth.certificate_revoked");
  }
}
