package jp.tsunagu.node.care;

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

/** The 書類 tab in real headless Chromium: a visiting nurse files a 訪問看護報告書 from a phone. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FormBrowserTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  String patient;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    CareClient doctor = bed.professional("dr-form-ui", "北原", "健一", "doctor", bed.clinic);
    CareClient nurse = bed.professional("ns-form-ui", "宮坂", "由美", "nurse", bed.nursingStation);
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
      driver.get(bed.node.webUrl() + "/#/login");
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
      driver.findElement(By.id("f-loginId")).sendKeys("ns-form-ui");
      driver.findElement(By.id("f-password")).sendKeys(CareTestbed.PASSWORD);
      driver.findElement(By.cssSelector("#login-form button")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("li:not([hidden]) > a[data-view=patients]")));
      driver.get(bed.node.webUrl() + "/#/patient/" + patient);
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
}
