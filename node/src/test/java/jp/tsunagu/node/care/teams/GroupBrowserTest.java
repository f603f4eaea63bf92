package jp.tsunagu.node.care.teams;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * グループ (プロジェクト) in real headless Chromium: a nurse creates an infection-control group on
 * her PC and invites a care manager of another facility from its member tab; the care manager
 * accepts on her phone's グループ page (the nurse's member tab shows it live) and posts, and the
 * nurse's open board shows the post live.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupBrowserTest {

  @TempDir
  static Path dir;
  CareTestbed bed;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    bed.professional("ns-group", "宮坂", "由美", "nurse", bed.nursingStation);
    bed.professional("cm-group", "藤澤", "聡子", "care_manager", bed.clinic);
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

  private void openGroups(Browser browser, String loginId) {
    bed.logIn(browser, loginId, "groups");
    browser.driver().get(bed.node.webUrl() + "/#/groups");
    longWait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("group-form")));
  }

  @Test
  void a_group_is_created_a_member_invited_who_accepts_on_her_phone_and_posts_and_the_board_shows_it_live() {
    try (Browser pc = new Browser(Browser.DESKTOP); Browser phone = new Browser(Browser.PHONE)) {
      openGroups(pc, "ns-group");
      pc.driver().findElement(By.id("g-name")).sendKeys("上伊那 感染対策連絡会");
      pc.driver().findElement(By.id("g-desc")).sendKeys("施設間の感染症情報の共有");
      pc.driver().findElement(By.cssSelector("#group-form button")).click();
      longWait(pc).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main h1"), "上伊那 感染対策連絡会"));
      pc.driver().findElement(By.cssSelector("a[data-tab=team]")).click();
      longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(By.id("invite-q"))).sendKeys("藤澤");
      assertThat(pc.driver().findElement(By.id("invite-q")).getAttribute("placeholder")).as("groups take no partners")
          .isEqualTo("氏名・施設名");
      pc.driver().findElement(By.cssSelector("#invite-form button")).click();
      WebElement found = longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("#invite-results li.invite-local")));
      assertThat(found.getText()).contains("藤澤 聡子", "伊那中央クリニック");
      new org.openqa.selenium.support.ui.Select(pc.driver().findElement(By.id("invite-role"))).selectByIndex(1);
      found.findElement(By.cssSelector("button[data-invite]")).click();
      longWait(pc).until(ExpectedConditions.textToBePresentInElement(found, "招待しました"));
      By invited = By.cssSelector("#team-members .member:last-child");
      longWait(pc).until(ExpectedConditions.textToBePresentInElementLocated(invited, "（招待中）"));

      openGroups(phone, "cm-group");
      WebElement accept = longWait(phone).until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("#invitations button[data-answer=accept]")));
      assertThat(phone.driver().findElement(By.id("invitations")).getText()).contains("上伊那 感染対策連絡会", "宮坂 由美");
      accept.click();
      longWait(phone).until(ExpectedConditions.textToBePresentInElementLocated(By.id("group-list"), "上伊那 感染対策連絡会"));
      // The nurse's member tab hears of the acceptance without reloading.
      // (Members are listed active first, then by kana: once she has joined, she is no longer last.)
      By members = By.id("team-members");
      longWait(pc).until(ExpectedConditions.not(ExpectedConditions.textToBePresentInElementLocated(members, "（招待中）")));
      assertThat(pc.driver().findElement(members).getText()).contains("藤澤 聡子");
      pc.driver().findElement(By.cssSelector("a[data-tab=timeline]")).click();
      phone.driver().findElement(By.cssSelector("#group-list a")).click();
      longWait(phone).until(ExpectedConditions.visibilityOfElementLocated(By.id("post-body")))
          .sendKeys("当施設でインフルエンザ陽性者が2名出ました。");
      phone.driver().findElement(By.id("post-submit")).click();
      phone.screenshot("group-board-phone");

      longWait(pc).until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "インフルエンザ陽性者が2名"));
      assertThat(pc.driver().findElement(By.id("timeline")).getText()).contains("藤澤 聡子");
    }
  }
}
