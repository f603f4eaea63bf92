package jp.tsunagu.node.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * 地域資源の管理 in real headless Chromium, as municipal staff (行政) use it on a PC and a phone:
 * registering with the map and a structured schedule, editing with per-field errors and a photo,
 * publishing from the list, and a CSV import whose errors are reported per row with nothing imported.
 */
class StaffResourcesBrowserTest {

  @TempDir
  static Path dir;

  static ResourceNode fixture;
  static TestHttp anonymous;

  @BeforeAll
  static void start() {
    fixture = new ResourceNode(dir);
    anonymous = new TestHttp(fixture.node);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** Logs in as 行政 and opens 地域資源の管理 from the menu. */
  private static void openStaffScreens(Browser browser) {
    browser.driver().get(fixture.node.webUrl() + "/#/login");
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    browser.driver().findElement(By.id("f-loginId")).sendKeys("ina-gyosei");
    browser.driver().findElement(By.id("f-password")).sendKeys(ResourceNode.PASSWORD);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
    // Staff land on 申請の審査 after login; the menu is used from there.
    browser.waiting().until(ExpectedConditions.urlContains("#/approvals"));
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("li:not([hidden]) > a[data-view=staff-resources]")));
    if (browser.driver().findElement(By.id("menu-toggle")).isDisplayed()) {
      browser.driver().findElement(By.id("menu-toggle")).click();
    }
    browser.waiting().until(ExpectedConditions.elementToBeClickable(By.linkText("地域資源の管理"))).click();
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("staff-resource-search")));
  }

  private static JsonObject staffView(String id) {
    return new JsonObject(fixture.staff.get("/api/v1/staff/resources/" + id).body());
  }

  private static void type(Browser browser, String id, String text) {
    WebElement input = browser.driver().findElement(By.id(id));
    input.clear();
    input.sendKeys(text);
  }

  @Test
  void staff_register_a_resource_placing_it_on_the_map_with_a_weekly_schedule_on_a_pc() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      openStaffScreens(browser);
      browser.driver().findElement(By.linkText("新規登録")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("resource-form")));
      type(browser, "rf-name", "西箕輪ふれあい体操");
      type(browser, "rf-nameKana", "ニシミノワフレアイタイソウ");
      new Select(browser.driver().findElement(By.id("rf-category"))).selectByVisibleText("通いの場");
      new Select(browser.driver().findElement(By.id("rf-subCategory"))).selectByVisibleText("体操・運動教室");
      browser.driver().findElement(By.cssSelector("input[name=tags][value='体操']")).click();
      browser.driver().findElement(By.cssSelector("input[name=tags][value='室内']")).click();
      type(browser, "rf-address", "伊那市西箕輪3000");
      type(browser, "rf-phone", "0265-78-4111");
      type(browser, "rf-fax", "0265-78-4112");
      type(browser, "rf-url", "https://www.inacity.jp/");
      type(browser, "rf-description", "椅子に座ってできる体操です。");
      browser.driver().findElement(By.id("rf-add-rule")).click();
      browser.driver().findElement(By.cssSelector(".schedule-rule .rule-day[value=thu]")).click();
      browser.driver().executeScript("const r = document.querySelector('.schedule-rule');"
          + "r.querySelector('.rule-start').value = '10:00'; r.querySelector('.rule-end').value = '11:30';"
          + "r.dispatchEvent(new Event('change', {bubbles: true}));");
      browser.waiting().until(ExpectedConditions.textToBe(By.id("rf-schedule-preview"), "表示: 毎週木曜日 10:00〜11:30"));
      type(browser, "rf-scheduleNote", "祝日は休み");
      type(browser, "rf-fee", "無料");
      type(browser, "rf-capacity", "20");
      type(browser, "rf-transport", "なし");
      type(browser, "rf-accessibility", "車いす対応");
      type(browser, "rf-contact", "伊那市役所 高齢者福祉課");
      browser.driver().executeScript("document.getElementById('rf-lastVerified').value = '2025-04-01'");
      // No tiles load here, but the map takes clicks: one places the marker and fills the coordinates.
      browser.waiting().until(d -> "true".equals(d.findElement(By.id("resource-map")).getAttribute("data-ready")));
      browser.driver().findElement(By.id("resource-map")).click();
      browser.waiting().until(d -> !d.findElement(By.id("rf-latitude")).getAttribute("value").isEmpty());
      double lat = Double.parseDouble(browser.driver().findElement(By.id("rf-latitude")).getAttribute("value"));
      double lon = Double.parseDouble(browser.driver().findElement(By.id("rf-longitude")).getAttribute("value"));
      assertThat(browser.driver().findElements(By.cssSelector("#resource-map .leaflet-marker-icon"))).hasSize(1);
      browser.driver().findElement(By.id("rf-publish")).click();
      browser.screenshot("staff-resource-new-pc");
      browser.driver().findElement(By.id("rf-save")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "西箕輪ふれあい体操 の編集"));

      String id = browser.driver().getCurrentUrl().replaceAll(".*/", "");
      JsonObject saved = staffView(id);
      assertThat(saved.getString("subCategory")).isEqualTo("gathering.exercise");
      assertThat(saved.getJsonArray("tags")).containsExactlyInAnyOrder("体操", "室内");
      assertThat(saved.getString("scheduleRules")).isEqualTo("weekly:thu@10:00-11:30");
      assertThat(saved.getString("scheduleText")).isEqualTo("毎週木曜日 10:00〜11:30（祝日は休み）");
      assertThat(saved.getDouble("latitude")).isCloseTo(lat, org.assertj.core.data.Offset.offset(1e-6));
      assertThat(saved.getDouble("longitude")).isCloseTo(lon, org.assertj.core.data.Offset.offset(1e-6));
      assertThat(saved.getInteger("capacity")).isEqualTo(20);
      assertThat(saved.getString("fax")).isEqualTo("0265-78-4112");
      assertThat(saved.getString("lastVerified")).isEqualTo("2025-04-01");
      assertThat(saved.getBoolean("published")).isTrue();
      assertThat(anonymous.get("/resources/" + id).body()).contains("西箕輪ふれあい体操");
    }
  }

  @Test
  void staff_edit_a_resource_see_each_wrong_field_marked_then_save_and_add_a_photo_on_a_phone() throws Exception {
    String id = fixture.create(ResourceNode.salon("美篶ほっとサロン", 35.8450, 137.9900), false);
    Path photo = dir.resolve("salon.png");
    Files.write(photo, Base64Png.RED_DOT);
    try (Browser browser = new Browser(Browser.PHONE)) {
      openStaffScreens(browser);
      browser.driver().get(fixture.node.webUrl() + "/#/staff-resource/" + id);
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("resource-form")));
      assertThat(browser.driver().findElement(By.cssSelector(".schedule-rule .rule-day[value=thu]")).isSelected()).isTrue();
      type(browser, "rf-phone", "でんわ");
      type(browser, "rf-latitude", "99");
      type(browser, "rf-fee", "200円");
      browser.driver().findElement(By.id("rf-save")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("rf-problems")));
      assertThat(browser.driver().findElement(By.cssSelector("[data-field=phone] .field-error")).getText())
          .contains("電話番号の形式ではありません");
      assertThat(browser.driver().findElement(By.cssSelector("[data-field=latitude] .field-error")).getText())
          .contains("日本の範囲");
      assertThat(browser.driver().findElement(By.id("rf-phone")).getAttribute("aria-invalid")).isEqualTo("true");
      assertThat(staffView(id).getString("fee")).as("nothing saved").isEqualTo("100円（お茶代）");
      browser.screenshot("staff-resource-errors-phone");

      type(browser, "rf-phone", "0265-72-0001");
      type(browser, "rf-latitude", "35.845");
      browser.driver().findElement(By.id("rf-save")).click();
      browser.waiting().until(ExpectedConditions.textToBe(By.id("rf-result"), "保存しました。"));
      assertThat(browser.driver().findElement(By.id("rf-problems")).isDisplayed()).isFalse();
      assertThat(staffView(id).getString("fee")).isEqualTo("200円");
      assertThat(staffView(id).getString("phone")).isEqualTo("0265-72-0001");

      browser.driver().findElement(By.id("photo-file")).sendKeys(photo.toString());
      browser.driver().findElement(By.cssSelector("#photo-form button")).click();
      browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".photo-list img")));
      assertThat(staffView(id).getJsonArray("photos")).hasSize(1);
      Long width = (Long) browser.driver().executeScript(
          "return document.querySelector('.photo-list img').naturalWidth");
      assertThat(width).as("the staff see the photo of an unpublished resource").isEqualTo(1L);
      Long page = (Long) browser.driver().executeScript("return document.documentElement.scrollWidth");
      assertThat(page).as("no sideways scrolling on a phone").isLessThanOrEqualTo(Browser.PHONE.getWidth());
    }
  }

  @Test
  void staff_find_a_resource_by_keyword_and_status_and_publish_it_from_the_list() {
    String id = fixture.create(ResourceNode.salon("手良おしゃべり広場", 35.8690, 138.0010), false);
    fixture.create(ResourceNode.salon("手良もの忘れ相談", 35.8691, 138.0011), true);
    assertThat(anonymous.get("/resources/" + id).statusCode()).isEqualTo(404);
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      openStaffScreens(browser);
      type(browser, "sr-q", "手良");
      new Select(browser.driver().findElement(By.id("sr-status"))).selectByValue("unpublished");
      browser.waiting().until(d -> names(browser).equals(List.of("手良おしゃべり広場")));
      WebElement row = browser.driver().findElement(By.cssSelector("#staff-resource-list li[data-id='" + id + "']"));
      assertThat(row.getText()).contains("非公開");
      row.findElement(By.cssSelector(".toggle-publish")).click();
      browser.waiting().until(d -> names(browser).isEmpty());
      new Select(browser.driver().findElement(By.id("sr-status"))).selectByValue("published");
      browser.waiting().until(d -> names(browser).containsAll(List.of("手良おしゃべり広場", "手良もの忘れ相談")));
      assertThat(browser.driver().findElement(By.cssSelector("#staff-resource-list li[data-id='" + id + "']"))
          .getText()).contains("公開中");
    }
    assertThat(anonymous.get("/resources/" + id).body()).contains("手良おしゃべり広場");
  }

  /** Read in one script call: the list is re-rendered after each search. */
  @SuppressWarnings("unchecked")
  private static List<String> names(Browser browser) {
    return (List<String>) browser.driver().executeScript(
        "return [...document.querySelectorAll('#staff-resource-list li[data-id] strong')].map(e => e.textContent)");
  }

  /** Opens 地域資源の分類・タグ from the staff menu, or from the link on 地域資源の管理. */
  private static void openVocabulary(Browser browser, boolean fromMenu) {
    openStaffScreens(browser);
    if (fromMenu) {
      if (browser.driver().findElement(By.id("menu-toggle")).isDisplayed()) {
        browser.driver().findElement(By.id("menu-toggle")).click();
      }
      browser.waiting().until(ExpectedConditions.elementToBeClickable(By.linkText("地域資源の分類・タグ"))).click();
    } else {
      browser.waiting().until(ExpectedConditions.elementToBeClickable(By.linkText("分類・タグ"))).click();
    }
    browser.waiting().until(d -> d.findElements(By.cssSelector("#voc-categories > li[data-code]")).size() > 3);
  }

  private static String vocabulary() {
    return fixture.staff.get("/api/v1/staff/resource-vocabulary").body();
  }

  private static void waitForFieldError(Browser browser, String field, String text) {
    browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id(field + "-error"), text));
    assertThat(browser.driver().findElement(By.id(field)).getAttribute("aria-invalid")).isEqualTo("true");
  }

  @Test
  void staff_add_a_sub_category_and_a_tag_and_see_each_refusal_beside_its_field_on_a_pc() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      openVocabulary(browser, true);
      assertThat(browser.driver().findElement(By.cssSelector("#voc-categories > li[data-code=gathering]")).getText())
          .contains("通いの場", "サロン", "体操・運動教室");
      assertThat(browser.driver().findElement(By.cssSelector("#voc-categories > li[data-code=care]")).getText())
          .contains("オープンデータ: 介護サービス事業所一覧");
      assertThat(browser.driver().findElement(By.id("voc-tags")).getText()).contains("室内", "おしゃべり");
      String before = vocabulary();

      type(browser, "cat-name", "農作業の場");
      type(browser, "cat-code", "Farm!");
      browser.driver().findElement(By.cssSelector("#category-form button[type=submit]")).click();
      waitForFieldError(browser, "cat-code", "英小文字");
      type(browser, "cat-code", "gathering");
      browser.driver().findElement(By.cssSelector("#category-form button[type=submit]")).click();
      waitForFieldError(browser, "cat-code", "カテゴリ「gathering」はすでにあります。");
      assertThat(vocabulary()).as("nothing added by the refusals").isEqualTo(before);

      type(browser, "cat-code", "gathering.farm");
      new Select(browser.driver().findElement(By.id("cat-parent"))).selectByVisibleText("通いの場");
      browser.driver().findElement(By.cssSelector("#category-form button[type=submit]")).click();
      browser.waiting().until(ExpectedConditions.textToBe(By.id("voc-result"), "サブカテゴリ「農作業の場」を追加しました。"));
      assertThat(browser.driver().findElement(By.id("cat-code-error")).getText()).isEmpty();
      assertThat(browser.driver().findElement(By.cssSelector("#voc-categories > li[data-code=gathering]")).getText())
          .contains("農作業の場");

      type(browser, "tag-name", "畑、田んぼ");
      browser.driver().findElement(By.cssSelector("#tag-form button[type=submit]")).click();
      waitForFieldError(browser, "tag-name", "区切り記号");
      type(browser, "tag-name", "室内");
      browser.driver().findElement(By.cssSelector("#tag-form button[type=submit]")).click();
      waitForFieldError(browser, "tag-name", "タグ「室内」はすでにあります。");
      type(browser, "tag-name", "畑");
      browser.driver().findElement(By.cssSelector("#tag-form button[type=submit]")).click();
      browser.waiting().until(ExpectedConditions.textToBe(By.id("voc-result"), "タグ「畑」を追加しました。"));
      assertThat(browser.driver().findElement(By.id("voc-tags")).getText()).contains("畑");
      browser.screenshot("resource-vocabulary-pc");
    }
    // What staff added is offered at once where resources are registered.
    JsonObject form = new JsonObject(fixture.staff.get("/api/v1/staff/resource-form").body());
    assertThat(form.encode()).contains("gathering.farm", "農作業の場", "畑");
  }

  @Test
  void staff_add_a_top_level_category_on_a_phone_without_sideways_scrolling() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      openVocabulary(browser, false);
      type(browser, "cat-name", "");
      browser.driver().findElement(By.cssSelector("#category-form button[type=submit]")).click();
      waitForFieldError(browser, "cat-code", "英小文字");
      type(browser, "cat-code", "leisure");
      browser.driver().findElement(By.cssSelector("#category-form button[type=submit]")).click();
      waitForFieldError(browser, "cat-name", "名前を60文字以内");
      type(browser, "cat-name", "余暇・レジャー");
      new Select(browser.driver().findElement(By.id("cat-dataset"))).selectByVisibleText("公共施設一覧");
      browser.driver().findElement(By.cssSelector("#category-form button[type=submit]")).click();
      browser.waiting().until(ExpectedConditions.textToBe(By.id("voc-result"), "カテゴリ「余暇・レジャー」を追加しました。"));
      assertThat(browser.driver().findElement(By.cssSelector("#voc-categories > li[data-code=leisure]")).getText())
          .contains("余暇・レジャー", "オープンデータ: 公共施設一覧", "サブカテゴリはありません。");
      Long width = (Long) browser.driver().executeScript("return document.documentElement.scrollWidth");
      assertThat(width).as("no sideways scrolling on a phone").isLessThanOrEqualTo(Browser.PHONE.getWidth());
      browser.screenshot("resource-vocabulary-phone");
    }
    JsonObject leisure = new JsonObject(vocabulary()).getJsonArray("categories").stream().map(c -> (JsonObject) c)
        .filter(c -> c.getString("code").equals("leisure")).findFirst().orElseThrow();
    assertThat(leisure.getString("name")).isEqualTo("余暇・レジャー");
    assertThat(leisure.getString("openDataSet")).isEqualTo("public_facility");
  }

  @Test
  void a_csv_import_with_errors_shows_the_report_per_row_and_imports_nothing_then_the_fixed_file_imports() throws Exception {
    int before = new JsonObject(fixture.staff.get("/api/v1/staff/resources").body()).getInteger("total");
    String header = "名称,名称_カナ,カテゴリ,サブカテゴリ,タグ,市区町村コード,住所,緯度,経度,電話番号,予定,公開\r\n";
    String good = "東春近いきいきサロン,ヒガシハルチカイキイキサロン,通いの場,サロン,室内,202096,伊那市東春近,35.8100,137.9700,0265-72-0002,weekly:tue@13:00-15:00,公開\r\n";
    Path broken = dir.resolve("broken.csv");
    Files.writeString(broken, header + good
        + "富県ふれあい食堂,トミガタ,通いの場,食堂,室内,202096,伊那市富県,35.79,137.99,0265-72-0003,weekly:fri,公開\r\n"
        + ",,買い物支援,,,999999,伊那市長谷,135,137.99,,everyday,公開\r\n", StandardCharsets.UTF_8);
    Path fixed = dir.resolve("fixed.csv");
    Files.writeString(fixed, header + good, StandardCharsets.UTF_8);
    try (Browser browser = new Browser(Browser.PHONE)) {
      openStaffScreens(browser);
      browser.driver().get(fixture.node.webUrl() + "/#/staff-resource-import");
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("csv-form")));
      browser.driver().findElement(By.id("csv-file")).sendKeys(broken.toString());
      browser.driver().findElement(By.id("csv-import")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("csv-problems")));
      assertThat(browser.driver().findElement(By.id("csv-summary")).getText()).contains("3 行のうち 2 行に誤りが")
          .contains("何も登録していません");
      List<String> rows = browser.driver().findElements(By.cssSelector("#csv-problems tbody tr")).stream()
          .map(WebElement::getText).toList();
      assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("3").contains("サブカテゴリ").contains("食堂"));
      assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("4").contains("名称を入力してください"));
      assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("4").contains("999999"));
      assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("4").contains("緯度"));
      assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("4").contains("予定"));
      assertThat(rows).noneSatisfy(r -> assertThat(r).startsWith("2"));
      assertThat(new JsonObject(fixture.staff.get("/api/v1/staff/resources").body()).getInteger("total"))
          .as("all or nothing: the good row was not imported either").isEqualTo(before);
      browser.screenshot("staff-csv-report-phone");

      browser.driver().findElement(By.id("csv-file")).clear();
      browser.driver().findElement(By.id("csv-file")).sendKeys(fixed.toString());
      browser.driver().findElement(By.id("csv-import")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("csv-summary"),
          "1 件を新規登録し"));
      assertThat(browser.driver().findElement(By.id("csv-progress")).isDisplayed()).isFalse();
    }
    JsonObject after = new JsonObject(fixture.staff.get("/api/v1/staff/resources?q=" + StaffResourceApiTest.enc("東春近"))
        .body());
    assertThat(after.getInteger("total")).isEqualTo(1);
    assertThat(after.getJsonArray("resources").getJsonObject(0).getBoolean("published")).isTrue();
  }

  /** A one-pixel PNG, the smallest real image the photo upload accepts. */
  static final class Base64Png {
    static final byte[] RED_DOT = java.util.Base64.getDecoder().decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    private Base64Png() {}
  }
}
