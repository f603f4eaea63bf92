package jp.tsunagu.node.teamsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import jp.tsunagu.node.browser.Browser;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import jp.tsunagu.node.care.CareClient;

/**
 * What a 南箕輪村 visiting nurse sees of a 伊那市 patient on her own node, in real headless Chromium:
 * the patient in her list marked 伊那市, and her post shown as 送信待ち while the home node is down,
 * the mark gone once it is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossNodeBrowserTest {

  @TempDir
  static Path dir;
  @AutoClose
  CrossNodeTestbed bed;
  String patientId;

  @BeforeAll
  void start() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "春日");
  }

  private void login(Browser browser, String base) {
    browser.driver().get(base + "/#/login");
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    browser.driver().findElement(By.id("f-loginId")).sendKeys("mm-nurse");
    browser.driver().findElement(By.id("f-password")).sendKeys(CrossNodeTestbed.PASSWORD);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("li:not([hidden]) > a[data-view=patients]")));
  }

  @Test
  void the_remote_nurse_sees_the_patient_marked_with_the_home_municipality_and_her_post_waiting_then_sent() {
    String base = bed.node("minamiminowa").webUrl().toString();
    try (Browser browser = new Browser(Browser.PHONE)) {
      login(browser, base);
      browser.driver().get(base + "/#/patients");
      WebDriverWait wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(30));
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("patient-list"), "春日"));
      assertThat(browser.driver().findElement(By.cssSelector("#patient-list .home-badge")).getText()).isEqualTo("伊那市");
      browser.screenshot("cross-node-patient-list");

      browser.driver().get(base + "/#/patient/" + patientId);
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("post-form")));
      assertThat(browser.driver().findElement(By.cssSelector(".home-note")).getText()).contains("伊那市の支援対象者");
      bed.stopNode("ina");
      browser.driver().findElement(By.id("post-body")).sendKeys("訪問しました。バイタル安定。");
      browser.driver().findElement(By.id("post-submit")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "送信待ち"));
      assertThat(browser.driver().findElement(By.cssSelector(".post .sync-pending")).isDisplayed()).isTrue();
      browser.screenshot("cross-node-pending");

      bed.startNode("ina");
      wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".post .sync-pending")));
      assertThat(browser.driver().findElement(By.id("timeline")).getText()).contains("訪問しました。バイタル安定。");
    }
  }
}
