package jp.tsunagu.node.family;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * Passkeys in real headless Chromium with its virtual authenticator (a phone's platform
 * authenticator that keeps discoverable credentials and verifies the person): on a phone a family
 * member logs in with password and code, registers a passkey, logs out and logs in with the passkey
 * alone; after removing it, the same passkey is refused with family.passkey_unknown. The browser
 * reaches the node as {@code localhost}: Chromium takes no IP address as a passkey's relying party.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FamilyPasskeyBrowserTest {

  @TempDir
  static Path dir;
  FamilyTestbed bed;
  FamilyTestbed.Family family;

  @BeforeAll
  void start() {
    bed = new FamilyTestbed(dir);
    family = bed.invited(bed.doctor, bed.patient, "passkey@example.jp");
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private String notebookUrl() {
    return bed.bed.node.webUrl().toString().replace("127.0.0.1", "localhost") + "/family.html";
  }

  @Test
  void on_a_phone_the_family_registers_a_passkey_logs_in_with_it_alone_and_a_removed_one_is_refused() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      VirtualAuthenticator phone = browser.driver().addVirtualAuthenticator(new VirtualAuthenticatorOptions()
          .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
          .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
          .setHasResidentKey(true).setHasUserVerification(true).setIsUserVerified(true));
      browser.driver().get(notebookUrl());
      type(browser, "fn-login-id", family.loginId());
      type(browser, "fn-password", FamilyTestbed.FAMILY_PASSWORD);
      type(browser, "fn-code", FamilyTestbed.code(family, 0));
      browser.driver().findElement(By.cssSelector("#fn-login button")).click();
      visible(browser, "#fn-passkey-add").click();
      visible(browser, "#fn-passkeys li[data-passkey]");
      assertThat(browser.driver().findElement(By.id("fn-passkeys")).getText()).contains("まだ使っていません");
      assertThat(phone.getCredentials()).hasSize(1);
      browser.screenshot("family-passkey-registered-phone");
      browser.driver().findElement(By.id("fn-logout")).click();

      visible(browser, "#fn-passkey-login").click();
      visible(browser, "#fn-entry");
      assertThat(browser.driver().findElement(By.id("fn-passkeys")).getText()).contains("最後の利用");
      Object width = browser.driver().executeScript("return document.documentElement.scrollWidth;");
      assertThat(((Number) width).intValue()).isLessThanOrEqualTo(Browser.PHONE.width);

      // Removed from the notebook, the passkey the phone still holds opens nothing.
      visible(browser, ".fn-passkey-remove").click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("fn-passkeys"), "まだありません"));
      browser.driver().findElement(By.id("fn-logout")).click();
      visible(browser, "#fn-passkey-login").click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("fn-passkey-problem"),
          "登録されていないか、削除されています"));
      browser.screenshot("family-passkey-refused-phone");
    }
    // Audited, and shown to the team: the registration on the timeline, the passkey login in the audit log.
    String actor = "family:" + family.accountId();
    assertThat(TestSql.count(bed.bed.node, "select count(*) from audit_log where action = 'family.passkey.register'"
        + " and outcome = 'success' and actor = ? and target = ?", actor, "patient:" + bed.patient)).isEqualTo(1);
    assertThat(TestSql.count(bed.bed.node, "select count(*) from audit_log where action = 'family.login'"
        + " and outcome = 'success' and actor = ? and detail like '%passkey%'", actor)).isEqualTo(1);
    assertThat(TestSql.count(bed.bed.node, "select count(*) from audit_log where action = 'family.passkey.remove'"
        + " and actor = ?", actor)).isEqualTo(1);
    // The removed passkey names no account any more: the refusal is the anonymous door's.
    assertThat(TestSql.count(bed.bed.node, "select count(*) from audit_log where action = 'family.login'"
        + " and outcome <> 'success' and detail like '%family.passkey_unknown%'")).isEqualTo(1);
    assertThat(bed.doctor.get("/api/v1/patients/" + bed.patient + "/posts").body()).contains("パスキー");
  }

  @Test
  void on_a_pc_the_doctor_sees_that_the_family_account_logs_in_with_a_passkey() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      browser.driver().addVirtualAuthenticator(new VirtualAuthenticatorOptions()
          .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
          .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
          .setHasResidentKey(true).setHasUserVerification(true).setIsUserVerified(true));
      FamilyTestbed.Family other = bed.invited(bed.doctor, bed.patient, "passkey-pc@example.jp");
      browser.driver().get(notebookUrl());
      type(browser, "fn-login-id", other.loginId());
      type(browser, "fn-password", FamilyTestbed.FAMILY_PASSWORD);
      type(browser, "fn-code", FamilyTestbed.code(other, 0));
      browser.driver().findElement(By.cssSelector("#fn-login button")).click();
      visible(browser, "#fn-passkey-add").click();
      visible(browser, "#fn-passkeys li[data-passkey]");
    }
    JsonObject accounts = bed.doctor.get("/api/v1/patients/" + bed.patient + "/family/accounts").json();
    assertThat(accounts.getJsonArray("accounts").stream().map(JsonObject.class::cast)
        .filter(a -> a.getInteger("passkeys", 0) == 1).count()).isGreaterThanOrEqualTo(1);
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      bed.bed.openPatient(browser, "dr-family", bed.patient);
      browser.driver().findElement(By.cssSelector("[data-tab=family]")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("family-accounts"),
          "パスキー 1件"));
      browser.screenshot("family-passkey-team-desktop");
    }
  }

  private static void type(Browser browser, String id, String text) {
    WebElement field = visible(browser, "#" + id);
    field.clear();
    field.sendKeys(text);
  }

  private static WebElement visible(Browser browser, String css) {
    return browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }
}
