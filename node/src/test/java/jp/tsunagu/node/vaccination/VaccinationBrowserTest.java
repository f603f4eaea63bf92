package jp.tsunagu.node.vaccination;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.node.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * Vaccination in real headless Chromium: on a phone, a visiting nurse records a dose from the
 * patient's 予防接種 tab with photos of the 接種券 and 予診票 and the observation timer, sees the
 * history, the status icons on the patient page and on 患者一覧, and plans the next one; on a PC,
 * 行政 reads the report and downloads the CSV in UTF-8 and Shift_JIS, which read back the same.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VaccinationBrowserTest {

  @TempDir
  static Path dir;
  static VaccinationNode ina;
  static String patient;

  @BeforeAll
  static void start() {
    ina = new VaccinationNode(dir);
    patient = ina.patient("春日", "1931-05-12", "長野県伊那市西箕輪3000-1");
  }

  @AfterAll
  static void stop() {
    ina.close();
  }

  private static void login(Browser browser, String loginId, String landing) {
    browser.driver().get(ina.node.webUrl() + "/#/login");
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    browser.driver().findElement(By.id("f-loginId")).sendKeys(loginId);
    browser.driver().findElement(By.id("f-password")).sendKeys(VaccinationNode.PASSWORD);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
    browser.waiting().until(ExpectedConditions.urlContains(landing));
  }

  private static void menu(Browser browser, String view, String label) {
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("li:not([hidden]) > a[data-view=" + view + "]")));
    if (browser.driver().findElement(By.id("menu-toggle")).isDisplayed()) {
      browser.driver().findElement(By.id("menu-toggle")).click();
    }
    browser.waiting().until(ExpectedConditions.elementToBeClickable(By.linkText(label))).click();
  }

  private static void type(Browser browser, String id, String text) {
    WebElement field = browser.driver().findElement(By.id(id));
    browser.driver().executeScript("arguments[0].scrollIntoView({block: 'center'})", field);
    field.clear();
    field.sendKeys(text);
  }

  private static void click(Browser browser, WebElement element) {
    browser.driver().executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
    browser.waiting().until(ExpectedConditions.elementToBeClickable(element)).click();
  }

  @Test
  @Order(1)
  void a_nurse_records_a_dose_with_photos_and_the_observation_timer_on_a_phone() throws Exception {
    Path ticket = dir.resolve("ticket.png");
    Path screening = dir.resolve("screening.png");
    Files.write(ticket, VaccinationApiTest.PNG);
    Files.write(screening, VaccinationApiTest.PNG);
    try (Browser browser = new Browser(Browser.PHONE)) {
      login(browser, "ina-kango", "#/patients");
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("patient-list"), "未接種"));
      click(browser, browser.driver().findElement(By.partialLinkText("春日")));
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("vaccination-badges"),
          "インフルエンザ"));
      click(browser, browser.driver().findElement(By.cssSelector("[data-tab=vaccination]")));
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("dose-form")));

      new Select(browser.driver().findElement(By.id("dose-vaccine"))).selectByVisibleText("インフルエンザ");
      assertThat(browser.driver().findElement(By.id("dose-number")).getDomProperty("value")).isEqualTo("1");
      type(browser, "dose-maker", "第一三共");
      type(browser, "dose-lot", "fk1234");
      type(browser, "dose-vaccinator", "伊那 医師");
      type(browser, "dose-ticket", "2020961234");
      type(browser, "dose-temp", "36.6");
      for (WebElement no : browser.driver().findElements(By.cssSelector(".screening input[value=no]"))) {
        click(browser, no);
      }
      browser.driver().findElement(By.id("dose-ticket-photo")).sendKeys(ticket.toString());
      browser.driver().findElement(By.id("dose-screening-photo")).sendKeys(screening.toString());

      click(browser, browser.driver().findElement(By.id("obs-start")));
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("obs-timer"), "残り 1"));
      assertThat(browser.driver().findElement(By.id("obs-timer")).getText()).matches("残り 1[45]:[0-9]{2}（.*まで）");
      browser.screenshot("vaccination-observation-timer-phone");
      click(browser, browser.driver().findElement(By.id("obs-end")));
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("obs-timer"), "経過観察 終了"));
      type(browser, "obs-observer", "春日 ミサ");
      click(browser, browser.driver().findElement(By.id("dose-submit")));

      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("dose-history"),
          "インフルエンザ 1回目"));
      assertThat(browser.driver().findElement(By.id("dose-history")).getText()).contains("ロット FK1234", "春日 ミサ");
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("vaccination-badges"),
          "接種済み 1回"));
      browser.screenshot("vaccination-tab-phone");

      // The next dose is planned at home: 希望, then 予定.
      new Select(browser.driver().findElement(By.id("plan-vaccine"))).selectByVisibleText("COVID-19");
      click(browser, browser.driver().findElement(By.cssSelector("#plan-wish button")));
      browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".plan-schedule input")));
      WebElement date = browser.driver().findElement(By.cssSelector(".plan-schedule input"));
      browser.driver().executeScript("arguments[0].value = arguments[1]", date,
          java.time.LocalDate.now().plusDays(3).toString());
      click(browser, browser.driver().findElement(By.cssSelector(".plan-schedule button")));
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("vaccination-badges"), "予定"));

      menu(browser, "patients", "患者一覧");
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("patient-list"),
          "接種済み 1回"));
      assertThat(browser.driver().findElement(By.id("patient-list")).getText()).contains("予定");
      browser.screenshot("vaccination-patient-list-phone");
      menu(browser, "vaccination-plans", "在宅接種の予定");
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("plan-rows"), "春日 トメ 様"));
      assertThat(browser.driver().findElement(By.id("plan-rows")).getText()).contains("COVID-19", "予定");
    }
    JsonObject post = new JsonObject(ina.nurse.get("/api/v1/patients/" + patient + "/posts").body())
        .getJsonArray("posts").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("body").contains("【予防接種】")).findFirst().orElseThrow();
    assertThat(post.getJsonArray("attachments")).hasSize(2);
  }

  @Test
  @Order(2)
  void staff_read_the_report_and_the_shift_jis_csv_reads_back_as_the_utf8_one() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      login(browser, "ina-gyosei", "#/approvals");
      menu(browser, "vaccination-report", "予防接種の報告");
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("report-total"), "接種 1 件"));
      assertThat(browser.driver().findElement(By.id("report-counts")).getText()).contains("西箕輪", "85歳以上", "訪問",
          "1回目");
      browser.screenshot("vaccination-report-desktop");
      @SuppressWarnings("unchecked")
      List<String> files = (List<String>) browser.driver().executeAsyncScript("""
          const done = arguments[arguments.length - 1];
          const read = (id, charset) => fetch(document.getElementById(id).href, { credentials: 'same-origin' })
            .then(r => r.arrayBuffer()).then(b => new TextDecoder(charset).decode(b));
          Promise.all([read('csv-utf8', 'utf-8'), read('csv-sjis', 'shift_jis')]).then(done, e => done([String(e)]));
          """);
      assertThat(files).hasSize(2);
      assertThat(files.get(0)).startsWith("接種券番号,接種日,ワクチン種類,メーカー,ロット番号,接種回数")
          .contains("2020961234,").contains(",インフルエンザ,第一三共,FK1234,1");
      assertThat(files.get(1)).isEqualTo(files.get(0));

      // 行政 marks the patient for a home 帯状疱疹 vaccination.
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("home-need-patient"), "春日 トメ"));
      new Select(browser.driver().findElement(By.id("home-need-vaccine"))).selectByVisibleText("帯状疱疹");
      click(browser, browser.driver().findElement(By.cssSelector("#home-need button")));
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("home-need-list"), "帯状疱疹"));

      type(browser, "vaccine-name", "RSウイルス");
      click(browser, browser.driver().findElement(By.cssSelector("#vaccine-add button")));
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("vaccine-list"), "RSウイルス"));
    }
  }
}
