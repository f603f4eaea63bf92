package jp.tsunagu.node.care.patients;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareApiTest;

/**
 * Ten patient pages open in one real headless Chromium, each with its live stream: over HTTP/2 they share
 * one connection, so none waits for a free one (over HTTP/1.1 the six connections a browser allows per
 * host were all held by live streams and the seventh page stalled).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManyPatientPagesBrowserTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-many", "北原", "健一", "doctor", bed.clinic);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void ten_patient_pages_in_one_browser_all_load_and_all_hear_their_live_updates() {
    List<String> patients = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      patients.add(doctor.post("/api/v1/patients", CareApiTest.patient("多窓" + i, "トメ", "タマド", "トメ",
          "1931-05-1" + i)).json().getString("id"));
    }
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      WebDriverWait wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(20));
      // A page that stalls fails the test in bounded time instead of holding the driver for minutes.
      browser.driver().manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
      bed.openPatient(browser, "dr-many", patients.get(0));
      assertThat(browser.driver().executeScript(
          "return performance.getEntriesByType('navigation')[0].nextHopProtocol")).isEqualTo("h2");
      List<String> tabs = new ArrayList<>(List.of(browser.driver().getWindowHandle()));
      for (int i = 1; i < patients.size(); i++) {
        browser.driver().switchTo().newWindow(WindowType.TAB);
        browser.driver().get(bed.node.webUrl() + "/#/patient/" + patients.get(i));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("post-form")));
        tabs.add(browser.driver().getWindowHandle());
      }
      for (int i = 0; i < patients.size(); i++) {
        doctor.post("/api/v1/patients/" + patients.get(i) + "/posts", new JsonObject().put("category", "連絡")
            .put("body", "窓" + i + "への連絡です"));
      }
      for (int i = 0; i < patients.size(); i++) {
        browser.driver().switchTo().window(tabs.get(i));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "窓" + i + "への連絡です"));
      }
    }
  }
}
