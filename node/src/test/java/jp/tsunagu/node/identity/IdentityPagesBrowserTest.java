package jp.tsunagu.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.Arrays;
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
 * The identity pages in real headless Chromium on a demo node (password-only login on loopback,
 * with the デモ banner), on a phone and a PC. The certificate login itself is tested in Chromium
 * against a serve node in {@link CertificateLoginBrowserTest}, and with a Java TLS client in
 * {@link RegistrationFlowTest} and {@link AccessBadInputTest}.
 */
class IdentityPagesBrowserTest {

  @TempDir
  static Path dir;

  static IdentityFixture fixture;
  static String facilityId;

  @BeforeAll
  static void start() {
    fixture = new IdentityFixture(dir, true);
    fixture.person("ina-gyosei", Role.MUNICIPAL_STAFF, Optional.empty());
    facilityId = fixture.seeder.createFacility("伊那さくら訪問看護ステーション", "202096", "長野県", "home_nursing");
    fixture.person("sakura-kanri", Role.FACILITY_ADMIN, Optional.of(facilityId));
    fixture.person("sakura-kango", Role.PROFESSIONAL, Optional.of(facilityId));
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
    browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("network-name"), "いーな"));
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-identity=ready]")));
  }

  private static void login(Browser browser, String loginId, String password) {
    open(browser, "#/login");
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    type(browser, "f-loginId", loginId);
    type(browser, "f-password", password);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
  }

  @Test
  void on_a_phone_a_facility_applies_confirms_and_is_told_it_is_pending() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      open(browser, "#/register");
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("register-form")));
      type(browser, "f-facilityName", "伊那北薬局");
      new Select(browser.driver().findElement(By.id("f-category"))).selectByVisibleText("薬局");
      type(browser, "f-familyName", "北沢");
      type(browser, "f-givenName", "翔太");
      type(browser, "f-familyKana", "キタザワ");
      type(browser, "f-givenKana", "ショウタ");
      new Select(browser.driver().findElement(By.id("f-profession"))).selectByVisibleText("薬剤師");
      type(browser, "f-email", "kitazawa@inakita-yakkyoku.example.jp");
      type(browser, "f-emailConfirm", "kitazawa@inakita-yakkyoku.example.jp");
      type(browser, "f-loginId", "kitazawa-shota");
      type(browser, "f-password", "Inakita-2025-yaku");
      browser.driver().findElement(By.cssSelector("#register-form button[type=submit]")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-facts")));
      assertThat(browser.driver().findElement(By.id("confirm-facts")).getText())
          .contains("伊那北薬局", "長野県伊那市", "薬剤師", "キタザワ ショウタ").doesNotContain("Inakita-2025");
      browser.screenshot("identity-register-confirm-phone");
      browser.driver().findElement(By.id("submit-application")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("pending-message")));
      assertThat(browser.driver().findElement(By.id("pending-message")).getText()).contains("審査待ち");
      Long width = (Long) browser.driver().executeScript("return document.documentElement.scrollWidth");
      assertThat(width).isLessThanOrEqualTo(Browser.PHONE.getWidth());
    }
  }

  @Test
  void a_refused_field_and_a_failed_login_show_their_japanese_messages() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      open(browser, "#/register");
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("register-form")));
      browser.driver().findElement(By.cssSelector("#register-form button[type=submit]")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#register-form .problem-summary")));
      assertThat(browser.driver().findElement(By.cssSelector("#register-form .problem-summary")).getText())
          .contains("施設名を入力してください");
      login(browser, "sakura-kango", "wrong-password-1");
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
      assertThat(browser.driver().findElement(By.id("login-error")).getText())
          .contains("ログインIDまたはパスワードが正しくありません", "お問い合わせ用番号").doesNotContain("auth.login_failed");
      assertThat(browser.driver().findElement(By.id("demo-banner")).isDisplayed()).isTrue();
    }
  }

  @Test
  void municipal_staff_approve_an_application_and_the_certificate_page_hands_out_the_certificate_once()
      throws Exception {
    IdentityClient applicant = new IdentityClient(fixture.node);
    applicant.post("/api/v1/registrations", RegistrationFlowTest.form("tatsuno-kanri", "tatsuno@example.jp"));
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      login(browser, "ina-gyosei", IdentityFixture.PASSWORD);
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("applications")));
      assertThat(browser.driver().findElement(By.id("nav-list")).getText()).contains("申請の審査", "アカウント")
          .doesNotContain("施設登録申請");
      WebElement row = browser.driver().findElements(By.cssSelector("#applications li")).stream()
          .filter(li -> li.getText().contains("tatsuno-kanri")).findFirst().orElseThrow();
      browser.screenshot("identity-approvals-pc");
      row.findElement(By.cssSelector("button.approve")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("approval-result"),
          "3通のメール"));
    }
    MimeMessage mail = Arrays.stream(fixture.mail.getReceivedMessages())
        .filter(m -> RegistrationFlowTest.recipient(m).equals("tatsuno@example.jp"))
        .filter(m -> RegistrationFlowTest.subject(m).contains("取得番号")).findFirst().orElseThrow();
    String body = RegistrationFlowTest.body(mail);
    String number = RegistrationFlowTest.find(body, "取得番号: ([0-9-]+)");
    String password = RegistrationFlowTest.find(body, "パスワード: (\\S+)");
    try (Browser browser = new Browser(Browser.PHONE)) {
      for (String expected : new String[] {"ダウンロードしました", "すでにダウンロード済み"}) {
        open(browser, "#/certificate");
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("certificate-form")));
        type(browser, "f-retrievalNumber", number);
        type(browser, "f-password", password);
        browser.driver().findElement(By.cssSelector("#certificate-form button")).click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("certificate-result"),
            expected));
      }
    }
  }

  @Test
  void a_facility_administrator_adds_staff_issues_and_revokes_a_certificate_and_applies_to_withdraw() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      login(browser, "sakura-kanri", IdentityFixture.PASSWORD);
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("role-guide")))
          .findElement(By.linkText("施設の管理を開く")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("staff-form")));
      assertThat(browser.driver().findElement(By.id("staff")).getText()).contains("sakura-kango");
      type(browser, "f-familyName", "唐沢");
      type(browser, "f-givenName", "亮");
      type(browser, "f-familyKana", "カラサワ");
      type(browser, "f-givenKana", "リョウ");
      new Select(browser.driver().findElement(By.id("f-profession"))).selectByVisibleText("理学療法士");
      type(browser, "f-email", "karasawa@sakura.example.jp");
      type(browser, "f-loginId", "karasawa-ryo");
      new Select(browser.driver().findElement(By.id("f-deviceType"))).selectByVisibleText("Android");
      type(browser, "f-remark", "訪問用タブレット");
      browser.driver().findElement(By.cssSelector("#staff-form button")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("staff"), "karasawa-ryo"));
      WebElement row = browser.driver().findElements(By.cssSelector("#staff > li")).stream()
          .filter(li -> li.getText().contains("karasawa-ryo")).findFirst().orElseThrow();
      row.findElement(By.cssSelector("button.show-certs")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("staff"), "訪問用タブレット"));
      browser.screenshot("identity-facility-pc");
      row.findElement(By.cssSelector("button.revoke")).click();
      browser.driver().switchTo().alert().accept();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("staff"), "失効"));
      type(browser, "f-reason", "事業所の統合により利用を終了します。");
      browser.driver().findElement(By.cssSelector("#withdraw-form button")).click();
      browser.driver().switchTo().alert().accept();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("facility-result"),
          "利用廃止を申請しました"));
    }
    assertThat(Arrays.stream(fixture.mail.getReceivedMessages())
        .filter(m -> RegistrationFlowTest.recipient(m).equals("karasawa@sakura.example.jp")).count()).isEqualTo(2);
  }

  @Test
  void a_professional_sees_their_account_changes_the_password_and_is_logged_out() {
    fixture.person("sakura-pt", Role.PROFESSIONAL, Optional.of(facilityId));
    try (Browser browser = new Browser(Browser.PHONE)) {
      login(browser, "sakura-pt", IdentityFixture.PASSWORD);
      browser.waiting().until(ExpectedConditions.urlContains("#/patients"));
      browser.driver().executeScript("location.hash = '#/account'");
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("account-facts")));
      assertThat(browser.driver().findElement(By.id("account-facts")).getText()).contains("sakura-pt", "専門職",
          "伊那さくら訪問看護ステーション");
      assertThat(browser.driver().findElement(By.id("my-certs")).getText()).contains("Windows");
      type(browser, "f-currentPassword", IdentityFixture.PASSWORD);
      type(browser, "f-newPassword", "Sakura-atarashii-2026");
      browser.driver().findElement(By.cssSelector("#password-form button")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
      login(browser, "sakura-pt", "Sakura-atarashii-2026");
      browser.waiting().until(ExpectedConditions.urlContains("#/patients"));
      browser.driver().executeScript("location.hash = '#/account'");
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("logout")));
      browser.driver().findElement(By.id("logout")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    }
  }
}
