package jp.tsunagu.node.care.categories;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * 情報カテゴリー in real headless Chromium: municipal staff set them on a PC (add, move, stop,
 * rename); a doctor on a phone gets them in the post form and filters the timeline by them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CategoryBrowserTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  String patient;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    bed.municipalStaff("ina-gyosei-cat", "伊那", "花子");
    doctor = bed.professional("dr-cat-ui", "北原", "健一", "doctor", bed.clinic);
    patient = doctor.post("/api/v1/patients", CareApiTest.patient("竹松", "キヨ", "タケマツ", "キヨ", "1929-11-03"))
        .json().getString("id");
    doctor.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "リハビリ")
        .put("body", "歩行訓練を開始しました。"));
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private static WebElement row(Browser browser, String name) {
    return browser.driver().findElements(By.cssSelector("#category-list li")).stream()
        .filter(li -> name.equals(li.findElement(By.tagName("input")).getAttribute("value"))).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + name));
  }

  private static List<String> names(Browser browser) {
    return browser.driver().findElements(By.cssSelector("#category-list li input"))
        .stream().map(input -> input.getAttribute("value")).toList();
  }

  private static void waitForStatus(Browser browser, String text) {
    new WebDriverWait(browser.driver(), Duration.ofSeconds(20))
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("category-result"), text));
  }

  @Test
  void municipal_staff_set_the_categories_and_a_doctor_posts_and_filters_with_them_on_a_phone() {
    try (Browser pc = new Browser(Browser.DESKTOP)) {
      bed.logIn(pc, "ina-gyosei-cat", "approvals");
      pc.driver().findElement(By.cssSelector("a[data-view=categories]")).click();
      pc.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#category-list li")));
      assertThat(pc.driver().findElement(By.tagName("h1")).getText()).isEqualTo("情報カテゴリーの設定");

      pc.driver().findElement(By.id("category-name")).sendKeys("口腔ケア");
      pc.driver().findElement(By.cssSelector("#category-add button")).click();
      waitForStatus(pc, "「口腔ケア」を追加しました。");
      assertThat(names(pc)).last().isEqualTo("口腔ケア");
      row(pc, "口腔ケア").findElement(By.cssSelector("button[data-move='-1']")).click();
      waitForStatus(pc, "「口腔ケア」を移動しました。");
      List<String> moved = names(pc);
      assertThat(moved.get(moved.size() - 2)).isEqualTo("口腔ケア");

      row(pc, "睡眠").findElement(By.cssSelector("button[data-active]")).click();
      waitForStatus(pc, "「睡眠」を停止しました。");
      assertThat(row(pc, "睡眠").getText()).contains("停止中");
      assertThat(row(pc, "書類").findElements(By.cssSelector("button[data-active]"))).as("fixed").isEmpty();

      WebElement rehab = row(pc, "リハビリ");
      rehab.findElement(By.tagName("input")).clear();
      rehab.findElement(By.tagName("input")).sendKeys("リハビリ・機能訓練");
      rehab.findElement(By.cssSelector(".category-rename button")).click();
      waitForStatus(pc, "名前を「リハビリ・機能訓練」に変更しました。");
      assertThat(row(pc, "リハビリ・機能訓練").getText()).contains("旧名: リハビリ");
      pc.screenshot("category-settings");
    }

    try (Browser phone = new Browser(Browser.PHONE)) {
      bed.openPatient(phone, "dr-cat-ui", patient);
      List<String> offered = new Select(phone.driver().findElement(By.id("post-category"))).getOptions().stream()
          .map(WebElement::getText).toList();
      assertThat(offered).contains("口腔ケア", "リハビリ・機能訓練").doesNotContain("睡眠", "リハビリ");
      assertThat(offered.indexOf("口腔ケア")).isEqualTo(offered.size() - 2);

      new Select(phone.driver().findElement(By.id("post-category"))).selectByVisibleText("口腔ケア");
      phone.driver().findElement(By.id("post-body")).sendKeys("義歯が合わず食事量が減っています。");
      phone.driver().findElement(By.id("post-submit")).click();
      phone.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "義歯が合わず"));

      Select filter = new Select(phone.driver().findElement(By.id("timeline-category")));
      filter.selectByVisibleText("口腔ケア");
      phone.waiting().until(driver -> {
        String shown = driver.findElement(By.id("timeline")).getText();
        return shown.contains("義歯が合わず") && !shown.contains("歩行訓練を開始");
      });
      filter.selectByVisibleText("リハビリ・機能訓練");
      phone.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "歩行訓練を開始"));
      String timeline = phone.driver().findElement(By.id("timeline")).getText();
      assertThat(timeline).doesNotContain("義歯が合わず");
      assertThat(phone.driver().findElement(By.cssSelector("#timeline .post .badge")).getText())
          .as("the post keeps the name it was written with").isEqualTo("リハビリ");
      assertThat(filter.getOptions().stream().map(WebElement::getText)).contains("睡眠（停止中）");
      phone.screenshot("timeline-category-filter");
    }
  }
}
