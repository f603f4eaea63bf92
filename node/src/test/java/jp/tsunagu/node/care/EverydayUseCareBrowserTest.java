package jp.tsunagu.node.care;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import jp.tsunagu.node.browser.Browser;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import jp.tsunagu.node.care.forms.FormSamples;

/**
 * Everyday use of the professionals' screens in real headless Chromium, at phone and PC size: the
 * page after login, who is logged in at which node, every problem of 患者の新規登録 and バイタル at once
 * (a summary and each beside its field), the municipality chosen from a list, the selected tab, a
 * 主治医意見書 saved as a draft and found again, an attachment's upload progress, and the way back to
 * the page a person was on after their session ended.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EverydayUseCareBrowserTest {

  private static final Pattern DOTTED_CODE = Pattern.compile(
      "\\b(auth|validation|resources|http|care|request|registration|form|csrf|internal|storage)\\.[a-z_]+");

  @TempDir
  static Path dir;
  @AutoClose
  CareTestbed bed;
  CareClient doctor;
  String patient;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.clinicDoctor("dr-every");
    patient = CareTestbed.registered(doctor, CareApiTest.patient("毎日", "トメ", "マイニチ", "トメ", "1931-05-12"));
  }

  private static WebDriverWait longWait(Browser browser) {
    return new WebDriverWait(browser.driver(), Duration.ofSeconds(20));
  }

  private static String pageText(Browser browser) {
    return browser.driver().findElement(By.tagName("body")).getText();
  }

  private static void fillLogin(Browser browser) {
    longWait(browser).ignoring(StaleElementReferenceException.class).until(driver -> {
      WebElement id = driver.findElement(By.id("f-loginId"));
      id.clear();
      id.sendKeys("dr-every");
      WebElement password = driver.findElement(By.id("f-password"));
      password.clear();
      password.sendKeys(CareTestbed.PASSWORD);
      driver.findElement(By.cssSelector("#login-form button")).click();
      return true;
    });
  }

  @Test
  void at_phone_and_pc_size_a_professional_lands_on_the_patient_list_and_the_header_names_them_and_the_node() {
    for (Dimension size : new Dimension[] {Browser.PHONE, Browser.DESKTOP}) {
      try (Browser browser = new Browser(size)) {
        bed.logIn(browser, "dr-every", "patients");
        longWait(browser).until(ExpectedConditions.textToBePresentInElementLocated(By.id("patient-list"), "毎日"));
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/patients");
        assertThat(browser.driver().findElement(By.cssSelector("main h1")).getText()).isEqualTo("患者一覧");
        String who = browser.driver().findElement(By.id("whoami")).getText();
        assertThat(who).contains("北原 健一", "伊那中央クリニック", "いーな");
        Long width = (Long) browser.driver().executeScript("return document.documentElement.scrollWidth");
        assertThat(width).as("nothing wider than the window").isLessThanOrEqualTo(size.getWidth());
        browser.screenshot("everyday-landing-" + size.getWidth());
      }
    }
  }

  @Test
  void on_a_phone_registering_a_patient_shows_every_problem_at_once_marks_required_fields_and_offers_the_municipalities() {
    try (Browser phone = new Browser(Browser.PHONE)) {
      bed.logIn(phone, "dr-every", "patients");
      phone.driver().get(bed.node.webUrl() + "/#/patient-new");
      WebElement form = longWait(phone).until(ExpectedConditions.visibilityOfElementLocated(By.id("patient-form")));
      Select municipality = new Select(form.findElement(By.id("f-municipalityCode")));
      assertThat(municipality.getOptions()).extracting(WebElement::getText).contains("長野県伊那市");
      assertThat(form.findElement(By.cssSelector("label[for=f-familyName] .required")).getText()).isEqualTo("必須");
      assertThat(form.findElement(By.cssSelector("label[for=f-municipalityCode] .required")).getText()).isEqualTo("必須");
      form.findElement(By.id("f-familyName")).sendKeys("春日");
      form.findElement(By.id("f-familyKana")).sendKeys("かすが");
      municipality.selectByValue("");
      form.findElement(By.cssSelector("button[type=submit]")).click();
      WebElement summary = longWait(phone).until(
          ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#patient-form .problem-summary")));
      assertThat(summary.getText()).contains("入力内容に誤りがあります", "名を入力してください",
          "氏（カナ）は全角カタカナで入力してください", "生年月日を入力してください", "住所を入力してください",
          "市町村を入力してください", "お問い合わせ用番号");
      assertThat(phone.driver().findElement(By.cssSelector(".field-error[data-for=familyKana]")).getText())
          .contains("全角カタカナ");
      assertThat(phone.driver().findElement(By.cssSelector(".field-error[data-for=address]")).getText())
          .contains("住所を入力してください");
      assertThat(phone.driver().findElements(By.cssSelector(".field-error[data-for=familyName]"))).allSatisfy(
          e -> assertThat(e.getText()).isEmpty());
      assertThat(DOTTED_CODE.matcher(pageText(phone)).find()).as(pageText(phone)).isFalse();
      phone.screenshot("everyday-patient-new-problems-phone");

      phone.driver().get(bed.node.webUrl() + "/#/groups");
      WebElement groups = longWait(phone).until(ExpectedConditions.visibilityOfElementLocated(By.id("group-form")));
      groups.findElement(By.cssSelector("button[type=submit]")).click();
      longWait(phone).until(ExpectedConditions.textToBePresentInElementLocated(
          By.cssSelector(".field-error[data-for=name]"), "グループ名を入力してください"));
    }
  }

  @Test
  void on_a_pc_wrong_vitals_are_all_named_at_once_and_the_selected_tab_is_marked() {
    try (Browser pc = new Browser(Browser.DESKTOP)) {
      bed.openPatient(pc, "dr-every", patient);
      assertThat(pc.driver().findElement(By.cssSelector("a[data-tab=timeline]")).getAttribute("aria-selected"))
          .isEqualTo("true");
      pc.driver().findElement(By.cssSelector("a[data-tab=vitals]")).click();
      WebElement form = longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(By.id("vitals-form")));
      assertThat(pc.driver().findElement(By.cssSelector("a[data-tab=vitals]")).getAttribute("aria-selected"))
          .isEqualTo("true");
      assertThat(pc.driver().findElement(By.cssSelector("a[data-tab=timeline]")).getAttribute("aria-selected"))
          .isEqualTo("false");
      form.findElement(By.name("systolic")).sendKeys("400");
      form.findElement(By.name("diastolic")).sendKeys("80");
      form.findElement(By.name("pulse")).sendKeys("abc");
      form.findElement(By.name("temperature")).sendKeys("50");
      form.findElement(By.cssSelector("button[type=submit]")).click();
      WebElement summary = longWait(pc).until(
          ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#vitals-form .problem-summary")));
      assertThat(summary.findElements(By.cssSelector("li"))).hasSize(3);
      assertThat(summary.getText()).contains("収縮期血圧は", "脈拍の形式が正しくありません", "体温は");
      assertThat(pc.driver().findElement(By.cssSelector(".field-error[data-for=temperature]")).getText())
          .contains("体温は");
      assertThat(pc.driver().findElement(By.cssSelector(".field-error[data-for=pulse]")).getText()).contains("脈拍");
      assertThat(DOTTED_CODE.matcher(pageText(pc)).find()).as(pageText(pc)).isFalse();
    }
  }

  @Test
  void a_draft_of_the_doctors_opinion_is_saved_found_again_on_reopening_and_gone_once_the_form_is_sent() {
    try (Browser pc = new Browser(Browser.DESKTOP)) {
      bed.openPatient(pc, "dr-every", patient);
      openIkensho(pc);
      pc.driver().findElement(By.id("ff-diagnosis_1")).sendKeys("アルツハイマー型認知症");
      pc.driver().findElement(By.id("ff-course_and_treatment")).sendKeys("令和3年より物忘れが進行。");
      pc.driver().findElement(By.id("form-draft-save")).click();
      longWait(pc).until(ExpectedConditions.textToBePresentInElementLocated(By.id("form-draft-status"), "下書き保存しました"));

      pc.driver().navigate().refresh();
      pc.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("post-form")));
      openIkensho(pc);
      longWait(pc).until(ExpectedConditions.textToBePresentInElementLocated(By.id("form-draft-status"), "読み込みました"));
      assertThat(pc.driver().findElement(By.id("ff-diagnosis_1")).getAttribute("value")).isEqualTo("アルツハイマー型認知症");
      assertThat(pc.driver().findElement(By.id("ff-course_and_treatment")).getAttribute("value"))
          .isEqualTo("令和3年より物忘れが進行。");
    }
    String draft = "/api/v1/patients/" + patient + "/form-drafts/" + FormSamples.IKENSHO;
    assertThat(doctor.get(draft).json().getJsonObject("draft")).isNotNull();
    doctor.post("/api/v1/patients/" + patient + "/forms",
        new JsonObject().put("template", FormSamples.IKENSHO).put("values", FormSamples.ikensho()));
    assertThat(doctor.get(draft).json().getValue("draft")).isNull();
  }

  private static void openIkensho(Browser pc) {
    longWait(pc).until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-tab=forms]"))).click();
    longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(By.id("form-template")));
    new Select(pc.driver().findElement(By.id("form-template"))).selectByVisibleText("主治医意見書");
    pc.driver().findElement(By.id("form-start")).click();
    longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(By.id("form-draft-save")));
  }

  @Test
  void on_a_phone_an_attachment_shows_its_upload_progress() throws Exception {
    Path file = dir.resolve("kusuri.pdf");
    Files.write(file, ("%PDF-1.4\n" + "x".repeat(200_000) + "\n%%EOF\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    try (Browser phone = new Browser(Browser.PHONE)) {
      bed.openPatient(phone, "dr-every", patient);
      phone.driver().findElement(By.id("post-body")).sendKeys("お薬手帳の写しです。");
      phone.driver().findElement(By.id("post-files")).sendKeys(file.toString());
      phone.driver().findElement(By.id("post-submit")).click();
      longWait(phone).until(ExpectedConditions.textToBePresentInElementLocated(By.id("upload-text"), "添付 1 件を送信しました"));
      assertThat(phone.driver().findElement(By.id("upload-progress")).getAttribute("value")).isEqualTo("100");
      longWait(phone).until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "お薬手帳の写しです"));
    }
  }

  @Test
  void after_the_session_ends_logging_in_again_returns_to_the_page_the_person_was_on() {
    try (Browser pc = new Browser(Browser.DESKTOP)) {
      bed.openPatient(pc, "dr-every", patient);
      pc.driver().findElement(By.cssSelector("a[data-tab=vitals]")).click();
      pc.driver().manage().deleteAllCookies();
      pc.driver().navigate().refresh();
      longWait(pc).until(ExpectedConditions.urlContains("#/login?next="));
      assertThat(pc.driver().getCurrentUrl()).contains("next=" + "%23%2Fpatient%2F" + patient);
      longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-return")));
      fillLogin(pc);
      longWait(pc).until(ExpectedConditions.urlToBe(bed.node.webUrl() + "/#/patient/" + patient));
      longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(By.id("post-form")));
      assertThat(pc.driver().findElement(By.cssSelector("main h1")).getText()).contains("毎日 トメ");
    }
  }
}
