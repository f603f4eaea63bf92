package jp.tsunagu.node.care;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import jp.tsunagu.node.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import jp.tsunagu.node.care.attachments.AttachmentTest;

/**
 * The patient page in real headless Chromium: posting with a photo, 特別便, 既読 and live updates,
 * comments and who has read a post, editing and deleting one's own note, correcting one's vitals
 * record, the team tab on a phone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CareBrowserTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient nurse;
  CareClient careManager;
  String patient;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-browser", "北原", "健一", "doctor", bed.clinic);
    nurse = bed.professional("ns-browser", "宮坂", "由美", "nurse", bed.nursingStation);
    careManager = bed.professional("cm-browser", "藤澤", "聡子", "care_manager", bed.nursingStation);
    patient = doctor.post("/api/v1/patients", CareApiTest.patient("春日", "トメ", "カスガ", "トメ", "1931-05-12"))
        .json().getString("id");
    for (CareClient member : new CareClient[] {nurse, careManager}) {
      doctor.post("/api/v1/patients/" + patient + "/team/invitations",
          new JsonObject().put("userId", member.userId).put("teamRole", "訪問看護"));
      member.post("/api/v1/invitations/" + patient + "/accept", new JsonObject());
    }
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private void openPatient(Browser browser, String loginId) {
    bed.openPatient(browser, loginId, patient);
  }

  private static WebDriverWait longWait(Browser browser) {
    return new WebDriverWait(browser.driver(), Duration.ofSeconds(20));
  }

  @Test
  void a_photo_post_arrives_live_in_a_second_browser_and_its_read_receipt_comes_back() throws Exception {
    Path photo = dir.resolve("sacrum.jpg");
    Files.write(photo, AttachmentTest.image(640, 480, "jpg"));
    try (Browser doctorBrowser = new Browser(Browser.DESKTOP); Browser nurseBrowser = new Browser(Browser.PHONE)) {
      openPatient(doctorBrowser, "dr-browser");
      openPatient(nurseBrowser, "ns-browser");
      doctorBrowser.driver().findElement(By.id("post-body")).sendKeys("仙骨部の写真です。発赤は軽快傾向。");
      doctorBrowser.driver().findElement(By.id("post-files")).sendKeys(photo.toString());
      doctorBrowser.driver().findElement(By.id("post-submit")).click();
      longWait(doctorBrowser).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".post .attachments img")));
      // The nurse's page was opened before the post: it arrives without reloading.
      longWait(nurseBrowser).until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "発赤は軽快傾向"));
      assertThat(nurseBrowser.driver().findElements(By.cssSelector(".post .attachments img"))).isNotEmpty();
      // The nurse's page marks it read; the doctor's page hears of it live.
      longWait(doctorBrowser).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".post .read-count"),
          "既読 1"));
    }
  }

  @Test
  void a_direct_post_is_not_shown_to_a_member_who_is_not_a_recipient() {
    try (Browser doctorBrowser = new Browser(Browser.DESKTOP); Browser cmBrowser = new Browser(Browser.PHONE)) {
      openPatient(doctorBrowser, "dr-browser");
      doctorBrowser.driver().findElement(By.id("post-body")).sendKeys("看護師さんだけにお伝えします。");
      doctorBrowser.driver().findElement(By.cssSelector("#post-form details summary")).click();
      doctorBrowser.driver().findElement(By.cssSelector("input[name=recipient][value='" + nurse.userId + "']")).click();
      doctorBrowser.driver().findElement(By.id("post-submit")).click();
      longWait(doctorBrowser).until(ExpectedConditions.elementToBeClickable(By.id("post-confirm-send"))).click();
      longWait(doctorBrowser).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".post.direct")));
      doctorBrowser.driver().findElement(By.id("post-body")).sendKeys("全員への連絡です。");
      doctorBrowser.driver().findElement(By.id("post-submit")).click();
      longWait(doctorBrowser).until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "全員への連絡です"));
      openPatient(cmBrowser, "cm-browser");
      longWait(cmBrowser).until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "全員への連絡です"));
      assertThat(cmBrowser.driver().findElement(By.id("timeline")).getText()).doesNotContain("看護師さんだけに");
    }
  }

  @Test
  void the_author_edits_a_note_in_place_then_deletes_it_and_members_see_its_history_then_that_it_was_deleted() {
    String id = doctor.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "連絡")
        .put("body", "明日14時に往診します。")).json().getString("id");
    By post = By.cssSelector("li[data-post='" + id + "']");
    try (Browser pc = new Browser(Browser.DESKTOP)) {
      openPatient(pc, "dr-browser");
      longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(post)).findElement(By.cssSelector("a[data-edit-note]"))
          .click();
      var form = longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".note-edit")));
      // read again if the live timeline redraws the post between the find and the read
      assertThat(pc.attribute(By.cssSelector(".note-edit [name=body]"), "value")).isEqualTo("明日14時に往診します。");
      new Select(form.findElement(By.name("category"))).selectByVisibleText("受診");
      form.findElement(By.name("body")).clear();
      form.findElement(By.name("body")).sendKeys("明日15時に往診します（時間変更）。");
      form.findElement(By.cssSelector("button[type=submit]")).click();
      longWait(pc).until(ExpectedConditions.textToBePresentInElementLocated(post, "15時に往診"));
      assertThat(pc.driver().findElement(post).getText()).contains("（編集済み）").contains("受診");
      pc.driver().findElement(post).findElement(By.cssSelector("a[data-history]")).click();
      longWait(pc).until(ExpectedConditions.numberOfElementsToBe(
          By.cssSelector("li[data-post='" + id + "'] .versions li"), 2));
      assertThat(pc.driver().findElement(post).findElement(By.cssSelector(".versions")).getText())
          .contains("14時に往診").contains("15時に往診");
      pc.driver().findElement(post).findElement(By.cssSelector("a[data-delete-post]")).click();
      pc.waiting().until(ExpectedConditions.alertIsPresent()).accept();
      longWait(pc).until(ExpectedConditions.textToBePresentInElementLocated(post, "削除済み"));
      assertThat(pc.driver().findElement(post).getText()).doesNotContain("往診");
    }
    JsonObject seen = nurse.get("/api/v1/posts/" + id).json();
    assertThat(seen.getBoolean("deleted")).isTrue();
    assertThat(seen.containsKey("body")).isFalse();
  }

  @Test
  void a_member_comments_on_a_post_and_sees_who_has_read_it() {
    String id = doctor.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "服薬")
        .put("body", "本日より降圧薬を朝1錠に減量します。")).json().getString("id");
    nurse.post("/api/v1/patients/" + patient + "/reads", new JsonObject().put("postIds", new JsonArray().add(id)));
    By post = By.cssSelector("li[data-post='" + id + "']");
    try (Browser phone = new Browser(Browser.PHONE)) {
      openPatient(phone, "cm-browser");
      // The care manager's own page reads it too (and is drawn again live): the nurse and she are the readers.
      longWait(phone).until(ExpectedConditions.textToBePresentInElementLocated(
          By.cssSelector("li[data-post='" + id + "'] .read-count"), "既読 2"));
      // Typed into the timeline as it is now; while the box holds text, live updates do not redraw it.
      longWait(phone).ignoring(StaleElementReferenceException.class).until(driver -> {
        driver.findElement(post).findElement(By.cssSelector(".comment-form input[name=body]"))
            .sendKeys("承知しました。ヘルパーにも伝えます。");
        return true;
      });
      phone.driver().findElement(post).findElement(By.cssSelector(".comment-form button")).click();
      longWait(phone).until(ExpectedConditions.textToBePresentInElementLocated(
          By.cssSelector("li[data-post='" + id + "'] .comments"), "ヘルパーにも伝えます"));
      assertThat(phone.driver().findElement(post).findElement(By.cssSelector(".comments")).getText()).contains("藤澤 聡子");
      phone.driver().findElement(post).findElement(By.cssSelector("a[data-readers]")).click();
      longWait(phone).until(ExpectedConditions.textToBePresentInElementLocated(
          By.cssSelector("li[data-post='" + id + "'] .readers"), "宮坂 由美"));
      assertThat(phone.driver().findElement(post).findElement(By.cssSelector(".readers")).getText())
          .contains("看護師", "藤澤 聡子");
    }
    assertThat(doctor.get("/api/v1/posts/" + id).json().getJsonArray("comments").getJsonObject(0).getString("body"))
        .isEqualTo("承知しました。ヘルパーにも伝えます。");
  }

  @Test
  void the_nurse_corrects_a_mistyped_blood_pressure_on_her_phone_and_the_chart_shows_the_corrected_value() {
    String id = nurse.post("/api/v1/patients/" + patient + "/vitals", new JsonObject()
        .put("measuredAt", Instant.now().minus(Duration.ofHours(1)).toString()).put("systolic", 218)
        .put("diastolic", 80).put("pulse", 70)).json().getString("id");
    By post = By.cssSelector("li[data-post='" + id + "']");
    By bloodPressure = By.cssSelector("figure.vitals-chart[data-measure=systolic]");
    try (Browser phone = new Browser(Browser.PHONE)) {
      openPatient(phone, "ns-browser");
      phone.driver().findElement(By.cssSelector("a[data-tab=vitals]")).click();
      longWait(phone).until(ExpectedConditions.visibilityOfElementLocated(bloodPressure));
      assertThat(phone.attribute(bloodPressure, "innerHTML")).contains(">218<");

      phone.driver().findElement(By.cssSelector("a[data-tab=timeline]")).click();
      longWait(phone).ignoring(StaleElementReferenceException.class).until(driver -> {
        driver.findElement(post).findElement(By.cssSelector("a[data-edit-vitals]")).click();
        return true;
      });
      var form = longWait(phone).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".vitals-edit")));
      assertThat(phone.attribute(By.cssSelector(".vitals-edit [name=systolic]"), "value")).isEqualTo("218");
      assertThat(phone.attribute(By.cssSelector(".vitals-edit [name=pulse]"), "value")).isEqualTo("70");
      form.findElement(By.name("systolic")).clear();
      form.findElement(By.name("systolic")).sendKeys("128");
      form.findElement(By.name("note")).sendKeys("上の血圧の入力誤りを訂正");
      phone.screenshot("vitals-correction-phone");
      form.findElement(By.cssSelector("button[type=submit]")).click();
      longWait(phone).until(ExpectedConditions.textToBePresentInElementLocated(post, "血圧 128/80 mmHg"));
      assertThat(phone.driver().findElement(post).getText()).contains("（編集済み）", "入力誤りを訂正")
          .doesNotContain("218");

      phone.driver().findElement(By.cssSelector("a[data-tab=vitals]")).click();
      longWait(phone).ignoring(StaleElementReferenceException.class)
          .until(driver -> driver.findElement(bloodPressure).getAttribute("innerHTML").contains(">128<"));
      assertThat(phone.attribute(bloodPressure, "innerHTML")).doesNotContain(">218<");
      assertThat(phone.driver().findElement(By.cssSelector("#vitals-records li[data-post='" + id + "']")).getText())
          .contains("血圧 128/80", "修正");
    }
    JsonArray versions = doctor.get("/api/v1/posts/" + id + "/versions").json().getJsonArray("versions");
    assertThat(versions.stream().map(v -> ((JsonObject) v).getJsonObject("vitals").getInteger("systolic")))
        .containsExactly(218, 128);
  }

  @Test
  void the_team_tab_shows_each_members_facility_and_team_role_within_a_phones_width() {
    try (Browser phone = new Browser(Browser.PHONE)) {
      openPatient(phone, "cm-browser");
      phone.driver().findElement(By.cssSelector("[data-tab=team]")).click();
      longWait(phone).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#tab-team .member"), 3));
      var nurseRow = phone.driver().findElement(By.cssSelector("#tab-team .member[data-member='" + nurse.userId + "']"));
      assertThat(nurseRow.findElement(By.cssSelector(".member-name")).getText()).contains("宮坂 由美").contains("訪問看護");
      assertThat(nurseRow.findElement(By.cssSelector(".member-facility")).getText()).isEqualTo("いな訪問看護ステーション");
      var doctorRow = phone.driver().findElement(By.cssSelector("#tab-team .member[data-member='" + doctor.userId + "']"));
      assertThat(doctorRow.findElement(By.cssSelector(".team-role")).getText()).isEqualTo("主治医");
      assertThat(doctorRow.findElement(By.cssSelector(".member-facility")).getText()).isEqualTo("伊那中央クリニック");
      // Every line of every member fits the phone's width: nothing is cut off or needs sideways scrolling.
      Object overflowing = phone.driver().executeScript("const width = document.documentElement.clientWidth;"
          + "return [...document.querySelectorAll('#tab-team .member span')].filter(e => e.getBoundingClientRect().right > width)"
          + ".map(e => e.textContent);");
      assertThat((java.util.List<?>) overflowing).isEmpty();
      assertThat(phone.driver().executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
          .isEqualTo(true);
      phone.screenshot("team-tab-phone");
    }
  }
}
