package jp.tsunagu.node.care;

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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Everyday use of the patient page in real headless Chromium, on a phone and on a PC (issue 16): the
 * 特別便 recipients (never the author, two 宮下 さくら told apart by facility and municipality, the same
 * order every time, a confirmation before sending) and the team tab (where each member works, no role
 * chosen in advance for an invitation, people already in the team marked, the invitation saying who
 * invites from where).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EverydayUseBrowserTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient nurseIna;
  CareClient nurseMinamiminowa;
  CareClient careManager;
  String patient;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    String mmStation = bed.seeder.createFacility("南箕輪訪問看護ステーション", "203858", "長野県", "home_nursing");
    doctor = bed.professional("dr-daily", "北原", "健一", "キタハラ", "ケンイチ", "doctor", bed.clinic);
    nurseIna = bed.professional("ns-daily-ina", "宮下", "さくら", "ミヤシタ", "サクラ", "nurse", bed.nursingStation);
    nurseMinamiminowa = bed.professional("ns-daily-mm", "宮下", "さくら", "ミヤシタ", "サクラ", "nurse", mmStation);
    careManager = bed.professional("cm-daily", "藤澤", "聡子", "フジサワ", "サトコ", "care_manager", bed.clinic);
    bed.professional("ph-daily-phone", "唐沢", "誠", "カラサワ", "マコト", "pharmacist", bed.clinic);
    bed.professional("ph-daily-pc", "唐木", "実", "カラキ", "ミノル", "pharmacist", bed.clinic);
    patient = doctor.post("/api/v1/patients", CareApiTest.patient("春日", "トメ", "カスガ", "トメ", "1931-05-12"))
        .json().getString("id");
    for (CareClient member : List.of(nurseMinamiminowa, careManager, nurseIna)) {
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

  private static WebDriverWait longWait(Browser browser) {
    return new WebDriverWait(browser.driver(), Duration.ofSeconds(20));
  }

  @Test
  void on_a_phone_a_direct_post_offers_everyone_but_the_author_told_apart_by_facility_and_municipality_and_asks_first() {
    directPost(Browser.PHONE, "南箕輪の宮下さんへ（スマートフォン）");
  }

  @Test
  void on_a_pc_a_direct_post_offers_everyone_but_the_author_told_apart_by_facility_and_municipality_and_asks_first() {
    directPost(Browser.DESKTOP, "南箕輪の宮下さんへ（パソコン）");
  }

  private List<String> recipientChoices(Browser browser) {
    browser.driver().get(bed.node.webUrl() + "/#/patients");
    browser.driver().get(bed.node.webUrl() + "/#/patient/" + patient);
    browser.driver().navigate().refresh();
    longWait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("post-form")));
    browser.driver().findElement(By.cssSelector("#post-recipients summary")).click();
    longWait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("input[name=recipient]")));
    return browser.driver().findElements(By.cssSelector("input[name=recipient]")).stream()
        .map(i -> i.getAttribute("value")).toList();
  }

  private void directPost(Dimension size, String body) {
    List<String> miyashita = List.of(nurseIna.userId, nurseMinamiminowa.userId).stream().sorted().toList();
    try (Browser browser = new Browser(size)) {
      bed.openPatient(browser, "dr-daily", patient);
      List<String> first = recipientChoices(browser);
      assertThat(first).as("never the author; by kana, then id").doesNotContain(doctor.userId)
          .containsExactly(careManager.userId, miyashita.get(0), miyashita.get(1));
      assertThat(recipientChoices(browser)).as("the same order on every visit").isEqualTo(first);
      assertThat(label(browser, nurseIna.userId).getText()).contains("宮下 さくら", "看護師", "いな訪問看護ステーション", "伊那市")
          .doesNotContain("南箕輪");
      assertThat(label(browser, nurseMinamiminowa.userId).getText()).contains("宮下 さくら", "看護師",
          "南箕輪訪問看護ステーション", "南箕輪村");

      browser.driver().findElement(By.id("post-body")).sendKeys(body);
      label(browser, nurseMinamiminowa.userId).findElement(By.cssSelector("input")).click();
      browser.driver().findElement(By.id("post-submit")).click();
      WebElement confirm = longWait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("post-confirm")));
      assertThat(confirm.getText()).contains("次の1人とあなただけが読めます", "宮下 さくら", "南箕輪訪問看護ステーション・南箕輪村")
          .doesNotContain("いな訪問看護ステーション");
      assertThat(browser.driver().findElement(By.id("post-submit")).isDisplayed()).isFalse();
      browser.screenshot("direct-post-confirm-" + size.getWidth());
      assertThat(nurseMinamiminowa.get("/api/v1/patients/" + patient + "/posts").body())
          .as("nothing is sent before the author confirms").doesNotContain(body);

      // 宛先を直す goes back to the choices; the second time the post goes out.
      confirm.findElement(By.id("post-confirm-back")).click();
      longWait(browser).until(ExpectedConditions.invisibilityOfElementLocated(By.id("post-confirm")));
      browser.driver().findElement(By.id("post-submit")).click();
      longWait(browser).until(ExpectedConditions.elementToBeClickable(By.id("post-confirm-send"))).click();
      longWait(browser).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".post.direct"), body));
      WebElement sent = browser.driver().findElements(By.cssSelector(".post.direct")).stream()
          .filter(p -> p.getText().contains(body)).findFirst().orElseThrow();
      assertThat(sent.findElement(By.cssSelector(".direct-badge")).getText())
          .as("the post names its recipients as the list did")
          .contains("宮下 さくら（南箕輪訪問看護ステーション・南箕輪村）", "北原 健一（伊那中央クリニック・伊那市）");
    }
    assertThat(nurseMinamiminowa.get("/api/v1/patients/" + patient + "/posts").body()).contains(body);
    assertThat(nurseIna.get("/api/v1/patients/" + patient + "/posts").body()).doesNotContain(body);
  }

  @Test
  void at_phone_and_pc_size_post_and_comment_authors_are_shown_with_profession_facility_and_municipality() {
    String body = "本日訪問。食事量が増えています。";
    String postId = nurseMinamiminowa.post("/api/v1/patients/" + patient + "/posts",
        new JsonObject().put("category", "連絡").put("body", body)).json().getString("id");
    nurseIna.post("/api/v1/posts/" + postId + "/comments", new JsonObject().put("body", "伊那の宮下です。承知しました。"));
    for (Dimension size : new Dimension[] {Browser.PHONE, Browser.DESKTOP}) {
      try (Browser browser = new Browser(size)) {
        bed.openPatient(browser, "cm-daily", patient);
        By post = By.cssSelector("li[data-post='" + postId + "']");
        longWait(browser).until(ExpectedConditions.textToBePresentInElementLocated(post, "伊那の宮下です"));
        WebElement item = browser.driver().findElement(post);
        assertThat(item.findElement(By.cssSelector("header .author")).getText())
            .contains("宮下 さくら（看護師）", "南箕輪訪問看護ステーション・南箕輪村");
        assertThat(item.findElements(By.cssSelector("header .partner-badge"))).as("a local author is no partner").isEmpty();
        assertThat(item.findElement(By.cssSelector(".comments li .author")).getText())
            .contains("宮下 さくら（看護師）", "いな訪問看護ステーション・伊那市").doesNotContain("南箕輪");
        assertThat(item.findElement(By.cssSelector(".comments li")).getText()).contains("伊那の宮下です。承知しました。");
        browser.screenshot("timeline-authors-" + size.getWidth());
      }
    }
  }

  private static WebElement label(Browser browser, String userId) {
    return browser.driver().findElement(By.cssSelector("input[name=recipient][value='" + userId + "']"))
        .findElement(By.xpath("./ancestor::label"));
  }

  @Test
  void on_a_phone_the_team_tab_shows_where_members_work_asks_for_a_role_and_marks_who_is_in_the_team() {
    teamTab(Browser.PHONE, "唐沢", "ph-daily-phone");
  }

  @Test
  void on_a_pc_the_team_tab_shows_where_members_work_asks_for_a_role_and_marks_who_is_in_the_team() {
    teamTab(Browser.DESKTOP, "唐木", "ph-daily-pc");
  }

  private void teamTab(Dimension size, String inviteeName, String inviteeLogin) {
    try (Browser browser = new Browser(size)) {
      bed.openPatient(browser, "dr-daily", patient);
      browser.driver().findElement(By.cssSelector("a[data-tab=team]")).click();
      WebElement mm = longWait(browser).until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("#team-members [data-member='" + nurseMinamiminowa.userId + "']")));
      assertThat(mm.getText()).contains("宮下 さくら", "看護師", "南箕輪訪問看護ステーション", "南箕輪村")
          .doesNotContain("所属なし");
      assertThat(browser.driver().findElement(By.cssSelector("#team-members [data-member='" + nurseIna.userId + "']"))
          .getText()).contains("いな訪問看護ステーション", "伊那市");

      Select role = new Select(browser.driver().findElement(By.id("invite-role")));
      assertThat(role.getFirstSelectedOption().getText()).as("no role chosen in advance").isEqualTo("選んでください");

      search(browser, "宮下");
      List<WebElement> rows = browser.driver().findElements(By.cssSelector("#invite-results li"));
      assertThat(rows).hasSize(2);
      rows.forEach(row -> assertThat(row.getText()).contains("チームに参加中"));
      assertThat(browser.driver().findElements(By.cssSelector("#invite-results button[data-invite]"))).isEmpty();
      assertThat(browser.driver().findElement(By.id("invite-results")).getText()).contains("伊那市", "南箕輪村");

      search(browser, inviteeName);
      WebElement invite = browser.driver().findElement(By.cssSelector("#invite-results button[data-invite]"));
      invite.click();
      longWait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("invite-role-missing")));
      assertThat(team()).as("nobody is invited without a role").doesNotContain(inviteeName);
      role.selectByVisibleText("薬剤師");
      invite.click();
      longWait(browser).until(ExpectedConditions.textToBePresentInElement(invite, "招待しました"));
      search(browser, inviteeName);
      longWait(browser).until(ExpectedConditions.textToBePresentInElementLocated(By.id("invite-results"), "招待中"));
      assertThat(browser.driver().findElements(By.cssSelector("#invite-results button[data-invite]"))).isEmpty();
      browser.screenshot("team-tab-" + size.getWidth());
    }
    try (Browser browser = new Browser(size)) {
      bed.logIn(browser, inviteeLogin, "patients");
      browser.driver().get(bed.node.webUrl() + "/#/patients");
      WebElement invitation = longWait(browser).until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("#invitations .invite")));
      assertThat(invitation.getText()).contains("北原 健一", "伊那中央クリニック・伊那市", "春日 トメ", "伊那市の支援対象者",
          "薬剤師");
    }
  }

  private static void search(Browser browser, String query) {
    WebElement box = browser.driver().findElement(By.id("invite-q"));
    box.clear();
    box.sendKeys(query);
    browser.driver().findElement(By.cssSelector("#invite-form button")).click();
    longWait(browser).until(ExpectedConditions.textToBePresentInElementLocated(By.id("invite-status"), "見つかりました"));
    longWait(browser).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#invite-results li")));
  }

  private String team() {
    return doctor.get("/api/v1/patients/" + patient + "/team").body();
  }
}
