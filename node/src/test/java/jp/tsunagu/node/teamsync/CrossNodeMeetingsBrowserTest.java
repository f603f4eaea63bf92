package jp.tsunagu.node.teamsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.care.CareClient;
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

/**
 * A meeting set up on a partner's node, in real headless Chromium with two real nodes: 南箕輪村's
 * visiting nurse, in the team of a 伊那市 patient, schedules it on her phone from the patient's team on
 * her own node; the screen says it was sent to 伊那市, and once 伊那市 has taken it the meeting is in her
 * list with its video link, her as organiser, and on 伊那市's doctor's screen.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossNodeMeetingsBrowserTest {

  @TempDir
  static Path dir;
  CrossNodeTestbed bed;
  CareClient doctor;
  String patient;

  @BeforeAll
  void team() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    doctor = bed.professional("ina", "ina-doctor", "伊那", "doctor", "伊那中央クリニック", "clinic");
    CareClient nurse = bed.professional("minamiminowa", "mm-nurse", "南箕", "nurse", "みなみみのわ訪問看護ステーション",
        "home_nursing");
    patient = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "唐木");
  }

  @AfterAll
  void stop() {
    bed.close();
  }

  private String base() {
    return bed.node("minamiminowa").webUrl().toString();
  }

  @Test
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
}
