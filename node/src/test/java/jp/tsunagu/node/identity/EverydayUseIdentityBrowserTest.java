package jp.tsunagu.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import jp.tsunagu.node.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * Everyday use of the public and account pages, at phone and PC size in real headless Chromium:
 * errors in plain Japanese with a number for support (never the node's dotted code), every problem of
 * 施設登録申請 at once, 修正する keeping what was typed, 必須 marks, the page after login, who is
 * logged in at which node, and what the 救急・消防 and 施設管理者 accounts are for.
 */
class EverydayUseIdentityBrowserTest {

  /** What the node's stable codes look like (auth.login_failed, validation.required, resources.not_found …). */
  static final Pattern DOTTED_CODE = Pattern.compile(
      "\\b(auth|validation|resources|http|care|request|registration|form|csrf|internal|storage)\\.[a-z_]+");

  @TempDir
  static Path dir;

  static IdentityFixture fixture;

  @BeforeAll
  static void start() {
    fixture = new IdentityFixture(dir, true);
    String facility = fixture.seeder.createFacility("伊那さくら訪問看護ステーション", "202096", "長野県", "home_nursing");
    fixture.person("every-kanri", Role.FACILITY_ADMIN, Optional.of(facility));
    fixture.seeder.createUser(new AccountSeeder.Person("every-kyukyu", "kyukyu@ina.example.jp", "伊那", "消太", "イナ",
        "ショウタ", "ems_crew", Role.EMERGENCY_RESPONDER, Optional.empty()), IdentityFixture.PASSWORD, "android");
    fixture.person("every-gyosei", Role.MUNICIPAL_STAFF, Optional.empty());
    fixture.person("every-kango", Role.PROFESSIONAL, Optional.of(facility));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static void open(Browser browser, String hash) {
    browser.driver().get(fixture.node.webUrl() + "/" + hash);
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-identity=ready]")));
  }

  private static void type(Browser browser, String id, String text) {
    WebElement element = browser.driver().findElement(By.id(id));
    element.clear();
    element.sendKeys(text);
  }

  private static void logIn(Browser browser, String loginId, String password) {
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    type(browser, "f-loginId", loginId);
    type(browser, "f-password", password);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
  }

  private static String pageText(Browser browser) {
    return browser.driver().findElement(By.tagName("body")).getText();
  }

  @Test
  void at_phone_and_pc_size_a_failed_login_reads_as_plain_japanese_with_a_number_for_support() {
    for (Dimension size : new Dimension[] {Browser.PHONE, Browser.DESKTOP}) {
      try (Browser browser = new Browser(size)) {
        open(browser, "#/login");
        logIn(browser, "every-kanri", "wrong-password-1");
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#login-error .support-id")));
        assertThat(browser.driver().findElement(By.id("login-error")).getText())
            .contains("ログインIDまたはパスワードが正しくありません", "お問い合わせ用番号");
        assertThat(DOTTED_CODE.matcher(pageText(browser)).find()).as(pageText(browser)).isFalse();
      }
    }
  }

  @Test
  void the_portal_404_is_plain_japanese_and_leads_back_to_the_portal_home() {
    for (Dimension size : new Dimension[] {Browser.PHONE, Browser.DESKTOP}) {
      try (Browser browser = new Browser(size)) {
        browser.driver().get(fixture.node.webUrl() + "/resources/no-such-resource");
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".error-page h1")));
        String text = pageText(browser);
        assertThat(text).contains("見つかりません", "お問い合わせ用番号").doesNotContain("エラーコード");
        assertThat(DOTTED_CODE.matcher(text).find()).as(text).isFalse();
        WebElement home = browser.driver().findElement(By.cssSelector(".error-page a"));
        assertThat(home.getAttribute("href")).isEqualTo(fixture.node.webUrl() + "/resources");
        home.click();
        browser.waiting().until(ExpectedConditions.urlToBe(fixture.node.webUrl() + "/resources"));
      }
    }
  }

  @Test
  void on_a_phone_the_facility_application_shows_every_problem_at_once_in_a_summary_and_beside_each_field() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      open(browser, "#/register");
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("register-form")));
      assertThat(browser.driver().findElement(By.cssSelector("label[for=f-facilityName] .required")).getText())
          .isEqualTo("必須");
      assertThat(browser.driver().findElement(By.cssSelector("label[for=f-familyKana] .required")).getText())
          .isEqualTo("必須");
      type(browser, "f-facilityName", "伊那北薬局");
      type(browser, "f-familyKana", "きたざわ");
      type(browser, "f-email", "kitazawa@inakita.example.jp");
      type(browser, "f-emailConfirm", "other@inakita.example.jp");
      browser.driver().findElement(By.cssSelector("#register-form button[type=submit]")).click();
      WebElement summary = browser.waiting().until(
          ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#register-form .problem-summary")));
      assertThat(summary.getText()).contains("入力内容に誤りがあります", "管理者の姓を入力してください",
          "管理者の姓（カナ）は全角カタカナで入力してください", "メールアドレスが確認用と一致しません",
          "ログインIDを入力してください", "パスワードを入力してください", "お問い合わせ用番号");
      assertThat(summary.findElements(By.cssSelector("li")).size()).isGreaterThanOrEqualTo(6);
      assertThat(browser.driver().findElement(By.cssSelector(".field-error[data-for=familyKana]")).getText())
          .contains("全角カタカナ");
      assertThat(browser.driver().findElement(By.cssSelector(".field-error[data-for=givenName]")).getText())
          .contains("管理者の名を入力してください");
      assertThat(browser.driver().findElement(By.cssSelector(".field-error[data-for=emailConfirm]")).getText())
          .contains("一致しません");
      assertThat(browser.driver().findElement(By.id("f-familyKana")).getAttribute("aria-invalid")).isEqualTo("true");
      assertThat(DOTTED_CODE.matcher(pageText(browser)).find()).as(pageText(browser)).isFalse();
      browser.screenshot("everyday-register-problems-phone");
    }
  }

  @Test
  void on_a_pc_going_back_from_the_confirmation_of_the_application_keeps_what_was_typed() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      open(browser, "#/register");
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("register-form")));
      type(browser, "f-facilityName", "伊那東薬局");
      new Select(browser.driver().findElement(By.id("f-category"))).selectByVisibleText("薬局");
      type(browser, "f-familyName", "東");
      type(browser, "f-givenName", "美咲");
      type(browser, "f-familyKana", "ヒガシ");
      type(browser, "f-givenKana", "ミサキ");
      new Select(browser.driver().findElement(By.id("f-profession"))).selectByVisibleText("薬剤師");
      type(browser, "f-email", "higashi@inahigashi.example.jp");
      type(browser, "f-emailConfirm", "higashi@inahigashi.example.jp");
      type(browser, "f-loginId", "higashi-misaki");
      type(browser, "f-password", "Inahigashi-2025");
      browser.driver().findElement(By.cssSelector("#register-form button[type=submit]")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-facts")));
      browser.driver().findElement(By.id("back")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("register-form")));
      browser.waiting().until(d -> "伊那東薬局".equals(d.findElement(By.id("f-facilityName")).getAttribute("value")));
      assertThat(browser.driver().findElement(By.id("f-familyKana")).getAttribute("value")).isEqualTo("ヒガシ");
      assertThat(browser.driver().findElement(By.id("f-emailConfirm")).getAttribute("value"))
          .isEqualTo("higashi@inahigashi.example.jp");
      assertThat(new Select(browser.driver().findElement(By.id("f-profession"))).getFirstSelectedOption().getText())
          .isEqualTo("薬剤師");
      assertThat(browser.driver().findElement(By.id("f-loginId")).getAttribute("value")).isEqualTo("higashi-misaki");
    }
  }

  @Test
  void an_emergency_account_lands_on_a_page_saying_what_it_is_for_and_the_header_names_the_person_and_node() {
    for (Dimension size : new Dimension[] {Browser.PHONE, Browser.DESKTOP}) {
      try (Browser browser = new Browser(size)) {
        open(browser, "#/login");
        logIn(browser, "every-kyukyu", IdentityFixture.PASSWORD);
        WebElement guide = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("role-guide")));
        assertThat(guide.getText()).contains("救急・消防アカウントでできること", "緊急時の情報");
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/guide");
        String who = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("whoami"))).getText();
        assertThat(who).contains("伊那 消太", "救急・消防", "いーな");
      }
    }
  }

  @Test
  void a_facility_administrator_lands_on_a_page_saying_what_the_account_is_for_and_a_foreign_next_is_ignored() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      open(browser, "#/login?next=https%3A%2F%2Fevil.example%2F");
      logIn(browser, "every-kanri", IdentityFixture.PASSWORD);
      WebElement guide = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("role-guide")));
      assertThat(guide.getText()).contains("施設管理者アカウントでできること", "施設の管理を開く");
      assertThat(browser.driver().getCurrentUrl()).startsWith(fixture.node.webUrl().toString()).endsWith("#/guide");
      assertThat(browser.driver().findElement(By.id("whoami")).getText())
          .contains("伊那 花子", "伊那さくら訪問看護ステーション");
    }
  }

  /** Logs in, opens {@code hash}, waits for {@code formId}, fills the given fields and sends the form. */
  private static WebElement sendWrongForm(Browser browser, String loginId, String hash, String formId, String... idAndText) {
    open(browser, "#/login");
    logIn(browser, loginId, IdentityFixture.PASSWORD);
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("whoami")));
    open(browser, hash);
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id(formId)));
    for (int i = 0; i < idAndText.length; i += 2) {
      type(browser, idAndText[i], idAndText[i + 1]);
    }
    browser.driver().findElement(By.cssSelector("#" + formId + " button[type=submit]")).click();
    return browser.waiting().until(
        ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#" + formId + " .problem-summary")));
  }

  private static String besideField(Browser browser, String formId, String field) {
    return browser.driver().findElement(By.cssSelector("#" + formId + " .field-error[data-for=" + field + "]")).getText();
  }

  @Test
  void at_phone_and_pc_size_adding_staff_names_every_wrong_field_in_the_summary_and_beside_it() {
    for (Dimension size : new Dimension[] {Browser.PHONE, Browser.DESKTOP}) {
      try (Browser browser = new Browser(size)) {
        WebElement summary = sendWrongForm(browser, "every-kanri", "#/facility", "staff-form",
            "f-givenName", "花", "f-familyKana", "いな", "f-email", "not-an-address");
        assertThat(browser.driver().findElement(By.cssSelector("label[for=f-familyName] .required")).getText())
            .isEqualTo("必須");
        assertThat(summary.getText()).contains("入力内容に誤りがあります", "姓を入力してください",
            "姓（カナ）は全角カタカナで入力してください", "名（カナ）を入力してください",
            "メールアドレスの形式が正しくありません", "ログインIDを入力してください", "お問い合わせ用番号");
        assertThat(summary.findElements(By.cssSelector("li"))).hasSize(5);
        assertThat(besideField(browser, "staff-form", "familyName")).contains("姓を入力してください");
        assertThat(besideField(browser, "staff-form", "familyKana")).contains("全角カタカナ");
        assertThat(besideField(browser, "staff-form", "email")).contains("形式が正しくありません");
        assertThat(besideField(browser, "staff-form", "loginId")).contains("ログインIDを入力してください");
        assertThat(browser.driver().findElement(By.id("f-email")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(DOTTED_CODE.matcher(pageText(browser)).find()).as(pageText(browser)).isFalse();
        browser.screenshot("everyday-staff-problems-" + size.getWidth());
      }
    }
  }

  @Test
  void at_phone_and_pc_size_a_municipal_account_form_names_every_wrong_field_in_the_summary_and_beside_it() {
    for (Dimension size : new Dimension[] {Browser.PHONE, Browser.DESKTOP}) {
      try (Browser browser = new Browser(size)) {
        WebElement summary = sendWrongForm(browser, "every-gyosei", "#/accounts", "account-form",
            "f-familyName", "有賀", "f-givenKana", "taro", "f-loginId", "x");
        assertThat(browser.driver().findElement(By.cssSelector("label[for=f-loginId] .required")).getText())
            .isEqualTo("必須");
        assertThat(summary.getText()).contains("名を入力してください", "姓（カナ）を入力してください",
            "名（カナ）は全角カタカナで入力してください", "メールアドレスを入力してください",
            "ログインIDの形式が正しくありません", "お問い合わせ用番号");
        assertThat(summary.findElements(By.cssSelector("li"))).hasSize(5);
        assertThat(besideField(browser, "account-form", "givenName")).contains("名を入力してください");
        assertThat(besideField(browser, "account-form", "givenKana")).contains("全角カタカナ");
        assertThat(besideField(browser, "account-form", "email")).contains("メールアドレスを入力してください");
        assertThat(besideField(browser, "account-form", "loginId")).contains("形式が正しくありません");
        assertThat(DOTTED_CODE.matcher(pageText(browser)).find()).as(pageText(browser)).isFalse();
      }
    }
  }

  @Test
  void at_phone_and_pc_size_changing_the_password_names_both_wrong_fields_and_a_wrong_current_password_beside_it() {
    for (Dimension size : new Dimension[] {Browser.PHONE, Browser.DESKTOP}) {
      try (Browser browser = new Browser(size)) {
        WebElement summary = sendWrongForm(browser, "every-kango", "#/account", "password-form",
            "f-newPassword", "short");
        assertThat(browser.driver().findElement(By.cssSelector("label[for=f-currentPassword] .required")).getText())
            .isEqualTo("必須");
        assertThat(summary.getText()).contains("パスワードを入力してください", "パスワードは10文字以上",
            "お問い合わせ用番号");
        assertThat(summary.findElements(By.cssSelector("li"))).hasSize(2);
        assertThat(besideField(browser, "password-form", "currentPassword")).contains("パスワードを入力してください");
        assertThat(besideField(browser, "password-form", "newPassword")).contains("10文字以上");
        type(browser, "f-currentPassword", "not-the-password-1");
        type(browser, "f-newPassword", "Another-password-2026");
        browser.driver().findElement(By.cssSelector("#password-form button[type=submit]")).click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("#password-form .field-error[data-for=currentPassword]"), "現在のパスワードが正しくありません"));
        assertThat(besideField(browser, "password-form", "newPassword")).isEmpty();
        assertThat(DOTTED_CODE.matcher(pageText(browser)).find()).as(pageText(browser)).isFalse();
      }
    }
  }

  @Test
  void at_phone_and_pc_size_revoking_the_own_certificate_is_a_secondary_button_after_the_details_and_cancelling_revokes_nothing() {
    for (Dimension size : new Dimension[] {Browser.PHONE, Browser.DESKTOP}) {
      try (Browser browser = new Browser(size)) {
        open(browser, "#/login");
        logIn(browser, "every-kango", IdentityFixture.PASSWORD);
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("whoami")));
        open(browser, "#/account");
        WebElement revoke = browser.waiting().until(
            ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#my-certs button.revoke")));
        assertThat(revoke.getAttribute("class")).contains("danger").doesNotContain("primary");
        WebElement state = browser.driver().findElement(By.cssSelector("#my-certs .cert-state"));
        String stateBefore = state.getText();
        assertThat(revoke.getLocation().getY()).isGreaterThan(state.getLocation().getY());
        assertThat(browser.driver().findElements(By.cssSelector("main button.primary")))
            .noneMatch(b -> b.getText().contains("失効"));
        revoke.click();
        String question = browser.driver().switchTo().alert().getText();
        assertThat(question).contains("Windows", "失効させますか");
        browser.driver().switchTo().alert().dismiss();
        // Away and back: the page asks the node again for the certificates.
        open(browser, "#/guide");
        browser.waiting().until(ExpectedConditions.stalenessOf(revoke));
        open(browser, "#/account");
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#my-certs button.revoke")));
        assertThat(browser.driver().findElement(By.cssSelector("#my-certs .cert-state")).getText())
            .isEqualTo(stateBefore).isNotEqualTo("失効");
        browser.screenshot("everyday-account-revoke-" + size.getWidth());
      }
    }
  }
}
