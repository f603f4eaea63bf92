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
}
