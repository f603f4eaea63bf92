package jp.tsunagu.node.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The web shell in real headless Chromium, on a PC and on a phone. */
class ShellBrowserTest {

  @TempDir
  static Path dir;

  static TsunaguNode node;
  static TsunaguNode demoNode;

  @BeforeAll
  static void start() {
    node = TsunaguNode.start(TestNodes.config(dir.resolve("serve"), "ina"));
    demoNode = TsunaguNode.start(TestNodes.config(dir.resolve("demo"), "minowa").asDemo());
  }

  @AfterAll
  static void stop() {
    node.close();
    demoNode.close();
  }

  @Test
  void the_shell_shows_its_japanese_navigation_and_the_network_on_a_pc() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      browser.driver().get(node.webUrl().toString());
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("network-name"),
          "モバイルクリニック・いーな電子連絡帳"));
      WebElement nav = browser.driver().findElement(By.id("site-nav"));
      assertThat(nav.getAttribute("aria-label")).isEqualTo("メインメニュー");
      assertThat(nav.isDisplayed()).isTrue();
      List<String> labels = nav.findElements(By.tagName("a")).stream().map(WebElement::getText).toList();
      assertThat(labels).contains("ホーム", "このネットワークについて");
      assertThat(browser.driver().findElement(By.tagName("h1")).getText())
          .isEqualTo("モバイルクリニック・いーな電子連絡帳");
      browser.waiting().until(ExpectedConditions.textToBe(By.id("ready-status"), "正常に稼働しています"));
      assertThat(browser.driver().findElement(By.id("demo-banner")).isDisplayed()).isFalse();
      browser.screenshot("shell-pc");

      nav.findElement(By.linkText("このネットワークについて")).click();
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"),
          "このネットワークについて"));
      assertThat(browser.driver().findElement(By.cssSelector("dl.facts")).getText())
          .contains("伊那市").contains(node.services().keys().identity().tlsPin());
    }
  }

  @Test
  void on_a_phone_the_navigation_opens_from_the_menu_button() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      browser.driver().get(node.webUrl().toString());
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("network-name"), "いーな"));
      WebElement nav = browser.driver().findElement(By.id("site-nav"));
      WebElement menu = browser.driver().findElement(By.id("menu-toggle"));
      assertThat(menu.isDisplayed()).isTrue();
      assertThat(nav.isDisplayed()).isFalse();
      menu.click();
      browser.waiting().until(ExpectedConditions.visibilityOf(nav));
      assertThat(menu.getAttribute("aria-expanded")).isEqualTo("true");
      browser.screenshot("shell-phone-menu");
      nav.findElement(By.linkText("このネットワークについて")).click();
      browser.waiting().until(ExpectedConditions.invisibilityOf(nav));
      Long pageWidth = (Long) browser.driver().executeScript("return document.documentElement.scrollWidth");
      assertThat(pageWidth).as("no sideways scrolling on a phone").isLessThanOrEqualTo(Browser.PHONE.getWidth());
    }
  }

  @Test
  void a_demo_node_shows_the_demo_banner() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      browser.driver().get(demoNode.webUrl().toString());
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("demo-banner")));
      assertThat(browser.driver().findElement(By.id("demo-banner")).getText()).contains("デモ環境");
    }
  }
}
