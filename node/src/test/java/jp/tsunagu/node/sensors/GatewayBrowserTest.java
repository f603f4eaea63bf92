package jp.tsunagu.node.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.federation.crypto.SigningKey;
import jp.tsunagu.node.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * みまもりセンサーのゲートウェイ in real headless Chromium: 行政 registers a provider's public key on a
 * PC (a pasted private key is refused and nothing registered), the gateway's batches then arrive, and
 * on a phone 行政 sees the last delivery and revokes it, after which its batches are refused.
 */
class GatewayBrowserTest {

  @TempDir
  static Path dir;
  static SensorsBed bed;

  @BeforeAll
  static void start() {
    bed = new SensorsBed(dir);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static void open(Browser browser) {
    browser.driver().get(bed.node.webUrl() + "/#/login");
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    browser.driver().findElement(By.id("f-loginId")).sendKeys("ina-gyosei");
    browser.driver().findElement(By.id("f-password")).sendKeys(SensorsBed.PASSWORD);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
    browser.waiting().until(ExpectedConditions.urlContains("#/approvals"));
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("li:not([hidden]) > a[data-view=sensor-gateways]")));
    if (browser.driver().findElement(By.id("menu-toggle")).isDisplayed()) {
      browser.driver().findElement(By.id("menu-toggle")).click();
    }
    browser.waiting().until(ExpectedConditions.elementToBeClickable(By.linkText("センサーのゲートウェイ"))).click();
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("gateway-form")));
  }

  private static By row(String gatewayId) {
    return By.cssSelector("[data-gateway='" + gatewayId + "']");
  }

  private static void status(Browser browser, String text) {
    browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("gateway-result"), text));
  }

  private static void fill(Browser browser, String name, String key) {
    browser.driver().findElement(By.id("gateway-name")).clear();
    browser.driver().findElement(By.id("gateway-name")).sendKeys(name);
    browser.driver().findElement(By.id("gateway-provider")).clear();
    browser.driver().findElement(By.id("gateway-provider")).sendKeys("みまもりテック株式会社");
    browser.driver().findElement(By.id("gateway-key")).clear();
    browser.driver().findElement(By.id("gateway-key")).sendKeys(key);
    browser.driver().findElement(By.id("gateway-issue")).click();
  }

  @Test
  void staff_register_a_gateway_on_a_pc_and_revoke_it_on_a_phone() {
    SigningKey key = SigningKey.generate();
    String gatewayId;
    try (Browser pc = new Browser(Browser.DESKTOP)) {
      open(pc);
      assertThat(pc.driver().findElement(By.tagName("h1")).getText()).isEqualTo("みまもりセンサーのゲートウェイ");
      long before = bed.count("select count(*) from sensor_gateways");
      fill(pc, "西箕輪地区", new JsonObject(key.privateJwk().toJSONObject()).encode());
      status(pc, "秘密鍵が含まれています");
      assertThat(bed.count("select count(*) from sensor_gateways")).isEqualTo(before);

      fill(pc, "西箕輪地区", new JsonObject(key.verificationKey().toJson()).encode());
      status(pc, "登録しました。ゲートウェイID gw-");
      gatewayId = pc.driver().findElement(By.id("gateway-result")).getText().replaceAll(".*ゲートウェイID (gw-[0-9a-f]+).*", "$1");
      assertThat(pc.driver().findElement(By.id("gateway-result")).getText()).contains(key.verificationKey().fingerprint());
      // The list is drawn again after the answer: wait for the new row as for the other steps.
      pc.waiting().until(ExpectedConditions.textToBePresentInElementLocated(row(gatewayId), "西箕輪地区"));
      assertThat(pc.driver().findElement(row(gatewayId)).getText())
          .contains("西箕輪地区", "1分あたり 60 回まで", "最終受信: まだありません");
      pc.screenshot("sensor-gateways");
    }
    SensorsBed.Gateway gateway = new SensorsBed.Gateway(gatewayId, key);
    String household = bed.household(gateway);
    assertThat(bed.send(gateway, List.of(SensorsBed.door(household, "fridge", 1, System.currentTimeMillis() - 1_000,
        "open"))).statusCode()).isEqualTo(200);

    try (Browser phone = new Browser(Browser.PHONE)) {
      open(phone);
      // The list renders after the page opens (and the count with it): wait for it like the other steps.
      phone.waiting().until(ExpectedConditions.textToBePresentInElementLocated(row(gatewayId), "センサー 5 台"));
      WebElement row = phone.driver().findElement(row(gatewayId));
      assertThat(row.getText()).contains("センサー 5 台").doesNotContain("まだありません");
      Dimension page = phone.driver().findElement(By.tagName("body")).getSize();
      assertThat(page.getWidth()).as("no sideways scrolling on a phone").isLessThanOrEqualTo(390);
      row.findElement(By.cssSelector("[data-revoke]")).click();
      phone.waiting().until(ExpectedConditions.elementToBeClickable(row.findElement(By.cssSelector("[data-revoke-confirm]"))))
          .click();
      status(phone, "「西箕輪地区」を失効させました。");
      phone.waiting().until(ExpectedConditions.textToBePresentInElementLocated(row(gatewayId), "失効"));
      phone.screenshot("sensor-gateways-phone");
    }
    assertThat(bed.send(gateway, List.of(SensorsBed.door(household, "fridge", 2, System.currentTimeMillis() - 1_000,
        "close"))).statusCode()).isEqualTo(403);
  }
}
