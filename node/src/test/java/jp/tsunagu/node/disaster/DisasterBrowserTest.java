package jp.tsunagu.node.disaster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jp.tsunagu.node.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * 災害時支援 in real headless Chromium: 行政 imports the register (a file with a bad row is refused
 * with its line shown, the corrected file is previewed and confirmed), declares a disaster, and every
 * screen shows the banner while the dashboard counts each 地区 (medical devices first) on a table and
 * a map, 安否確認 is recorded from the list and counted on the live progress board; a nurse then sees
 * the people of the declared 地区.
 */
class DisasterBrowserTest {

  @TempDir
  static Path dir;
  static DisasterNode ina;

  @BeforeAll
  static void start() throws Exception {
    ina = new DisasterNode(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    ina.close();
  }

  private static void login(Browser browser, String loginId, String landing) {
    browser.driver().get(ina.node.webUrl() + "/#/login");
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    browser.driver().findElement(By.id("f-loginId")).sendKeys(loginId);
    browser.driver().findElement(By.id("f-password")).sendKeys(DisasterNode.PASSWORD);
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

  @Test
  void staff_import_and_confirm_the_register_then_declare_a_disaster_shown_on_every_screen() throws Exception {
    Path broken = dir.resolve("broken.csv");
    Path fixed = dir.resolve("register.csv");
    Files.writeString(broken, DisasterNode.HEADER + DisasterRegisterTest.KASUGA + "\n"
        + DisasterRegisterTest.KITAZAWA.replace("1939-11-03", "1939-13-03") + "\n", StandardCharsets.UTF_8);
    Files.writeString(fixed, DisasterNode.HEADER + DisasterRegisterTest.KASUGA + "\n" + DisasterRegisterTest.KITAZAWA
        + "\n" + DisasterRegisterTest.KOIKE + "\n", StandardCharsets.UTF_8);
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      login(browser, "ina-gyosei", "#/approvals");
      menu(browser, "disaster-register", "要援護者台帳");
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("register-form")));

      browser.driver().findElement(By.id("register-file")).sendKeys(broken.toString());
      browser.driver().findElement(By.id("register-upload")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("register-errors")));
      assertThat(browser.driver().findElement(By.id("register-errors")).getText()).contains("3", "生年月日");

      browser.driver().findElement(By.id("register-file")).clear();
      browser.driver().findElement(By.id("register-file")).sendKeys(fixed.toString());
      browser.driver().findElement(By.id("register-upload")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("register-confirm")));
      assertThat(browser.driver().findElement(By.id("register-added")).getText()).contains("春日 トメ", "北沢 正夫",
          "小池 清");
      assertThat(new JsonObject(ina.staff.get("/api/v1/disaster/summary").body()).getValue("version")).isNull();
      browser.driver().findElement(By.id("register-confirm")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("register-result"), "第1版"));
      browser.screenshot("disaster-register-confirmed");

      menu(browser, "disaster", "災害時支援");
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("disaster-declare")));
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(
          By.cssSelector("#disaster-counts tr[data-district='美篶'] .medical"), "1"));
      browser.driver().findElement(By.cssSelector("input[name=disaster-district][value='美篶']")).click();
      browser.driver().findElement(By.id("disaster-declare-button")).click();
      browser.waiting().until(ExpectedConditions.alertIsPresent()).accept();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("disaster-banner")));
      assertThat(browser.driver().findElement(By.id("disaster-banner")).getText()).contains("災害モード", "地震", "美篶");
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("disaster-end")));
      // 西箕輪, 美篶 and 東春近 each have someone: one marker per 地区 (the counts are made by the node) ...
      browser.waiting().until(d -> "3".equals(d.findElement(By.id("disaster-map")).getDomAttribute("data-districts")));
      assertThat(browser.driver().findElement(By.id("disaster-map")).getDomAttribute("data-people")).isEqualTo("3");
      // ... and zoomed out, Leaflet.markercluster gathers them into one cluster with the sum of their counts,
      // red since one of them depends on a medical device.
      for (int i = 0; i < 5; i++) {
        browser.driver().executeScript("document.querySelector('#disaster-map .leaflet-control-zoom-out').click()");
        Thread.sleep(300);
      }
      browser.waiting().until(d -> {
        var icons = d.findElements(By.cssSelector("#disaster-map .district-count"));
        return icons.size() == 1 && icons.get(0).getText().contains("3地区") && icons.get(0).getText().contains("3人")
            && icons.get(0).getDomAttribute("class").contains("medical");
      });
      browser.driver().executeScript("document.getElementById('disaster-map').scrollIntoView()");
      browser.screenshot("disaster-map-clustered");
      assertThat(browser.driver().findElements(By.cssSelector("#disaster-people tr")).get(0).getText())
          .startsWith("★ 北沢 正夫");
      browser.screenshot("disaster-dashboard-declared");

      // 安否確認: recorded from the list; the progress board is updated by its live stream
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(
          By.cssSelector("#safety-table tr[data-district='美篶'] .progress"), "0 / 1"));
      browser.driver().findElement(By.cssSelector("button[data-safety='キタザワマサオ/1939-11-03']")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("form.safety-form")));
      new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.cssSelector("form.safety-form select")))
          .selectByValue("shelter");
      browser.driver().findElement(By.cssSelector("form.safety-form input[name=shelter]")).sendKeys("美篶小学校体育館");
      browser.driver().findElement(By.cssSelector("form.safety-form button")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(
          By.cssSelector("#safety-table tr[data-district='美篶'] .progress"), "1 / 1"));
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("disaster-people"),
          "美篶小学校体育館"));
      browser.screenshot("disaster-safety-board");
    }

    try (Browser browser = new Browser(Browser.PHONE)) {
      login(browser, "ina-kango", "#/patients");
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("disaster-banner")));
      menu(browser, "disaster", "災害時支援");
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("disaster-people"), "北沢 正夫"));
      assertThat(browser.driver().findElements(By.id("disaster-declare"))).isEmpty();
      browser.screenshot("disaster-dashboard-nurse-phone");
    }
    ina.staff.postJson("/api/v1/disaster/declarations/current/end", new JsonObject());
  }
}
