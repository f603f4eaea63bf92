package jp.tsunagu.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The full two-factor login in real headless Chromium against a {@code serve} node (no demo
 * shortcut): the device certificate sits in an NSS database in the browser's home and Chromium
 * presents it by itself (profile setting {@code auto_select_certificate}, see {@link Browser}).
 */
class CertificateLoginBrowserTest {

  @TempDir
  static Path dir;

  static IdentityFixture fixture;
  static AccountSeeder.Created nurse;
  static AccountSeeder.Created colleague;

  @BeforeAll
  static void start() {
    fixture = new IdentityFixture(dir, false);
    String facility = fixture.seeder.createFacility("伊那きぼう訪問看護ステーション", "202096", "長野県", "home_nursing");
    nurse = fixture.person("kibou-kango", Role.PROFESSIONAL, Optional.of(facility));
    colleague = fixture.person("kibou-pt", Role.PROFESSIONAL, Optional.of(facility));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static Browser.ClientCertificate certificateOf(AccountSeeder.Created person) {
    return new Browser.ClientCertificate(person.pkcs12(), person.certificatePassword(), fixture.node.webUrl(),
        person.userId());
  }

  private static void logIn(Browser browser, String loginId) {
    browser.driver().get(fixture.node.webUrl() + "/#/login");
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-identity=ready]")));
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    browser.driver().findElement(By.id("f-loginId")).sendKeys(loginId);
    browser.driver().findElement(By.id("f-password")).sendKeys(IdentityFixture.PASSWORD);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
  }

  /** A professional lands on 患者一覧; the account page is one step from there. */
  private static void toAccount(Browser browser) {
    browser.waiting().until(ExpectedConditions.urlContains("#/patients"));
    browser.driver().executeScript("location.hash = '#/account'");
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("my-certs")));
  }

  private static String loginError(Browser browser) {
    return browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error"))).getText();
  }

  @Test
  void chromium_presents_the_device_certificate_and_logs_in_with_it_and_the_password() {
    try (Browser browser = Browser.withCertificate(Browser.PHONE, certificateOf(nurse))) {
      logIn(browser, "kibou-kango");
      toAccount(browser);
      assertThat(browser.driver().findElement(By.id("account-facts")).getText()).contains("kibou-kango",
          "伊那きぼう訪問看護ステーション");
      assertThat(browser.driver().findElement(By.id("demo-banner")).isDisplayed()).isFalse();
      @SuppressWarnings("unchecked")
      Map<String, Object> me = (Map<String, Object>) browser.driver().executeAsyncScript(
          "const done = arguments[arguments.length - 1];"
              + "fetch('/api/v1/auth/me').then(r => r.json()).then(done);");
      assertThat(me.get("certificateLogin")).as("the session is bound to the certificate Chromium presented")
          .isEqualTo(true);
      browser.screenshot("identity-certificate-login-phone");
    }
    assertThat(fixture.audit("login.succeeded")).anyMatch(r -> r.contains(nurse.certificateId()));
  }

  @Test
  void without_a_certificate_chromium_is_told_to_install_one() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      logIn(browser, "kibou-kango");
      assertThat(loginError(browser)).contains("電子証明書がインストールされていません", "お問い合わせ用番号")
          .doesNotContain("auth.certificate_required");
    }
  }

  @Test
  void a_colleagues_certificate_does_not_let_chromium_in_with_ones_own_password() {
    try (Browser browser = Browser.withCertificate(Browser.DESKTOP, certificateOf(colleague))) {
      logIn(browser, "kibou-kango");
      assertThat(loginError(browser)).contains("お問い合わせ用番号").doesNotContain("auth.certificate_not_yours");
    }
  }

  @Test
  void after_revoking_its_own_certificate_in_the_page_chromium_is_refused_on_the_next_request() {
    AccountSeeder.Created own = fixture.person("kibou-st", Role.PROFESSIONAL, Optional.empty());
    try (Browser browser = Browser.withCertificate(Browser.DESKTOP, certificateOf(own))) {
      logIn(browser, "kibou-st");
      toAccount(browser);
      browser.driver().findElement(By.cssSelector("#my-certs button.revoke")).click();
      browser.driver().switchTo().alert().accept();
      browser.waiting().until(d -> {
        d.navigate().refresh();
        return d.getPageSource().contains("この電子証明書は失効しています");
      });
    }
  }
}
