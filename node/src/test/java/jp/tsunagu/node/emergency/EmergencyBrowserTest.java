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
 * On a phone in real headless Chromium: the team records the 人生会議 and the medical facts on the
 * patient page (a second save is a second version in the history); a 救急・消防 account searches by
 * name in hiragana and birth date, gives the reason and the 出場番号, and reads the emergency page
 * with its call buttons, until the access has expired.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmergencyBrowserTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  String patient;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-em-browser", "北原", "健一", "doctor", bed.clinic);
    patient = EmergencyBed.patient(doctor, EmergencyBed.person("星野", "ハル", "ホシノ", "ハル", "1935-02-20",
        "長野県伊那市手良沢岡1200-3", "0265-78-1234"));
    EmergencyBed.responder(bed, "kyukyu-browser", "宮坂", "翔");
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private static void type(Browser browser, String id, String text) {
    WebElement input = browser.driver().findElement(By.id(id));
    input.clear();
    input.sendKeys(text);
  }

  /** A date input takes its value in the ISO form whatever the browser's locale shows. */
  private static void date(Browser browser, String id, String iso) {
    browser.driver().executeScript("document.getElementById(arguments[0]).value = arguments[1]", id, iso);
  }

  private static WebElement shown(Browser browser, String css) {
    return browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  @Test
  void the_team_records_the_advance_care_plan_and_medical_facts_and_sees_every_version() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      bed.openPatient(browser, "dr-em-browser", patient);
      browser.driver().findElement(By.cssSelector("a[data-tab=acp]")).click();
      shown(browser, "#acp-none");
      browser.driver().findElement(By.cssSelector("[data-acp-edit]")).click();
      shown(browser, "#acp-form");
      type(browser, "f-wishes", "自宅で最期まで過ごしたい。");
      browser.driver().findElement(By.cssSelector("input[name=resuscitation][value=dnar]")).click();
      type(browser, "f-proxyName", "星野 和子");
      type(browser, "f-proxyRelation", "長女");
      type(browser, "f-proxyPhone", "090-1111-2222");
      type(browser, "f-participants", "本人、長女、主治医");
      date(browser, "f-confirmedOn", "2025-01-15");
      browser.driver().findElement(By.cssSelector("#acp-form button[type=submit]")).click();
      assertThat(shown(browser, ".acp-resuscitation").getText()).contains("心肺蘇生を希望しない（DNAR）");
      assertThat(browser.driver().findElement(By.id("acp-current")).getText()).contains("第1版", "北原 健一", "2025-01-15");

      browser.driver().findElement(By.cssSelector("[data-acp-edit]")).click();
      shown(browser, "#acp-form");
      browser.driver().findElement(By.cssSelector("input[name=resuscitation][value=limited]")).click();
      type(browser, "f-resuscitationNote", "酸素と点滴は希望。挿管は希望しない。");
      browser.driver().findElement(By.cssSelector("#acp-form button[type=submit]")).click();
      shown(browser, "[data-acp-history]").click();
      browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".acp-versions > li"), 2));
      assertThat(browser.driver().findElement(By.cssSelector(".acp-versions > li[data-version='1']")).getText())
          .contains("DNAR");

      browser.driver().findElement(By.cssSelector("[data-medical-edit]")).click();
      shown(browser, "#medical-form");
      type(browser, "f-medicalHistory", "心不全、2型糖尿病");
      type(browser, "f-medications", "フロセミド 20mg 朝");
      type(browser, "f-allergies", "ペニシリン");
      browser.driver().findElement(By.cssSelector("#medical-form button[type=submit]")).click();
      assertThat(shown(browser, "#medical-facts").getText()).contains("ペニシリン", "フロセミド");
      browser.screenshot("acp-tab-phone");
    }
  }

  @Test
  void a_responder_finds_the_patient_gives_reason_and_dispatch_number_and_reads_the_phone_page_until_it_expires() {
    doctor.put("/api/v1/patients/" + patient + "/acp", EmergencyBed.plan());
    doctor.put("/api/v1/patients/" + patient + "/medical", new JsonObject().put("allergies", "ペニシリン"));
    try (Browser browser = new Browser(Browser.PHONE)) {
      bed.logIn(browser, "kyukyu-browser", "emergency");
      browser.driver().get(bed.node.webUrl() + "/#/emergency");
      shown(browser, "#emergency-search");
      // What the page sends: the search is no create, so it goes without an Idempotency-Key; the open does.
      browser.driver().executeScript("window.sentPosts = []; const sent = window.fetch;"
          + " window.fetch = (path, init) => { if (init && init.method === 'POST') { window.sentPosts.push(path + ' '"
          + " + ((init.headers || {})['Idempotency-Key'] ? 'keyed' : 'unkeyed')); } return sent(path, init); };");
      type(browser, "f-name", "ほしの はる");
      date(browser, "f-birthDate", "1935-02-20");
      browser.driver().findElement(By.cssSelector("#emergency-search button[type=submit]")).click();
      shown(browser, "[data-patient] [data-open]").click();
      shown(browser, "#emergency-open");
      // Without the 出場番号 the node refuses, and says which field.
      type(browser, "f-reason", "意識障害で救急要請、既往歴の確認");
      browser.driver().findElement(By.cssSelector("#emergency-open button[type=submit]")).click();
      assertThat(shown(browser, "#emergency-open .problem-summary").getText()).contains("出場番号");
      type(browser, "f-dispatchNumber", "R7-01234");
      browser.driver().findElement(By.cssSelector("#emergency-open button[type=submit]")).click();

      WebElement page = shown(browser, "#emergency-view");
      assertThat(page.getText()).contains("星野 ハル", "心肺蘇生を希望しない（DNAR）", "ペニシリン", "不明", "あと");
      assertThat(browser.driver().findElements(By.cssSelector(".ev-calls a.call")).stream()
          .map(a -> a.getAttribute("href"))).contains("tel:0265781234", "tel:09011112222");
      assertThat(page.getText()).doesNotContain("タイムライン");
      assertThat((java.util.List<Object>) browser.driver().executeScript("return window.sentPosts")).containsExactly(
          "/api/v1/emergency/search unkeyed", "/api/v1/emergency/accesses keyed", "/api/v1/emergency/accesses keyed");
      // Large type for a moving ambulance.
      String size = browser.driver().findElement(By.cssSelector(".ev-calls a.call")).getCssValue("font-size");
      assertThat(Double.parseDouble(size.replace("px", ""))).isGreaterThanOrEqualTo(20);
      browser.driver().executeScript("window.scrollTo(0, 0)");
      browser.screenshot("emergency-view-phone");

      String access = browser.driver().getCurrentUrl().replaceAll(".*/emergency-view/", "");
      bed.node.services().database().submitWrite(c -> {
        try (var s = c.prepareStatement("update emergency_accesses set expires_at = '2000-01-01T00:00:00.000Z'"
            + " where id = ?")) {
          s.setString(1, access);
          return s.executeUpdate();
        }
      }).join();
      browser.driver().navigate().refresh();
      assertThat(shown(browser, "#emergency-closed").getText()).contains("閲覧できる時間が終わりました");
    }
    // 行政 reads the access on its review list.
    bed.municipalStaff("gyosei-em-browser", "田中", "明子");
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      bed.logIn(browser, "gyosei-em-browser", "emergency-review");
      browser.driver().get(bed.node.webUrl() + "/#/emergency-review");
      assertThat(shown(browser, "#emergency-accesses").getText()).contains("宮坂 翔", "星野 ハル",
          "意識障害で救急要請", "R7-01234");
      assertThat(browser.driver().findElement(By.id("emergency-flags-none")).getText()).contains("ありません");
    }
  }
}
