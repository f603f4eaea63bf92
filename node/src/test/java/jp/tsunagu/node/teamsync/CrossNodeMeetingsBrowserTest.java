package jp.tsunagu.node.teamsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.care.CareClient;
import org.junit.jupiter.api.AutoClose;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A meeting set up on a partner's node, in real headless Chromium with two real nodes: 南箕輪村's
 * visiting nurse, in the team of a 伊那市 patient, schedules it on her phone from the patient's team on
 * her own node; the screen says it was sent to 伊那市, and once 伊那市 has taken it the meeting is in her
 * list with its video link, her as organiser, and on 伊那市's doctor's screen. She then changes and
 * cancels it from her phone (送信待ち until 伊那市 takes it); a meeting 伊那市 refuses (its operator
 * allows only its own Jitsi Meet server) shows 送信できませんでした with the reason, on a PC.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossNodeMeetingsBrowserTest {

  @TempDir
  static Path dir;
  @AutoClose
  CrossNodeTestbed bed;
  CareClient doctor;
  CareClient nurse;
  String patient;

  @BeforeAll
  void team() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    doctor = bed.inaDoctor();
    nurse = bed.mmNurse();
    patient = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "唐木");
  }

  private String base() {
    return bed.node("minamiminowa").webUrl().toString();
  }

  @Test
  @Order(1)
  void on_her_phone_the_partner_nurse_sets_up_a_meeting_that_comes_back_from_the_home_node() {
    LocalDateTime start = LocalDateTime.now(ZoneId.of("Asia/Tokyo")).plusDays(3).withHour(15).withMinute(0);
    try (Browser phone = new Browser(Browser.PHONE)) {
      WebDriverWait wait = new WebDriverWait(phone.driver(), Duration.ofSeconds(30));
      phone.driver().get(base() + "/#/login");
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
      phone.driver().findElement(By.id("f-loginId")).sendKeys("mm-nurse");
      phone.driver().findElement(By.id("f-password")).sendKeys(CrossNodeTestbed.PASSWORD);
      phone.driver().findElement(By.cssSelector("#login-form button")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("li:not([hidden]) > a[data-view=patients]")));
      phone.driver().get(base() + "/#/patient/" + patient);
      wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("a.meetings-link"))).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("meeting-form")));
      new Select(phone.driver().findElement(By.id("m-kind"))).selectByVisibleText("サービス担当者会議");
      phone.driver().findElement(By.id("m-title")).sendKeys("南箕輪からの担当者会議");
      WebElement date = phone.driver().findElement(By.id("m-date"));
      phone.driver().executeScript("arguments[0].value = arguments[1]", date, start.toLocalDate().toString());
      WebElement time = phone.driver().findElement(By.id("m-time"));
      phone.driver().executeScript("arguments[0].value = arguments[1]", time, "15:00");
      phone.driver().findElement(By.id("m-agenda")).sendKeys("訪問の曜日");
      phone.driver().findElement(By.cssSelector("input[name=m-member][value='ina-doctor@ina']")).click();
      phone.driver().findElement(By.id("meeting-save")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("meeting-sent"), "送信しました"));
      assertThat(phone.driver().findElement(By.id("meeting-sent")).getText()).contains("南箕輪からの担当者会議",
          "送信待ち");
      Number scroll = (Number) phone.driver().executeScript("return document.documentElement.scrollWidth");
      assertThat(scroll.intValue()).as("no sideways scrolling").isLessThanOrEqualTo(Browser.PHONE.width);
      phone.screenshot("meetings-partner-sent-phone");

      CrossNodeTestbed.eventually("the meeting comes back to her node", () -> CrossNodeTestbed.count(
          bed.node("minamiminowa"), "select count(*) from meetings where title = ?", "南箕輪からの担当者会議") == 1);
      phone.driver().navigate().refresh();
      WebElement item = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#meeting-list li a")));
      assertThat(phone.driver().findElement(By.id("meeting-list")).getText()).contains("南箕輪からの担当者会議");
      item.click();
      WebElement join = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("meeting-join")));
      assertThat(join.getAttribute("href")).startsWith("https://");
      assertThat(phone.driver().findElement(By.id("meeting-participants")).getText()).contains("伊那", "南箕");
      phone.screenshot("meetings-partner-detail-phone");
    }
    JsonObject list = doctor.get("/api/v1/meetings/boards/" + patient).json();
    assertThat(list.getJsonArray("meetings").stream().map(JsonObject.class::cast).map(m -> m.getString("title")))
        .contains("南箕輪からの担当者会議");
  }

  @Test
  @Order(2)
  void on_her_phone_she_changes_and_cancels_the_meeting_and_the_home_node_follows() {
    String id = doctor.get("/api/v1/meetings/boards/" + patient).json().getJsonArray("meetings").stream()
        .map(JsonObject.class::cast).filter(m -> m.getString("title").equals("南箕輪からの担当者会議")).findFirst()
        .orElseThrow().getString("id");
    try (Browser phone = new Browser(Browser.PHONE)) {
      WebDriverWait wait = new WebDriverWait(phone.driver(), Duration.ofSeconds(30));
      login(phone, wait);
      phone.driver().get(base() + "/#/meetings/" + id);
      wait.until(ExpectedConditions.elementToBeClickable(By.linkText("会議を変更する"))).click();
      WebElement title = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("m-title")));
      title.clear();
      title.sendKeys("南箕輪からの担当者会議（時間変更）");
      phone.driver().findElement(By.id("meeting-save")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("meeting-sent"), "送信待ち"));
      phone.screenshot("meetings-partner-change-sent-phone");
      CrossNodeTestbed.eventually("the change comes back to her node", () -> CrossNodeTestbed.count(
          bed.node("minamiminowa"), "select count(*) from meetings where id = ? and sequence = 1", id) == 1);
      phone.driver().get(base() + "/#/meetings/" + id);
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".meeting h1"), "時間変更"));
      wait.until(ExpectedConditions.elementToBeClickable(By.id("meeting-cancel"))).click();
      phone.driver().switchTo().alert().accept();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("meeting-message"), "送信待ち"));
      CrossNodeTestbed.eventually("the cancellation comes back to her node", () -> CrossNodeTestbed.count(
          bed.node("minamiminowa"), "select count(*) from meetings where id = ? and status = 'cancelled'", id) == 1);
      phone.driver().navigate().refresh();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("meeting-cancelled")));
      Number scroll = (Number) phone.driver().executeScript("return document.documentElement.scrollWidth");
      assertThat(scroll.intValue()).as("no sideways scrolling").isLessThanOrEqualTo(Browser.PHONE.width);
      phone.screenshot("meetings-partner-cancelled-phone");
    }
    JsonObject atHome = doctor.get("/api/v1/meetings/" + id).json();
    assertThat(atHome.getString("title")).isEqualTo("南箕輪からの担当者会議（時間変更）");
    assertThat(atHome.getString("status")).isEqualTo("cancelled");
  }

  @Test
  @Order(3)
  void on_a_pc_a_meeting_the_home_node_refuses_shows_as_not_sent_with_the_reason() {
    bed.stopNode("ina");
    bed.startNode("ina", json -> json.put("meetings", new JsonObject().put("otherProviders", "off")));
    doctor = bed.login("ina", "ina-doctor", "ina-doctor");
    LocalDateTime start = LocalDateTime.now(ZoneId.of("Asia/Tokyo")).plusDays(4).withHour(10).withMinute(0);
    try (Browser pc = new Browser(Browser.DESKTOP)) {
      WebDriverWait wait = new WebDriverWait(pc.driver(), Duration.ofSeconds(30));
      login(pc, wait);
      pc.driver().get(base() + "/#/meetings?board=" + patient);
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("meeting-form")));
      pc.driver().findElement(By.id("m-title")).sendKeys("Zoom での担当者会議");
      pc.driver().executeScript("arguments[0].value = arguments[1]", pc.driver().findElement(By.id("m-date")),
          start.toLocalDate().toString());
      pc.driver().executeScript("arguments[0].value = arguments[1]", pc.driver().findElement(By.id("m-time")), "10:00");
      pc.driver().findElement(By.cssSelector("input[name=m-provider][value=link]")).click();
      pc.driver().findElement(By.id("m-link")).sendKeys("https://zoom.us/j/24680");
      pc.driver().findElement(By.id("meeting-save")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("meeting-sent"), "送信待ち"));
      CrossNodeTestbed.eventually("伊那市's refusal reaches her node", () -> CrossNodeTestbed.count(
          bed.node("minamiminowa"), "select count(*) from meeting_submissions where state = 'refused' and code = ?",
          "meetings.provider_not_allowed") == 1);
      pc.driver().navigate().refresh();
      WebElement refused = wait.until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("#meeting-submissions .sync-rejected")));
      assertThat(refused.getText()).isEqualTo("送信できませんでした");
      assertThat(pc.driver().findElement(By.id("meeting-submissions")).getText()).contains("Zoom での担当者会議",
          "登録先の地域ではこのビデオ会議サービスを使えません。");
      assertThat(pc.driver().findElements(By.cssSelector("#meeting-submissions .sync-pending"))).isEmpty();
      pc.screenshot("meetings-partner-refused-pc");
    }
    assertThat(CrossNodeTestbed.count(bed.node("ina"), "select count(*) from meetings where title = ?",
        "Zoom での担当者会議")).isZero();
  }

  @Test
  @Order(4)
  void on_her_phone_she_records_the_minutes_once_started_and_the_home_node_posts_them() {
    LocalDateTime start = LocalDateTime.ofInstant(bed.clock.instant(), ZoneId.of("Asia/Tokyo")).plusMinutes(2)
        .withSecond(0).withNano(0);
    CareClient.Reply sent = nurse.post("/api/v1/meetings", new JsonObject().put("boardId", patient)
        .put("kind", "conference").put("title", "南箕輪で記録する会議").put("date", start.toLocalDate().toString())
        .put("time", start.toLocalTime().toString().substring(0, 5)).put("durationMinutes", 30).put("online", true)
        .put("videoProvider", "jitsi").put("place", "").put("agenda", "").put("participants",
            new JsonArray().add("ina-doctor@ina")));
    assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    String id = sent.json().getString("id");
    CrossNodeTestbed.eventually("the meeting comes back to her node", () -> CrossNodeTestbed.count(
        bed.node("minamiminowa"), "select count(*) from meetings where id = ?", id) == 1);
    try (Browser phone = new Browser(Browser.PHONE)) {
      WebDriverWait wait = new WebDriverWait(phone.driver(), Duration.ofSeconds(30));
      login(phone, wait);
      phone.driver().get(base() + "/#/meetings/" + id);
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("minutes-later")));
      assertThat(phone.driver().findElements(By.id("minutes-form"))).as("before the start").isEmpty();
      bed.clock.moveTo(start.atZone(ZoneId.of("Asia/Tokyo")).toInstant());
      phone.driver().navigate().refresh();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("minutes-form")));
      assertThat(phone.driver().findElements(By.id("document-form"))).as("documents at the home node").isEmpty();
      phone.driver().findElement(By.id("minutes-text")).sendKeys("訪問の曜日を火曜に決めた。");
      phone.driver().findElement(By.cssSelector("#minutes-form button[type=submit]")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("meeting-message"), "送信しました"));
      phone.screenshot("meetings-partner-minutes-sent-phone");
      CrossNodeTestbed.eventually("the minutes come back to her node", () -> CrossNodeTestbed.count(
          bed.node("minamiminowa"), "select count(*) from meetings where id = ? and minutes_at is not null", id) == 1);
      phone.driver().navigate().refresh();
      WebElement minutes = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("meeting-minutes")));
      assertThat(minutes.getText()).contains("火曜に決めた");
      assertThat(phone.driver().findElements(By.cssSelector("#meeting-submissions .sync-pending"))).isEmpty();
      Number scroll = (Number) phone.driver().executeScript("return document.documentElement.scrollWidth");
      assertThat(scroll.intValue()).as("no sideways scrolling").isLessThanOrEqualTo(Browser.PHONE.width);
    }
    assertThat(doctor.get("/api/v1/meetings/" + id).json().getString("minutes")).isEqualTo("訪問の曜日を火曜に決めた。");
  }

  private void login(Browser browser, WebDriverWait wait) {
    browser.driver().get(base() + "/#/login");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    browser.driver().findElement(By.id("f-loginId")).sendKeys("mm-nurse");
    browser.driver().findElement(By.id("f-password")).sendKeys(CrossNodeTestbed.PASSWORD);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("li:not([hidden]) > a[data-view=patients]")));
  }
}
