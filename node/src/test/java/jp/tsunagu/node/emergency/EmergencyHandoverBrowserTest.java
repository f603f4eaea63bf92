package jp.tsunagu.node.emergency;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * On phones in real headless Chromium: the crew, on the emergency page of an open access, types the
 * receiving hospital and is shown the link and the code to read out; a fresh browser with nobody
 * logged in opens the link, types the code and reads the sheet, and opening it again is refused.
 * 行政 sees the sheet, opened, under 緊急閲覧の記録.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmergencyHandoverBrowserTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  String access;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    CareClient doctor = bed.professional("dr-ho-browser", "北原", "健一", "doctor", bed.clinic);
    String patient = EmergencyBed.patient(doctor, EmergencyBed.person("星野", "ハル", "ホシノ", "ハル", "1935-02-20",
        "長野県伊那市手良沢岡1200-3", "0265-78-1234"));
    doctor.put("/api/v1/patients/" + patient + "/acp", EmergencyBed.plan());
    doctor.put("/api/v1/patients/" + patient + "/medical", new JsonObject().put("allergies", "ペニシリン"));
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-ho-browser", "宮坂", "翔");
    access = crew.post("/api/v1/emergency/accesses", EmergencyBed.access(patient)).json().getString("id");
    bed.municipalStaff("gyosei-ho-browser", "田中", "明子");
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private static WebElement shown(Browser browser, String css) {
    return browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  private static void type(Browser browser, String id, String text) {
    WebElement input = browser.driver().findElement(By.id(id));
    input.clear();
    input.sendKeys(text);
  }

  @Test
  void the_crew_makes_the_sheet_and_a_fresh_browser_opens_it_once_with_the_code() {
    String link;
    String code;
    try (Browser browser = new Browser(Browser.PHONE)) {
      bed.logIn(browser, "kyukyu-ho-browser", "emergency");
      browser.driver().get(bed.node.webUrl() + "/#/emergency-view/" + access);
      shown(browser, "#handover-form");
      // Without the hospital the node refuses, and says which field.
      browser.driver().findElement(By.cssSelector("#handover-form button[type=submit]")).click();
      assertThat(shown(browser, "#handover-form .problem-summary").getText()).contains("搬送先");
      type(browser, "f-hospital", "伊那中央病院");
      browser.driver().findElement(By.cssSelector("#handover-form button[type=submit]")).click();
      link = shown(browser, "#handover-link").getText();
      code = shown(browser, "#handover-code").getText().replace(" ", "");
      assertThat(link).startsWith(bed.node.webUrl().toString()).contains("/#/handover/");
      assertThat(code).matches("[0-9]{6}");
      assertThat(browser.driver().findElement(By.id("handover-pdf")).getAttribute("href")).endsWith("/pdf");
      browser.driver().executeScript("document.getElementById('ev-handover').scrollIntoView()");
      browser.screenshot("handover-made-phone");
    }
    try (Browser hospital = new Browser(Browser.PHONE)) {
      hospital.driver().get(link);
      shown(hospital, "#handover-open");
      type(hospital, "f-code", code);
      hospital.driver().findElement(By.cssSelector("#handover-open button[type=submit]")).click();
      WebElement sheet = shown(hospital, "#handover-sheet");
      assertThat(sheet.getText()).contains("救急隊からの引き継ぎ情報", "伊那中央病院", "星野 ハル", "ペニシリン",
          "心肺蘇生を希望しない（DNAR）", "R7-01234", "宮坂 翔");
      hospital.driver().executeScript("window.scrollTo(0, 0)");
      hospital.screenshot("handover-sheet-phone");
      // Once only: the same link and code again are refused.
      hospital.driver().navigate().refresh();
      shown(hospital, "#handover-open");
      type(hospital, "f-code", code);
      hospital.driver().findElement(By.cssSelector("#handover-open button[type=submit]")).click();
      assertThat(shown(hospital, "#handover-open .problem-summary").getText()).contains("すでに開かれました");
    }
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      bed.logIn(browser, "gyosei-ho-browser", "emergency-review");
      browser.driver().get(bed.node.webUrl() + "/#/emergency-review");
      assertThat(shown(browser, "#emergency-handovers").getText()).contains("宮坂 翔", "星野 ハル", "伊那中央病院",
          "開封済み");
    }
  }
}
