package jp.tsunagu.node.family;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.care.CareClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The family's own screen in real headless Chromium: on a phone (390 px) a family member activates
 * the account with the team's code, logs in with the password and the authenticator's code, records
 * a meal with a photo, sees the visits the team planned and the meeting it is invited to with its 参加 link and answers 出席, and reads who looked at the record this month; on a PC the same account logs in again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FamilyNotebookBrowserTest {

  @TempDir
  static Path dir;
  FamilyTestbed bed;
  String activationCode;
  String loginId;
  String secret;
  String conference;

  @BeforeAll
  void start() {
    bed = new FamilyTestbed(dir);
    CareClient.Reply invited = bed.doctor.post("/api/v1/patients/" + bed.patient + "/family/invitations",
        FamilyTestbed.invitation("browser@example.jp", "子"));
    assertThat(invited.status()).as(invited.body()).isEqualTo(201);
    activationCode = invited.json().getString("activationCode");
    bed.nurse.get("/api/v1/patients/" + bed.patient + "/posts");
    conference = FamilyMeetingsTest.scheduled(bed.doctor, FamilyMeetingsTest.meeting(bed.patient, "退院前カンファレンス", 2, true,
        "browser@example.jp"));
    FamilyMeetingsTest.scheduled(bed.doctor, FamilyMeetingsTest.meeting(bed.patient, "ご家族の招待なし", 2, false));
    assertThat(bed.nurse.post("/api/v1/patients/" + bed.patient + "/family/visits", FamilyVisitsTest.visit(
        java.time.LocalDate.now(FamilyContext.JAPAN).plusDays(2), "10:00", "11:00", "visiting_nurse")).status())
        .isEqualTo(201);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  @Order(1)
  void on_a_phone_the_family_activates_logs_in_records_a_meal_and_reads_who_looked_at_the_record() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      browser.driver().get(bed.bed.node.webUrl() + "/family.html");
      type(browser, "fn-activation", activationCode);
      type(browser, "fn-new-password", FamilyTestbed.FAMILY_PASSWORD);
      browser.driver().findElement(By.cssSelector("#fn-activate button")).click();
      secret = visible(browser, "#fn-totp-secret").getText().strip();
      loginId = browser.driver().findElement(By.id("fn-new-login-id")).getText().strip();
      browser.screenshot("family-activated-phone");
      browser.driver().findElement(By.id("fn-to-login")).click();
      logIn(browser, 0);
      // The meeting the family is invited to, with its 参加 link; not the team's other meeting.
      WebElement meetings = visible(browser, "#fn-meetings");
      assertThat(meetings.getText()).contains("退院前カンファレンス", "14:00").doesNotContain("ご家族の招待なし");
      assertThat(meetings.findElement(By.cssSelector("a.fn-join")).getAttribute("href")).startsWith("https://");
      // 訪問予定: the visit the team planned.
      assertThat(browser.driver().findElement(By.id("fn-visits")).getText()).contains("10:00〜11:00", "訪問看護師");
      // 出欠: the family answers 出席 from the notebook.
      assertThat(meetings.getText()).contains("お返事はまだです");
      meetings.findElement(By.cssSelector("button[data-answer='attend']")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("fn-meetings"), "お返事: 出席"));
      browser.driver().findElement(By.cssSelector("#fn-kinds button[data-kind='食事']")).click();
      type(browser, "fn-body", "お昼はうどんを全部食べました");
      browser.driver().findElement(By.id("fn-photo")).sendKeys(photoFile().toString());
      browser.driver().findElement(By.cssSelector("#fn-entry button")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("fn-entries"),
          "お昼はうどんを全部食べました"));
      // The photo went with the entry and shows on it (the thumbnail loaded from the family's own route).
      browser.waiting().until(d -> Boolean.TRUE.equals(browser.driver().executeScript(
          "const i = document.querySelector('#fn-entries img.fn-photo'); return !!i && i.complete && i.naturalWidth > 0;")));
      assertThat(browser.driver().findElement(By.id("fn-kinds")).getAttribute("innerHTML")).contains("<ruby>");
      browser.driver().findElement(By.id("fn-report-open")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("fn-viewers"), "宮坂 由美"));
      Object width = browser.driver().executeScript("return document.documentElement.scrollWidth;");
      assertThat(((Number) width).intValue()).isLessThanOrEqualTo(Browser.PHONE.width);
      browser.screenshot("family-notebook-phone");
      browser.driver().findElement(By.id("fn-logout")).click();
      visible(browser, "#fn-login");
    }
    assertThat(bed.doctor.get("/api/v1/patients/" + bed.patient + "/posts").body()).contains("お昼はうどんを全部食べました",
        "ご家族の写真.png");
    assertThat(bed.doctor.get("/api/v1/meetings/" + conference).json().getJsonArray("participants").stream()
        .map(io.vertx.core.json.JsonObject.class::cast).filter(p -> p.getBoolean("family"))
        .map(p -> p.getString("response")).toList()).containsExactly("attend");
  }

  @Test
  @Order(2)
  void on_a_pc_the_family_logs_in_and_sees_its_notebook_and_a_wrong_code_is_told_in_japanese() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      browser.driver().get(bed.bed.node.webUrl() + "/family.html");
      type(browser, "fn-login-id", loginId);
      type(browser, "fn-password", FamilyTestbed.FAMILY_PASSWORD);
      type(browser, "fn-code", "000000");
      browser.driver().findElement(By.cssSelector("#fn-login button")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("fn-login-problem"),
          "ログインできませんでした"));
      logIn(browser, 1);
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("fn-entries"),
          "お昼はうどんを全部食べました"));
      browser.screenshot("family-notebook-desktop");
    }
  }

  @Test
  @Order(3)
  void on_a_pc_the_doctor_sees_the_family_accounts_and_entries_and_invites_with_the_consent_recorded() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      bed.bed.openPatient(browser, "dr-family", bed.patient);
      browser.driver().findElement(By.cssSelector("[data-tab=family]")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("family-accounts"), "利用中"));
      assertThat(browser.driver().findElement(By.id("family-entries")).getText()).contains("お昼はうどんを全部食べました");
      type(browser, "f-family-name", "伊藤 次郎");
      type(browser, "f-family-email", "jiro@example.jp");
      type(browser, "f-family-consent-by", "本人（伊藤 トメ）");
      browser.driver().executeScript("document.getElementById('f-family-consent-at').value = '2026-12-05';");
      browser.driver().findElement(By.cssSelector("#family-invite button")).click();
      String code = visible(browser, "#family-activation-code").getText();
      assertThat(code).matches("\\d{16}");
      assertThat(browser.driver().findElement(By.id("family-accounts")).getText()).contains("伊藤 次郎", "登録待ち");
      // 訪問予定: the doctor adds a visit for the family to see.
      browser.driver().executeScript("document.getElementById('f-visit-date').value = arguments[0];"
          + "document.getElementById('f-visit-from').value = '14:00';"
          + "document.getElementById('f-visit-to').value = '14:30';",
          java.time.LocalDate.now(FamilyContext.JAPAN).plusDays(5).toString());
      new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("f-visit-profession")))
          .selectByValue("doctor");
      browser.driver().findElement(By.cssSelector("#family-visit button")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("family-visits"),
          "14:00〜14:30"));
      browser.screenshot("family-team-tab-desktop");
    }
  }

  private void logIn(Browser browser, int steps) {
    type(browser, "fn-login-id", loginId);
    type(browser, "fn-password", FamilyTestbed.FAMILY_PASSWORD);
    type(browser, "fn-code", FamilyLogins.code(secret, steps));
    browser.driver().findElement(By.cssSelector("#fn-login button")).click();
    visible(browser, "#fn-entry");
  }

  private static void type(Browser browser, String id, String text) {
    WebElement field = visible(browser, "#" + id);
    field.clear();
    field.sendKeys(text);
  }

  private static Path photoFile() {
    try {
      Path file = dir.resolve("lunch.png");
      java.nio.file.Files.write(file, FamilyPhotosTest.png(0xcc8844));
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static WebElement visible(Browser browser, String css) {
    return browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }
}
