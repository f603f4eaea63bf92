package jp.tsunagu.node.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneId;
import jp.tsunagu.node.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The レポート screen in real headless Chromium: 行政 read a year of figures on a PC (the demo's generated
 * year said to be generated, the charts drawn, the table of every figure, the CSV link of the period,
 * the whole node's area) and a short period on a phone, where the page fits 390 px; a period of more
 * than five years shows the refusal in Japanese.
 */
class ReportsBrowserTest {

  @TempDir
  static Path dir;
  static ReportsBed bed;
  static String thisMonth;

  @BeforeAll
  static void start() {
    bed = new ReportsBed(dir);
    bed.node.feature(ReportsFeature.class).seedDemo();
    thisMonth = YearMonth.now(ZoneId.of("Asia/Tokyo")).toString();
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static WebDriverWait longWait(Browser browser) {
    return new WebDriverWait(browser.driver(), Duration.ofSeconds(20));
  }

  private static void login(Browser browser) {
    browser.driver().get(bed.node.webUrl() + "/#/login");
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-identity=ready]")));
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    browser.driver().findElement(By.id("f-loginId")).sendKeys("ina-gyosei");
    browser.driver().findElement(By.id("f-password")).sendKeys(ReportsBed.PASSWORD);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
    longWait(browser).until(ExpectedConditions.not(ExpectedConditions.urlContains("#/login")));
  }

  @Test
  void municipal_staff_read_a_year_of_figures_with_charts_on_a_pc() {
    try (Browser pc = new Browser(Browser.DESKTOP)) {
      login(pc);
      pc.driver().findElement(By.cssSelector("#nav-list a[data-view=reports]")).click();
      WebElement table = longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(By.id("report-table")));
      assertThat(table.findElements(By.cssSelector("thead th"))).hasSize(13);
      assertThat(table.findElement(By.cssSelector("tr[data-key='care.posts'] th")).getText()).isEqualTo("記事");
      assertThat(table.findElement(By.cssSelector("tr[data-key='care.posts'] td:last-child")).getText()).isEqualTo("1");
      assertThat(table.findElement(By.cssSelector("tr[data-key='identity.professionals:nurse'] th")).getText())
          .isEqualTo("職種別 看護師");
      assertThat(pc.driver().findElement(By.id("report-generated")).isDisplayed()).isTrue();
      longWait(pc).until(ExpectedConditions.attributeToBe(By.id("report-charts"), "data-charts", "drawn"));
      assertThat(pc.driver().findElements(By.cssSelector("#report-charts canvas"))).hasSize(2);
      String csv = pc.driver().findElement(By.id("report-csv")).getAttribute("href");
      assertThat(csv).contains("/api/v1/reports/usage.csv?from=" + YearMonth.parse(thisMonth).minusMonths(11)
          + "&to=" + thisMonth);
      assertThat(pc.driver().findElement(By.tagName("main")).getText()).doesNotContain(ReportsBed.PATIENT_FAMILY);
      pc.screenshot("reports-pc");
      pc.driver().findElement(By.id("report-pact-ask")).click();
      WebElement pact = longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(By.id("report-pact-table")));
      assertThat(pact.findElement(By.cssSelector("thead th:last-child")).getText()).isEqualTo("ina");
      assertThat(pact.findElement(By.cssSelector("tr[data-key='identity.professionals'] td")).getText()).isEqualTo("<5");
      assertThat(pc.driver().findElement(By.id("report-pact-none")).getText()).contains("連携先はありません");
      new Select(pc.driver().findElement(By.id("report-area"))).selectByVisibleText("ノード全体");
      longWait(pc).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#report-table caption"),
          "ノード全体"));
    }
  }

  @Test
  void on_a_phone_a_short_period_fits_the_screen_and_a_too_long_one_is_refused_in_japanese() {
    try (Browser phone = new Browser(Browser.PHONE)) {
      login(phone);
      phone.driver().get(bed.node.webUrl() + "/#/reports?from=" + YearMonth.parse(thisMonth).minusMonths(2)
          + "&to=" + thisMonth);
      WebElement table = longWait(phone).until(ExpectedConditions.visibilityOfElementLocated(By.id("report-table")));
      assertThat(table.findElements(By.cssSelector("thead th"))).hasSize(4);
      longWait(phone).until(ExpectedConditions.attributeToBe(By.id("report-charts"), "data-charts", "drawn"));
      Object width = ((JavascriptExecutor) phone.driver()).executeScript(
          "return document.documentElement.scrollWidth");
      assertThat(((Number) width).intValue()).isLessThanOrEqualTo(390);
      phone.screenshot("reports-phone");
      phone.driver().get(bed.node.webUrl() + "/#/reports?from=2001-01&to=" + thisMonth);
      WebElement error = longWait(phone).until(ExpectedConditions.visibilityOfElementLocated(By.id("report-error")));
      assertThat(error.getText()).contains("5 年");
    }
  }
}
