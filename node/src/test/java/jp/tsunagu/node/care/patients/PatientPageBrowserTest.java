package jp.tsunagu.node.care.patients;

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
 * What a member does to the patient and the team from the screens, in real headless Chromium:
 * editing the registration on 基本情報, archiving and taking back, finding an archived patient,
 * answering an invitation with 辞退, removing a member and leaving the team.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatientPageBrowserTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient nurse;
  CareClient careManager;
  CareClient pharmacist;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-page", "北原", "健一", "doctor", bed.clinic);
    nurse = bed.professional("ns-page", "宮坂", "由美", "nurse", bed.nursingStation);
    careManager = bed.professional("cm-page", "藤澤", "聡子", "care_manager", bed.nursingStation);
    pharmacist = bed.professional("ph-page", "唐沢", "誠", "pharmacist", bed.clinic);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private String patient(String family, String kana) {
    return doctor.post("/api/v1/patients", CareApiTest.patient(family, "トメ", kana, "トメ", "1931-05-12"))
        .json().getString("id");
  }

  private void invite(String patient, CareClient member, String role, boolean accept) {
    doctor.post("/api/v1/patients/" + patient + "/team/invitations",
        new JsonObject().put("userId", member.userId).put("teamRole", role));
    if (accept) {
      member.post("/api/v1/invitations/" + patient + "/accept", new JsonObject());
    }
  }

  private static WebDriverWait longWait(Browser browser) {
    return new WebDriverWait(browser.driver(), Duration.ofSeconds(20));
  }

  private static WebElement tab(Browser browser, String name) {
    browser.driver().findElement(By.cssSelector("a[data-tab=" + name + "]")).click();
    return longWait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("tab-" + name)));
  }

  @Test
  void a_member_edits_the_registration_archives_the_patient_finds_them_among_the_archived_and_takes_them_back() {
    String patient = patient("春日", "カスガ");
    try (Browser pc = new Browser(Browser.DESKTOP)) {
      bed.openPatient(pc, "dr-page", patient);
      WebElement info = tab(pc, "info");
      assertThat(info.getText()).contains("長野県伊那市荒井3500-1", "要介護2", "女");
      info.findElement(By.cssSelector("button[data-edit-patient]")).click();
      WebElement form = longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(By.id("patient-edit")));
      assertThat(form.findElement(By.name("familyName")).getAttribute("value")).isEqualTo("春日");
      form.findElement(By.name("address")).clear();
      form.findElement(By.name("address")).sendKeys("長野県伊那市西町5000");
      new Select(form.findElement(By.name("careLevel"))).selectByVisibleText("要介護3");
      form.findElement(By.cssSelector("button[type=submit]")).click();
      longWait(pc).until(ExpectedConditions.textToBePresentInElementLocated(By.id("tab-info"), "伊那市西町5000"));
      assertThat(pc.driver().findElement(By.cssSelector("main h1 + p")).getText()).contains("要介護3", "伊那市西町5000");

      pc.driver().findElement(By.cssSelector("#tab-info button[data-archive]")).click();
      pc.waiting().until(ExpectedConditions.alertIsPresent()).accept();
      longWait(pc).until(ExpectedConditions.textToBePresentInElementLocated(By.id("tab-info"), "アーカイブ済み"));
      assertThat(pc.driver().findElements(By.cssSelector("#tab-info button[data-edit-patient]"))).isEmpty();

      pc.driver().get(bed.node.webUrl() + "/#/patients");
      longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(By.id("patient-list")));
      longWait(pc).until(driver -> !driver.findElement(By.id("patient-list")).getText().isEmpty());
      assertThat(pc.driver().findElement(By.id("patient-list")).getText()).doesNotContain("春日");
      pc.driver().findElement(By.id("patient-archived")).click();
      longWait(pc).until(ExpectedConditions.textToBePresentInElementLocated(By.id("patient-list"), "春日"));
      assertThat(pc.driver().findElement(By.id("patient-list")).getText()).contains("アーカイブ済み");

      pc.driver().findElement(By.cssSelector("#patient-list a[href='#/patient/" + patient + "']")).click();
      longWait(pc).until(ExpectedConditions.elementToBeClickable(By.cssSelector("a[data-tab=info]")));
      tab(pc, "info").findElement(By.cssSelector("button[data-restore]")).click();
      pc.waiting().until(ExpectedConditions.alertIsPresent()).accept();
      longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#tab-info button[data-edit-patient]")));
    }
    JsonObject stored = doctor.get("/api/v1/patients/" + patient).json();
    assertThat(stored.getString("address")).isEqualTo("長野県伊那市西町5000");
    assertThat(stored.getString("careLevel")).isEqualTo("要介護3");
    assertThat(stored.getString("status")).isEqualTo("active");
  }

  @Test
  void an_invitation_is_declined_a_member_removed_and_another_leaves_from_their_own_phones() throws Exception {
    String patient = patient("竹松", "タケマツ");
    invite(patient, nurse, "訪問看護", false);
    invite(patient, careManager, "ケアマネジャー", true);
    invite(patient, pharmacist, "薬剤師", true);
    try (Browser phone = new Browser(Browser.PHONE)) {
      bed.logIn(phone, "ns-page", "patients");
      phone.driver().get(bed.node.webUrl() + "/#/patients");
      WebElement invitation = longWait(phone).until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("#invitations button[data-answer=decline][data-board='" + patient + "']")));
      invitation.click();
      longWait(phone).until(ExpectedConditions.invisibilityOfElementLocated(
          By.cssSelector("#invitations button[data-board='" + patient + "']")));
    }
    try (Browser phone = new Browser(Browser.PHONE)) {
      bed.openPatient(phone, "dr-page", patient);
      WebElement team = tab(phone, "team");
      longWait(phone).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#tab-team .member"), 3));
      assertThat(team.getText()).doesNotContain("宮坂").as("a declined invitation leaves the list");
      team.findElement(By.cssSelector(".member[data-member='" + careManager.userId + "'] button[data-remove]")).click();
      phone.waiting().until(ExpectedConditions.alertIsPresent()).accept();
      longWait(phone).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#tab-team .member"), 2));
    }
    assertThat(careManager.get("/api/v1/patients/" + patient).status()).as("removed: nothing to see").isEqualTo(404);
    try (Browser phone = new Browser(Browser.PHONE)) {
      bed.openPatient(phone, "ph-page", patient);
      tab(phone, "team").findElement(By.cssSelector(".member[data-member='" + pharmacist.userId + "'] button[data-leave]"))
          .click();
      phone.waiting().until(ExpectedConditions.alertIsPresent()).accept();
      longWait(phone).until(ExpectedConditions.urlContains("#/patients"));
      longWait(phone).until(ExpectedConditions.visibilityOfElementLocated(By.id("patient-list")));
      assertThat(phone.driver().findElement(By.id("patient-list")).getText()).doesNotContain("竹松");
    }
    assertThat(pharmacist.get("/api/v1/patients/" + patient).status()).isEqualTo(404);
    assertThat(bed.audited("care.team.declined", "board:" + patient)).isEqualTo(1);
    assertThat(bed.audited("care.team.removed", "patient:" + patient)).isEqualTo(1);
    assertThat(bed.audited("care.team.left", "patient:" + patient)).isEqualTo(1);
  }

  @Test
  void a_long_timeline_shows_the_newest_fifty_posts_and_the_older_ones_on_request() {
    String patient = patient("小池", "コイケ");
    for (int i = 1; i <= 53; i++) {
      doctor.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "連絡")
          .put("body", "経過記録 その" + i));
    }
    try (Browser phone = new Browser(Browser.PHONE)) {
      bed.openPatient(phone, "dr-page", patient);
      longWait(phone).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#timeline .post"), 50));
      assertThat(bodies(phone)).contains("経過記録 その53", "経過記録 その4").doesNotContain("経過記録 その3");
      phone.driver().findElement(By.cssSelector("#timeline button[data-older]")).click();
      longWait(phone).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#timeline .post"), 53));
      assertThat(bodies(phone)).contains("経過記録 その3", "経過記録 その1");
      assertThat(phone.driver().findElements(By.cssSelector("#timeline button[data-older]"))).isEmpty();
    }
  }

  private static List<String> bodies(Browser browser) {
    return browser.driver().findElements(By.cssSelector("#timeline .post .body")).stream().map(WebElement::getText)
        .toList();
  }
}
