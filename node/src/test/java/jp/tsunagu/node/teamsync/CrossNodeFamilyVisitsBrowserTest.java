package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.care.CareClient;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The ここのーと tab of a 伊那市 patient on the 南箕輪村 nurse's own node, in real headless Chromium on a
 * phone: the home team's planned visit is listed; her own visit is sent to the home node (the tab says
 * so) and listed once the home node has taken it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossNodeFamilyVisitsBrowserTest {

  @TempDir
  static Path dir;
  @AutoClose
  CrossNodeTestbed bed;
  CareClient doctor;
  String patientId;
  String day;

  @BeforeAll
  void start() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "唐沢");
    day = LocalDate.now(ZoneId.of("Asia/Tokyo")).plusDays(3).toString();
    assertThat(doctor.post("/api/v1/patients/" + patientId + "/family/visits", new JsonObject().put("date", day)
        .put("from", "09:00").put("to", "09:30").put("profession", "doctor")).status()).isEqualTo(201);
    eventually("the doctor's visit reaches the nurse's copy", () -> nurse.get("/api/v1/patients/" + patientId
        + "/family/visits").body().contains("09:00"));
  }

  @Test
  void the_partner_nurse_sees_the_home_teams_visit_and_adds_her_own_through_the_home_node() {
    String base = bed.node("minamiminowa").webUrl().toString();
    try (Browser browser = new Browser(Browser.PHONE)) {
      browser.driver().get(base + "/#/login");
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
      browser.driver().findElement(By.id("f-loginId")).sendKeys("mm-nurse");
      browser.driver().findElement(By.id("f-password")).sendKeys(CrossNodeTestbed.PASSWORD);
      browser.driver().findElement(By.cssSelector("#login-form button")).click();
      browser.waiting().until(ExpectedConditions.presenceOfElementLocated(
          By.cssSelector("li:not([hidden]) > a[data-view=patients]")));
      WebDriverWait wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(30));
      browser.driver().get(base + "/#/patient/" + patientId);
      wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-tab=family]"))).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("family-visits"), "09:00〜09:30"));
      assertThat(browser.driver().findElement(By.id("family-visits")).getText()).contains("医師");

      browser.driver().executeScript("document.getElementById('f-visit-date').value = arguments[0];"
          + "document.getElementById('f-visit-from').value = '15:00';"
          + "document.getElementById('f-visit-to').value = '15:45';", day);
      new Select(browser.driver().findElement(By.id("f-visit-profession"))).selectByValue("visiting_nurse");
      browser.driver().findElement(By.cssSelector("#family-visit button")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("family-visit-state"),
          "この方の市町村のノードに送りました"));
      browser.screenshot("cross-node-family-visit-sent");

      eventually("the home node takes her visit", () -> doctor.get("/api/v1/patients/" + patientId
          + "/family/visits").body().contains("15:00"));
      // The tab shows what its node holds when opened: opened again until the home node's answer is back.
      wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(driver -> {
        driver.findElement(By.cssSelector("[data-tab=family]")).click();
        return driver.findElement(By.id("family-visits")).getText().contains("15:00〜15:45");
      });
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("family-visits"), "訪問看護師"));
      browser.screenshot("cross-node-family-visits");
    }
  }
}
