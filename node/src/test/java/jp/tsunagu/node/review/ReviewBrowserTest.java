package jp.tsunagu.node.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The review board's screens in real headless Chromium: a reviewer's 事前審査 on a phone (labels only,
 * the others' opinions hidden until hers is sent), the chair's 結果集約 on a PC (the agreed cases
 * confirmed at once, the flagged one decided), and the secretariat's session screen on a PC.
 */
class ReviewBrowserTest {

  @TempDir
  static Path dir;
  static ReviewBed bed;
  static String session;
  static List<String> cases;

  @BeforeAll
  static void start() {
    bed = new ReviewBed(dir);
    session = bed.session(Duration.ofDays(1));
    cases = List.of(bed.addCase(session, "P-1", "care_1"), bed.addCase(session, "P-2", "care_2"));
    bed.material(cases.get(0), ReviewBed.pdf("iken-sho", 0));
    bed.release(session);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static WebDriverWait longWait(Browser browser) {
    return new WebDriverWait(browser.driver(), Duration.ofSeconds(20));
  }

  private static void login(Browser browser, String loginId, String landing) {
    browser.driver().get(bed.node.webUrl() + "/#/login");
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-identity=ready]")));
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    browser.driver().findElement(By.id("f-loginId")).sendKeys(loginId);
    browser.driver().findElement(By.id("f-password")).sendKeys(ReviewBed.PASSWORD);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
    longWait(browser).until(ExpectedConditions.urlContains(landing));
  }

  @Test
  void a_reviewer_gives_her_opinion_on_her_phone_and_sees_the_others_only_afterwards() {
    ReviewBed.ok(bed.chair().put("/api/v1/review/my/cases/" + cases.get(0) + "/opinion", new JsonObject()
        .put("agrees", true).put("months", 12)));
    try (Browser phone = new Browser(Browser.PHONE)) {
      login(phone, "ina-shika", "#/patients");
      phone.driver().get(bed.node.webUrl() + "/#/review-my");
      longWait(phone).until(ExpectedConditions.elementToBeClickable(By.cssSelector("#review-my a"))).click();
      WebElement first = longWait(phone).until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("li.review-case")));
      String page = phone.driver().findElement(By.id("main")).getText();
      assertThat(page).contains("第3合議体", "事例01", "要介護1", "主治医意見書").doesNotContain(ReviewBed.APPLICANT, "P-1");
      assertThat(first.findElements(By.cssSelector(".review-others-hidden"))).hasSize(1);
      first.findElement(By.cssSelector("input[name=agrees][value=no]")).click();
      new Select(first.findElement(By.name("level"))).selectByValue("care_2");
      new Select(first.findElement(By.name("reason"))).selectByValue("special_notes_more");
      WebElement months = first.findElement(By.name("months"));
      months.clear();
      months.sendKeys("6");
      first.findElement(By.cssSelector("form.review-opinion button[type=submit]")).click();
      longWait(phone).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("details.review-others")));
      // The list is drawn again once the opinion is saved: read the others' opinions from the list as redrawn.
      String others = longWait(phone).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
        String text = d.findElement(By.cssSelector("li.review-case details.review-others")).getText();
        return text.contains("北原") ? text : null;
      });
      assertThat(others).contains("北原", "一次判定どおり");
      Object overflow = phone.driver().executeScript("return document.documentElement.scrollWidth > window.innerWidth + 1"
          + " || [...document.querySelectorAll('#main, #main *')].some(e => e.scrollWidth > e.clientWidth + 1"
          + " && getComputedStyle(e).overflowX !== 'visible' && e.tagName !== 'TEXTAREA');");
      assertThat(overflow).isEqualTo(false);
      phone.screenshot("review-pre-review-phone");
    }
    CareClient dentist = bed.members.get(2);
    assertThat(TestSql.count(bed.node, "select count(*) from review_opinions where case_id = ? and level = 'care_2'"
        + " and months = 6 and appointment_id = ?", cases.get(0), bed.appointments.get(dentist.userId))).isEqualTo(1);
  }

  @Test
  void the_chair_confirms_the_agreed_cases_at_once_and_decides_the_flagged_one_on_a_pc() {
    for (CareClient member : bed.members) {
      ReviewBed.ok(member.put("/api/v1/review/my/cases/" + cases.get(1) + "/opinion", new JsonObject()
          .put("agrees", true).put("months", 24)));
    }
    try (Browser pc = new Browser(Browser.DESKTOP)) {
      login(pc, "ina-ishi", "#/patients");
      pc.driver().get(bed.node.webUrl() + "/#/review-aggregate?id=" + session + "&as=chair");
      longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(By.id("review-confirm-agreed")));
      assertThat(pc.driver().findElement(By.id("review-agreed-count")).getText()).isEqualTo("1");
      assertThat(pc.driver().findElement(By.id("main")).getText()).doesNotContain(ReviewBed.APPLICANT);
      pc.driver().findElement(By.id("review-confirm-agreed")).click();
      longWait(pc).until(ExpectedConditions.textToBePresentInElementLocated(
          By.cssSelector("tr[data-case='" + cases.get(1) + "']"), "24か月"));
      WebElement flagged = pc.driver().findElement(By.cssSelector("tr[data-case='" + cases.get(0) + "']"));
      new Select(flagged.findElement(By.name("level"))).selectByValue("care_2");
      flagged.findElement(By.name("remarks")).sendKeys("夜間の見守りを検討");
      flagged.findElement(By.cssSelector("button[type=submit]")).click();
      longWait(pc).until(ExpectedConditions.textToBePresentInElementLocated(
          By.cssSelector("tr[data-case='" + cases.get(0) + "']"), "夜間の見守りを検討"));
      pc.screenshot("review-aggregation-pc");
    }
    assertThat(TestSql.count(bed.node, "select count(*) from review_cases where session_id = ? and second_level"
        + " is not null", session)).isEqualTo(2);
  }

  @Test
  void the_secretariat_sees_the_panel_with_its_load_and_the_session_with_the_mapping_on_a_pc() {
    try (Browser pc = new Browser(Browser.DESKTOP)) {
      login(pc, "ina-shinsa", "#/review");
      WebElement panel = longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("li.review-panel")));
      assertThat(panel.getText()).contains("第3合議体", "合議体長", "副合議体長", "医師", "1回・2件");
      pc.driver().findElement(By.cssSelector("#review-sessions a")).click();
      longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("table.review-cases")));
      assertThat(pc.driver().findElement(By.id("main")).getText()).contains("P-1", ReviewBed.APPLICANT, "事例02");

      // P-2's 主治医意見書 taken from the form filed on the platform, with the applicant's consent: the
      // applicant picked by name and birth date, the opinion previewed, a name in its free text removed.
      patientWithForm("春日", "八重", "カスガ", "ヤエ", "1938-04-02");
      WebElement row = pc.driver().findElement(By.cssSelector("tr[data-case='" + cases.get(1) + "']"));
      pickAndImport(pc, row, "かすが やえ", "1938-04-02", "春日 八重");
      longWait(pc).until(ExpectedConditions.textToBePresentInElementLocated(
          By.cssSelector("tr[data-case='" + cases.get(1) + "']"), "主治医意見書（プラットフォームの様式）"));
      pc.screenshot("review-form-picker-pc");
    }
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'review.form_free_text_edited'"
        + " and detail like ?", "%" + cases.get(1) + "%")).isEqualTo(1);
  }

  @Test
  void the_secretariat_picks_the_applicant_and_redacts_the_free_text_on_a_phone() {
    String patient = patientWithForm("竜東", "ハナ", "リュウトウ", "ハナ", "1940-01-20");
    try (Browser phone = new Browser(Browser.PHONE)) {
      login(phone, "ina-shinsa", "#/review");
      phone.driver().get(bed.node.webUrl() + "/#/review-admin-session?id=" + session);
      WebElement row = longWait(phone).until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("tr[data-case='" + cases.get(0) + "']")));
      pickAndImport(phone, row, "りゅうとう", "1940-01-20", "竜東 ハナ");
      longWait(phone).until(ExpectedConditions.textToBePresentInElementLocated(
          By.cssSelector("tr[data-case='" + cases.get(0) + "']"), "主治医意見書（プラットフォームの様式）"));
      Object overflow = phone.driver().executeScript("return document.documentElement.scrollWidth > window.innerWidth + 1");
      assertThat(overflow).isEqualTo(false);
      phone.screenshot("review-form-picker-phone");
    }
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'review.patient_search'"
        + " and outcome = 'success' and detail like ?", "%" + patient + "%")).isGreaterThanOrEqualTo(1);
  }

  private static String patientWithForm(String family, String given, String familyKana, String givenKana,
      String birth) {
    String patient = bed.outsider.post("/api/v1/patients", jp.tsunagu.node.care.CareApiTest.patient(family, given,
        familyKana, givenKana, birth)).json().getString("id");
    assertThat(bed.outsider.post("/api/v1/patients/" + patient + "/forms", new JsonObject()
        .put("template", jp.tsunagu.node.care.forms.FormSamples.IKENSHO)
        .put("values", jp.tsunagu.node.care.forms.FormSamples.ikensho().put("remarks", "長男の" + family
            + "一郎さんが週末に訪問。"))).status()).isEqualTo(201);
    return patient;
  }

  /** Searches by kana and birth date, picks the one answer, previews, removes the name and imports. */
  private static void pickAndImport(Browser browser, WebElement row, String kana, String birth, String shown) {
    org.openqa.selenium.JavascriptExecutor js = (org.openqa.selenium.JavascriptExecutor) browser.driver();
    row.findElement(By.cssSelector("details.review-from-form summary")).click();
    row.findElement(By.cssSelector("form.review-pick input[name=name]")).sendKeys(kana);
    js.executeScript("arguments[0].value = arguments[1]", row.findElement(By.cssSelector(
        "form.review-pick input[name=birthDate]")), birth);
    row.findElement(By.cssSelector("form.review-pick button")).click();
    WebElement pick = shown(browser, row, "ul.review-candidates button[data-pick-index]");
    assertThat(row.findElements(By.cssSelector("ul.review-candidates li"))).hasSize(1);
    assertThat(row.findElement(By.cssSelector("ul.review-candidates")).getText()).contains(shown, birth, "2025-06-02")
        .doesNotContain("荒井");
    pick.click();
    js.executeScript("arguments[0].value = arguments[1]", row.findElement(By.cssSelector(
        "form.review-form-import input[name=consentOn]")), java.time.LocalDate.now().minusDays(2).toString());
    row.findElement(By.cssSelector("form.review-form-import button[data-preview]")).click();
    WebElement freeText = shown(browser, row, "form.review-form-import textarea[name=ft-remarks]");
    assertThat(row.findElement(By.cssSelector("textarea[name=ft-diagnosis_1]")).getAttribute("value"))
        .isEqualTo("アルツハイマー型認知症");
    assertThat(freeText.getAttribute("value")).contains("一郎");
    // The family name the doctor wrote is marked, and the copy is refused in Japanese while it is there.
    String family = shown.split(" ")[0];
    assertThat(row.findElement(By.cssSelector("[data-field=remarks] .review-marks mark")).getText()).startsWith(family);
    assertThat(row.findElement(By.cssSelector(".review-marks-summary")).getText()).contains("1 か所");
    row.findElement(By.cssSelector("form.review-form-import button[type=submit]")).click();
    WebElement error = shown(browser, row, "form.review-form-import > .form-error");
    assertThat(error.getText()).contains("特記すべき事項", "残っています").doesNotContain(family);
    assertThat(row.findElement(By.cssSelector("[data-field=remarks]")).getAttribute("class")).contains("refused");
    freeText.clear();
    freeText.sendKeys("長男が週末に訪問。");
    row.findElement(By.cssSelector("form.review-form-import button[type=submit]")).click();
  }

  /** Waits for an element inside {@code within} to be shown (the picker fills itself in after each answer). */
  private static WebElement shown(Browser browser, WebElement within, String css) {
    return longWait(browser).until(d -> within.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed)
        .findFirst().orElse(null));
  }
}
