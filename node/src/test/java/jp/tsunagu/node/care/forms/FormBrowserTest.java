package jp.tsunagu.node.care.forms;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import jp.tsunagu.node.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareApiTest;

/**
 * The 書類 tab in real headless Chromium: a visiting nurse files a 訪問看護報告書 from a phone, edits
 * one on a PC, and a doctor reads its history.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FormBrowserTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  String patient;

  CareClient nurse;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    CareClient doctor = bed.professional("dr-form-ui", "北原", "健一", "doctor", bed.clinic);
    nurse = bed.professional("ns-form-ui", "宮坂", "由美", "nurse", bed.nursingStation);
    patient = FormSamples.patientWithNurse(doctor, nurse, CareApiTest.patient("竹松", "キヨ", "タケマツ", "キヨ", "1929-11-03"));
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void a_nurse_fills_in_a_home_nursing_report_on_a_phone_sees_it_on_the_timeline_and_opens_its_print_view() {
    try (Browser phone = new Browser(Browser.PHONE)) {
      var driver = phone.driver();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      bed.openPatient(phone, "ns-form-ui", patient);
      wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-tab=forms]"))).click();

      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("form-template")));
      new Select(driver.findElement(By.id("form-template"))).selectByVisibleText("訪問看護報告書");
      driver.findElement(By.id("form-start")).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("form-fill-form")));
      // Chromium's date inputs take keystrokes in the locale's field order; setting the value is
      // what a date picker does and keeps the test independent of that order.
      for (Map.Entry<String, String> date : Map.of("ff-period_start", "2025-06-01", "ff-period_end", "2025-06-30")
          .entrySet()) {
        driver.executeScript("arguments[0].value = arguments[1]", driver.findElement(By.id(date.getKey())),
            date.getValue());
      }
      driver.findElement(By.id("ff-visit_days")).sendKeys("6月2日、9日、16日、23日、30日");
      driver.findElement(By.cssSelector("input[name=visit_kinds][value='看護師等による訪問']")).click();
      driver.findElement(By.id("ff-course")).sendKeys("仙骨部の発赤は体位変換で軽快。血圧は安定。");
      driver.findElement(By.id("ff-nursing")).sendKeys("バイタル測定、服薬確認、皮膚観察と保湿。");
      new Select(driver.findElement(By.id("ff-supplies_change"))).selectByVisibleText("変更なし");
      WebElement submit = driver.findElement(By.id("form-submit"));
      driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", submit);
      submit.click();

      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "訪問看護報告書"));
      assertThat(driver.findElement(By.id("timeline")).getText()).contains("病状の経過：仙骨部の発赤は体位変換で軽快");
      assertThat(driver.findElement(By.cssSelector(".post .form-links a[href$='/pdf']")).getText()).isEqualTo("PDF");
      String timelineWindow = driver.getWindowHandle();
      driver.findElement(By.cssSelector(".post .form-links a[href$='/print']")).click();
      wait.until(d -> d.getWindowHandles().size() == 2);
      driver.getWindowHandles().stream().filter(h -> !h.equals(timelineWindow)).findFirst()
          .ifPresent(h -> driver.switchTo().window(h));
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("body.form-print h1")));
      assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("訪問看護報告書");
      String sheet = driver.findElement(By.cssSelector("main.sheet")).getText();
      assertThat(sheet).contains("竹松 キヨ 様").contains("病状の経過").contains("看護の内容").contains("家庭での介護の状況")
          .contains("2025年6月1日").contains("仙骨部の発赤は体位変換で軽快").contains("宮坂 由美");
      phone.screenshot("form-print-view");
    }
  }

  @Test
  void the_author_edits_a_filed_report_in_the_same_screen_and_a_doctor_reads_its_history_on_a_phone() {
    String id = nurse.post("/api/v1/patients/" + patient + "/forms", new JsonObject()
        .put("template", FormSamples.HOUKOKUSHO).put("values", FormSamples.houkokusho())).json().getString("id");
    By post = By.cssSelector("li[data-post='" + id + "']");
    try (Browser pc = new Browser(Browser.DESKTOP)) {
      var driver = pc.driver();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      bed.openPatient(pc, "ns-form-ui", patient);
      wait.until(ExpectedConditions.visibilityOfElementLocated(post)).findElement(By.cssSelector("a[data-edit-form]"))
          .click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("form-fill-form")));
      assertThat(driver.findElement(By.cssSelector("#form-fill-form h2")).getText()).contains("訪問看護報告書の編集");
      WebElement course = driver.findElement(By.id("ff-course"));
      assertThat(course.getAttribute("value")).isEqualTo(FormSamples.houkokusho().getString("course"));
      assertThat(driver.findElement(By.cssSelector("input[name=visit_kinds][value='看護師等による訪問']")).isSelected())
          .isTrue();
      assertThat(new Select(driver.findElement(By.id("ff-supplies_change"))).getFirstSelectedOption().getText())
          .isEqualTo("変更なし");
      course.clear();
      course.sendKeys("6/20より仙骨部の発赤は消失。");
      WebElement submit = driver.findElement(By.id("form-submit"));
      assertThat(submit.getText()).isEqualTo("更新する");
      driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", submit);
      submit.click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(post, "6/20より仙骨部の発赤は消失"));
      assertThat(driver.findElement(post).getText()).contains("（編集済み）");
      pc.screenshot("form-edited");
    }
    try (Browser phone = new Browser(Browser.PHONE)) {
      WebDriverWait wait = new WebDriverWait(phone.driver(), Duration.ofSeconds(20));
      bed.openPatient(phone, "dr-form-ui", patient);
      WebElement edited = wait.until(ExpectedConditions.visibilityOfElementLocated(post));
      assertThat(edited.findElements(By.cssSelector("a[data-edit-form]"))).as("only the author edits").isEmpty();
      edited.findElement(By.cssSelector("a[data-history]")).click();
      wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".versions li"), 2));
      String history = phone.driver().findElement(By.cssSelector(".versions")).getText();
      assertThat(history).contains("第1版").contains("第2版").contains("6/16に仙骨部発赤あり")
          .contains("6/20より仙骨部の発赤は消失");
      assertThat(phone.driver().findElement(By.cssSelector(".versions a[href$='version=1']")).getText())
          .isEqualTo("第1版を印刷");
      phone.driver().executeScript("document.querySelector('.versions').scrollIntoView({block: 'center'})");
      phone.screenshot("form-history");
    }
  }
}
