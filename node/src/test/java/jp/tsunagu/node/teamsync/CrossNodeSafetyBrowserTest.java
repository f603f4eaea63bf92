package jp.tsunagu.node.teamsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
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
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The 安否確認 screen of a partner's professional, in real headless Chromium with two real nodes: a
 * 南箕輪村 visiting nurse in the team of a 伊那市 patient (in 伊那市's 要援護者台帳, a disaster declared
 * there) reaches it from the patient page on her own node, picks a status with the buttons, and sees
 * her record 送信待ち while 伊那市 is down and sent once it is back (phone); a record of a team patient
 * 伊那市's register does not hold is refused there and shows 送信できませんでした (PC).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossNodeSafetyBrowserTest {

  static final String HEADER = CrossNodeSafetyTest.HEADER;

  @TempDir
  static Path dir;
  @AutoClose
  CrossNodeTestbed bed;
  /** In ina's register (confirmed), the nurse in the team. */
  String registered;
  /** The nurse in the team, but no person of ina's register. */
  String unregistered;

  @BeforeAll
  void teams() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    AccountSeeder.Created staff = new AccountSeeder(bed.node("ina").services()).createUser(new AccountSeeder.Person(
        "ina-gyosei", "ina-gyosei@example.jp", "山田", "花子", "ヤマダ", "ハナコ", "municipal_staff",
        Role.MUNICIPAL_STAFF, Optional.empty()), CrossNodeTestbed.PASSWORD, "windows");
    CareClient inaStaff = new CareClient(bed.node("ina"), staff.userId());
    inaStaff.login("ina-gyosei", CrossNodeTestbed.PASSWORD);
    registered = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "唐木");
    unregistered = doctor.post("/api/v1/patients", CrossNodeTestbed.patient("平出", "202096")
        .put("familyKana", "ヒラデ")).json().getString("id");
    CrossNodeTestbed.join(doctor, nurse, "mm-nurse@minamiminowa", unregistered);

    byte[] csv = (HEADER + "唐木 トメ,てすと とめ,1931/5/12,女,長野県伊那市荒井1-1,西箕輪,0265-00-0001,要介護3,,,有,無,\n")
        .getBytes(StandardCharsets.UTF_8);
    CareClient.Reply uploaded = inaStaff.postBytes("/api/v1/disaster/register/imports", csv, "text/csv");
    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
    assertThat(inaStaff.post("/api/v1/disaster/register/imports/" + uploaded.json().getString("id") + "/confirm",
        new JsonObject()).status()).isEqualTo(200);
    inaStaff.get("/api/v1/disaster/register/matches").json().getJsonArray("matches").stream()
        .map(JsonObject.class::cast).forEach(m -> assertThat(inaStaff.post("/api/v1/disaster/register/matches/"
            + m.getString("id") + "/confirm", new JsonObject()).status()).isEqualTo(200));
    assertThat(inaStaff.post("/api/v1/disaster/declarations", new JsonObject().put("kind", "地震")
        .put("districts", new JsonArray())).status()).isEqualTo(201);
  }

  private String base() {
    return bed.node("minamiminowa").webUrl().toString();
  }

  private void login(Browser browser) {
    browser.driver().get(base() + "/#/login");
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    browser.driver().findElement(By.id("f-loginId")).sendKeys("mm-nurse");
    browser.driver().findElement(By.id("f-password")).sendKeys(CrossNodeTestbed.PASSWORD);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("li:not([hidden]) > a[data-view=patients]")));
  }

  /** From the patient page on her own node to the 安否確認 screen. */
  private void openScreen(Browser browser, WebDriverWait wait, String patientId) {
    browser.driver().get(base() + "/#/patient/" + patientId);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("post-form")));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("safety-link"))).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("safety-record-form")));
  }

  private static void noWiderThanTheWindow(Browser browser, int width) {
    Number scroll = (Number) browser.driver().executeScript("return document.documentElement.scrollWidth");
    assertThat(scroll.intValue()).as("no sideways scrolling").isLessThanOrEqualTo(width);
  }

  @Test
  @Order(1)
  void on_a_phone_the_nurse_records_from_the_patient_page_sees_it_waiting_while_the_home_node_is_down_then_sent() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      login(browser);
      WebDriverWait wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(30));
      openScreen(browser, wait, registered);
      WebElement card = browser.driver().findElement(By.id("safety-record-card"));
      assertThat(card.getText()).contains("唐木 トメ 様", "伊那市の支援対象者です", "伊那市の要援護者台帳の方についてだけ受け付けられます");
      assertThat(browser.driver().findElements(By.cssSelector("button[data-status]")).stream().map(WebElement::getText)
          .toList()).containsExactly("無事", "要支援", "負傷", "安否不明", "避難所", "入院", "連絡つかず");
      noWiderThanTheWindow(browser, Browser.PHONE.width);

      // Without a status the screen says so and sends nothing.
      browser.driver().findElement(By.id("safety-record-submit")).click();
      assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("safety-record-result"))).getText())
          .contains("安否を選んでください");

      bed.stopNode("ina");
      assertThat(browser.driver().findElement(By.id("safety-shelter-field")).isDisplayed()).isFalse();
      browser.driver().findElement(By.cssSelector("button[data-status=shelter]")).click();
      assertThat(browser.driver().findElement(By.cssSelector("button[data-status=shelter]")).getAttribute("aria-pressed"))
          .isEqualTo("true");
      browser.driver().findElement(By.id("safety-shelter")).sendKeys("西箕輪小学校");
      browser.driver().findElement(By.id("safety-note")).sendKeys("体育館で家族と一緒");
      browser.driver().findElement(By.id("safety-record-submit")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("safety-record-result"), "伊那市のノードに送ります"));
      WebElement record = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
          "#safety-records .safety-record")));
      assertThat(record.getText()).contains("安否確認: 避難所（西箕輪小学校）", "南箕輪村 看護師 南箕 花子",
          "メモ: 体育館で家族と一緒", "送信待ち");
      browser.driver().executeScript("document.getElementById('safety-records').scrollIntoView()");
      browser.screenshot("safety-partner-pending-phone");

      bed.startNode("ina");
      wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#safety-records .sync-pending")));
      assertThat(browser.driver().findElement(By.id("safety-records")).getText())
          .contains("安否確認: 避難所（西箕輪小学校）").doesNotContain("送信できませんでした");
      // the patient's timeline on her node shows the same notice, sent
      browser.driver().get(base() + "/#/patient/" + registered);
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "安否確認: 避難所（西箕輪小学校）"));
      assertThat(browser.driver().findElements(By.cssSelector("#timeline .sync-pending, #timeline .sync-rejected")))
          .isEmpty();
    }
    CrossNodeTestbed.eventually("the home node recorded it", () -> CrossNodeTestbed.count(bed.node("ina"),
        "select count(*) from disaster_safety_checks where recorded_by = ?", "mm-nurse@minamiminowa") == 1);
  }

  @Test
  @Order(2)
  void on_a_pc_a_record_the_home_node_refuses_shows_as_not_sent_on_the_screen_and_the_timeline() {
    if (bed.node("ina") == null) {
      bed.startNode("ina");
    }
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      login(browser);
      WebDriverWait wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(30));
      openScreen(browser, wait, unregistered);
      noWiderThanTheWindow(browser, Browser.DESKTOP.width);
      browser.driver().findElement(By.cssSelector("button[data-status=safe]")).click();
      browser.driver().findElement(By.id("safety-record-submit")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("safety-records"), "安否確認: 無事"));
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#safety-records .sync-rejected")));
      assertThat(browser.driver().findElement(By.cssSelector("#safety-records .safety-record")).getText())
          .contains("安否確認: 無事", "送信できませんでした").doesNotContain("送信待ち");
      browser.driver().executeScript("document.getElementById('safety-records').scrollIntoView()");
      browser.screenshot("safety-partner-refused-pc");

      browser.driver().get(base() + "/#/patient/" + unregistered);
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "送信できませんでした"));
      List<WebElement> refused = browser.driver().findElements(By.cssSelector("#timeline .sync-rejected"));
      assertThat(refused).hasSize(1);
    }
    assertThat(CrossNodeTestbed.count(bed.node("ina"), "select count(*) from disaster_safety_checks where"
        + " recorded_by = ?", "mm-nurse@minamiminowa")).isEqualTo(1);
  }
}
