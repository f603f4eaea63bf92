package jp.tsunagu.node.care.patients;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import jp.tsunagu.node.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareApiTest;

/**
 * In real headless Chromium: municipal staff resolve a possible duplicate registration on
 * 重複の可能性がある登録, and a member without the permission sees no 外す button and no managing role
 * to invite with on the team tab.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatientDuplicateBrowserTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient careManager;
  CareClient pharmacist;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    bed.municipalStaff("ina-gyosei-dup", "伊那", "花子");
    doctor = bed.professional("dr-dup-ui", "北原", "健一", "doctor", bed.clinic);
    careManager = bed.professional("cm-dup-ui", "藤澤", "聡子", "care_manager", bed.nursingStation);
    pharmacist = bed.professional("ph-dup-ui", "竹内", "薫", "pharmacist", bed.clinic);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private static WebDriverWait longWait(Browser browser) {
    return new WebDriverWait(browser.driver(), Duration.ofSeconds(20));
  }

  @Test
  void municipal_staff_invite_the_registrant_of_a_duplicate_into_the_existing_team() {
    String existing = doctor.post("/api/v1/patients", CareApiTest.patient("竹松", "キヨ", "タケマツ", "キヨ", "1929-11-03"))
        .json().getString("id");
    String duplicate = careManager.post("/api/v1/patients", CareApiTest.patient("竹松", "キヨ", "タケマツ", "キヨ",
        "1929-11-03").put("teamRole", "ケアマネジャー")).json().getString("id");
    try (Browser pc = new Browser(Browser.DESKTOP)) {
      bed.logIn(pc, "ina-gyosei-dup", "approvals");
      pc.driver().findElement(By.cssSelector("a[data-view=patient-duplicates]")).click();
      WebElement pair = longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
          "#duplicate-list li.duplicate")));
      assertThat(pc.driver().findElement(By.tagName("h1")).getText()).isEqualTo("重複の可能性がある登録");
      assertThat(pair.getText()).contains("藤澤 聡子", "既存の登録", "新しい登録", "竹松 キヨ", "北原 健一");
      pair.findElement(By.cssSelector("button[data-decide=invite]")).click();
      pc.waiting().until(ExpectedConditions.alertIsPresent()).accept();
      longWait(pc).until(ExpectedConditions.textToBePresentInElementLocated(By.id("duplicate-result"),
          "既存のチームに招待し"));
      longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(By.id("no-duplicates")));
    }
    assertThat(careManager.get("/api/v1/invitations").body()).contains(existing);
    assertThat(careManager.get("/api/v1/patients/" + duplicate).json().getString("status")).isEqualTo("archived");
  }

  @Test
  void a_member_without_the_permission_sees_no_remove_button_and_no_managing_role_on_the_team_tab() {
    String patient = doctor.post("/api/v1/patients", CareApiTest.patient("小池", "ミツ", "コイケ", "ミツ", "1930-02-02"))
        .json().getString("id");
    doctor.post("/api/v1/patients/" + patient + "/team/invitations",
        new JsonObject().put("userId", pharmacist.userId).put("teamRole", "薬剤師"));
    pharmacist.post("/api/v1/invitations/" + patient + "/accept", new JsonObject());
    try (Browser phone = new Browser(Browser.PHONE)) {
      bed.openPatient(phone, "ph-dup-ui", patient);
      phone.driver().findElement(By.cssSelector("a[data-tab=team]")).click();
      longWait(phone).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#tab-team .member"), 2));
      WebElement team = phone.driver().findElement(By.id("tab-team"));
      assertThat(team.findElements(By.cssSelector("button[data-remove]"))).isEmpty();
      assertThat(team.findElements(By.cssSelector("button[data-leave]"))).hasSize(1);
      assertThat(team.getText()).contains("メンバーを外せるのは");
      assertThat(team.findElements(By.cssSelector("#invite-role option")).stream().map(WebElement::getText))
          .contains("薬剤師", "訪問看護").doesNotContain("主治医", "ケアマネジャー");
    }
  }
}
