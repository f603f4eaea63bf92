package jp.tsunagu.node.meetings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDateTime;
import jp.tsunagu.node.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * 会議 in real headless Chromium: a doctor schedules a サービス担当者会議 from the patient's page on a
 * phone (390 px) with a Jitsi room issued in one click; the nurse finds it in her 予定 on a PC,
 * answers 出席 and has 参加 one tap away; the doctor cancels it and the nurse sees it cancelled.
 */
class MeetingsBrowserTest {

  @TempDir
  static Path dir;
  static MeetingsNode ina;

  @BeforeAll
  static void start() {
    ina = new MeetingsNode(dir);
  }

  @AfterAll
  static void stop() {
    ina.close();
  }

  private static void login(Browser browser, String loginId) {
    browser.driver().get(ina.node.webUrl() + "/#/login");
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    browser.driver().findElement(By.id("f-loginId")).sendKeys(loginId);
    browser.driver().findElement(By.id("f-password")).sendKeys(MeetingsNode.PASSWORD);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
    browser.waiting().until(ExpectedConditions.urlContains("#/patients"));
  }

  private static void set(Browser browser, String id, String value) {
    WebElement field = browser.driver().findElement(By.id(id));
    browser.driver().executeScript("arguments[0].value = arguments[1]", field, value);
  }

  private static void noSidewaysScroll(Browser browser) {
    Long page = (Long) browser.driver().executeScript("return document.documentElement.scrollWidth");
    Long view = (Long) browser.driver().executeScript("return document.documentElement.clientWidth");
    assertThat(page).as("no sideways scrolling").isLessThanOrEqualTo(view);
  }

  @Test
  void a_meeting_is_scheduled_on_a_phone_answered_on_a_pc_and_cancelled_for_everyone() {
    LocalDateTime start = LocalDateTime.now(MeetingsNode.JAPAN).plusDays(2).withHour(14).withMinute(0);
    String meetingUrl;
    try (Browser phone = new Browser(Browser.PHONE)) {
      login(phone, "ina-ishi");
      phone.driver().get(ina.node.webUrl() + "/#/patient/" + ina.patientId);
      phone.waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("a.meetings-link"))).click();
      phone.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("meeting-form")));
      new Select(phone.driver().findElement(By.id("m-kind"))).selectByVisibleText("サービス担当者会議");
      phone.driver().findElement(By.id("m-title")).sendKeys("春日様 退院後の担当者会議");
      set(phone, "m-date", start.toLocalDate().toString());
      set(phone, "m-time", "14:00");
      phone.driver().findElement(By.id("m-agenda")).sendKeys("訪問看護の回数");
      phone.driver().findElement(By.cssSelector("input[name=m-member][value='" + ina.nurseId + "']")).click();
      phone.driver().findElement(By.id("m-family-name")).sendKeys("春日 一郎");
      phone.driver().findElement(By.id("m-family-email")).sendKeys("ichiro@family.example.jp");
      noSidewaysScroll(phone);
      phone.screenshot("meetings-schedule-phone");
      phone.driver().findElement(By.id("meeting-save")).click();
      WebElement join = phone.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("meeting-join")));
      assertThat(join.getAttribute("href")).matches("https://meet\\.jit\\.si/tsunagu-[0-9a-f]{32}");
      assertThat(join.getAttribute("target")).isEqualTo("_blank");
      assertThat(phone.driver().findElement(By.id("meeting-participants")).getText())
          .contains("伊那 医師", "伊那 看護", "春日 一郎", "未回答");
      noSidewaysScroll(phone);
      phone.screenshot("meetings-detail-phone");
      meetingUrl = phone.driver().getCurrentUrl();
    }

    try (Browser pc = new Browser(Browser.DESKTOP)) {
      login(pc, "ina-kango");
      pc.waiting().until(ExpectedConditions.presenceOfElementLocated(
          By.cssSelector("li:not([hidden]) > a[data-view=calendar]"))).click();
      pc.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("calendar-days")));
      if (pc.driver().findElements(By.linkText("春日様 退院後の担当者会議")).isEmpty()) {
        pc.driver().findElement(By.id("week-next")).click();
      }
      pc.waiting().until(ExpectedConditions.elementToBeClickable(By.linkText("春日様 退院後の担当者会議"))).click();
      pc.waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-answer=attend]"))).click();
      pc.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("meeting-message"), "出席"));
      assertThat(pc.driver().findElement(By.cssSelector("#meeting-participants tr[data-participant='" + ina.nurseId
          + "'] .answer")).getText()).isEqualTo("出席");
      assertThat(pc.driver().findElement(By.id("meeting-join")).getAttribute("href")).startsWith("https://meet.jit.si/");
      pc.screenshot("meetings-answered-pc");
    }

    try (Browser phone = new Browser(Browser.PHONE)) {
      login(phone, "ina-ishi");
      phone.driver().get(meetingUrl);
      phone.waiting().until(ExpectedConditions.elementToBeClickable(By.id("meeting-cancel"))).click();
      phone.waiting().until(ExpectedConditions.alertIsPresent()).accept();
      phone.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("meeting-cancelled")));
      assertThat(phone.driver().findElements(By.id("meeting-join"))).isEmpty();
    }

    try (Browser pc = new Browser(Browser.DESKTOP)) {
      login(pc, "ina-kango");
      pc.driver().get(meetingUrl);
      pc.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("meeting-cancelled")));
      assertThat(pc.driver().findElements(By.cssSelector("[data-answer]"))).isEmpty();
    }
  }

  @Test
  void the_organiser_is_offered_the_minutes_only_from_the_start_and_records_them_on_a_phone() {
    LocalDateTime start = LocalDateTime.ofInstant(ina.clock.instant(), MeetingsNode.JAPAN).plusMinutes(2);
    io.vertx.core.json.JsonObject made = ina.schedule(ina.meetingAt("春日様 議事録の会議", start));
    try (Browser phone = new Browser(Browser.PHONE)) {
      login(phone, "ina-ishi");
      phone.driver().get(ina.node.webUrl() + "/#/meetings/" + made.getString("id"));
      phone.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("minutes-later")));
      assertThat(phone.driver().findElements(By.id("minutes-form"))).as("before the start").isEmpty();
      assertThat(phone.driver().findElements(By.id("document-form"))).as("documents before it").isNotEmpty();

      ina.startOf(made);
      phone.driver().navigate().refresh();
      phone.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("minutes-form")));
      phone.driver().findElement(By.id("minutes-text")).sendKeys("訪問看護を週3回に増やす。");
      phone.driver().findElement(By.id("minutes-decisions")).sendKeys("来週から週3回");
      phone.driver().findElement(By.cssSelector("input[name=attended][value='" + ina.nurseId + "']")).click();
      noSidewaysScroll(phone);
      phone.driver().findElement(By.cssSelector("#minutes-form button[type=submit]")).click();
      phone.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("meeting-message"),
          "議事録を記録し"));
      assertThat(phone.driver().findElement(By.id("meeting-minutes")).getText()).contains("週3回に増やす");
      assertThat(phone.driver().findElement(By.cssSelector("#meeting-participants tr[data-participant='"
          + ina.nurseId + "'] .attended")).getText()).isEqualTo("出席");
      phone.screenshot("meetings-minutes-phone");
    }
  }
}
