package jp.tsunagu.node.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.browser.MapChecks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The 周辺資源 tab of the patient page in real headless Chromium: resources nearest the patient's
 * home on a list and a map, filters, picking two and making the referral sheet, which the rest of
 * the team then finds among the patient's referrals.
 */
class NearbyBrowserTest {

  @TempDir
  static Path dir;

  static NearbyFixture nearby;
  static ResourceNode fixture;
  static ResourceNode.Professional doctor;
  static ResourceNode.Professional nurse;
  static String patient;

  @BeforeAll
  static void start() throws Exception {
    nearby = new NearbyFixture(dir).withPatient();
    fixture = nearby.node;
    doctor = nearby.doctor;
    nurse = nearby.nurse;
    patient = nearby.patient;
  }

  @AfterAll
  static void stop() throws Exception {
    nearby.close();
  }

  private static void openNearbyTab(Browser browser, String loginId) {
    NearbyFixture.openNearbyTab(browser, fixture.node, loginId, patient);
    browser.waiting().until(d -> d.findElements(By.cssSelector("#nearby-list li[data-id]")).size() == 3);
  }

  /** Read in one script call: the list is re-rendered after each search. */
  @SuppressWarnings("unchecked")
  private static List<String> names(Browser browser) {
    return (List<String>) browser.driver().executeScript(
        "return [...document.querySelectorAll('#nearby-list .nearby-name')].map(e => e.textContent)");
  }

  @Test
  void a_nurse_finds_resources_nearest_the_patients_home_picks_two_and_makes_the_referral_sheet_on_a_phone() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      openNearbyTab(browser, "ina-kango2");
      assertThat(names(browser)).containsExactly("高遠さくら体操クラブ", "伊那市駅前おしゃべりカフェ", "市役所前ふれあいサロン");
      assertThat(browser.driver().findElement(By.id("nearby-origin")).getText()).contains("ご自宅（伊那市高遠町西高遠）");
      assertThat(browser.driver().findElement(By.cssSelector("#nearby-list li .distance")).getText()).isEqualTo("約0m");
      browser.waiting().until(d -> d.findElements(By.cssSelector("#nearby-map .leaflet-marker-icon")).size() == 3);

      new Select(browser.driver().findElement(By.id("nearby-tag"))).selectByVisibleText("室内");
      browser.driver().findElement(By.cssSelector("#nearby-filters button")).click();
      browser.waiting().until(d -> names(browser).equals(List.of("伊那市駅前おしゃべりカフェ", "市役所前ふれあいサロン")));
      browser.driver().findElement(By.cssSelector("#nearby-list li[data-name='伊那市駅前おしゃべりカフェ'] .pick-resource")).click();
      new Select(browser.driver().findElement(By.id("nearby-tag"))).selectByIndex(0);
      browser.driver().findElement(By.id("nearby-q")).sendKeys("体操");
      browser.driver().findElement(By.cssSelector("#nearby-filters button")).click();
      browser.waiting().until(d -> names(browser).equals(List.of("高遠さくら体操クラブ")));
      browser.driver().findElement(By.cssSelector("#nearby-list li[data-name='高遠さくら体操クラブ'] .pick-resource")).click();
      assertThat(browser.driver().findElements(By.cssSelector("#nearby-picked li[data-id]"))).hasSize(2);
      assertThat(browser.driver().findElement(By.id("ref-name")).getAttribute("value")).isEqualTo("宮坂 由美");
      browser.driver().findElement(By.id("ref-comment")).sendKeys("木曜日の体操に行ってみませんか。");
      browser.screenshot("nearby-phone");
      browser.driver().findElement(By.id("referral-submit")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("referral-sheet-link")));
      browser.waiting().until(d -> d.findElements(By.cssSelector("#referral-history li[data-id]")).size() == 1);
      assertThat(browser.driver().findElement(By.id("referral-history")).getText()).contains("宮坂 由美")
          .contains("伊那市駅前おしゃべりカフェ").contains("高遠さくら体操クラブ");
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("nearby-list"), "紹介 1 回"));
      Long width = (Long) browser.driver().executeScript("return document.documentElement.scrollWidth");
      assertThat(width).as("no sideways scrolling on a phone").isLessThanOrEqualTo(Browser.PHONE.getWidth());
    }
    // The doctor, on the same team, opens the sheet the nurse made from the patient's list.
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      openNearbyTab(browser, "ina-isha");
      browser.waiting().until(d -> d.findElements(By.cssSelector("#referral-history li[data-id]")).size() == 1);
      String sheet = browser.driver().findElement(By.linkText("印刷")).getAttribute("href");
      browser.driver().get(sheet);
      browser.waiting().until(ExpectedConditions.textToBe(By.tagName("h1"), "地域資源のご紹介"));
      assertThat(browser.driver().findElement(By.tagName("main")).getText()).contains("春日 トメ 様")
          .contains("木曜日の体操に行ってみませんか。").contains("高遠さくら体操クラブ");
      browser.screenshot("referral-sheet-pc");
    }
  }

  @Test
  void the_nearby_maps_marker_images_load_and_the_map_stays_below_the_header_on_a_phone() {
    try (Browser browser = new Browser(Browser.PHONE)) {
      openNearbyTab(browser, "ina-kango2");
      MapChecks.assertMarkerImagesLoaded(browser, "#nearby-map", 3);
      MapChecks.assertHeaderNotCoveredByMap(browser, "#nearby-map");
      browser.screenshot("nearby-map-under-header-phone");
    }
  }

  @Test
  void the_nearby_maps_marker_images_load_on_a_pc() {
    try (Browser browser = new Browser(Browser.DESKTOP)) {
      openNearbyTab(browser, "ina-isha");
      MapChecks.assertMarkerImagesLoaded(browser, "#nearby-map", 3);
    }
  }

  /**
   * Leaflet guesses its marker images' folder from its stylesheet; when the script runs before the
   * stylesheet has arrived (here it never does), the markers must still show.
   */
  @Test
  void marker_images_load_even_when_leaflets_stylesheet_has_not_arrived_on_a_phone_and_a_pc() {
    for (var size : List.of(Browser.PHONE, Browser.DESKTOP)) {
      try (Browser browser = new Browser(size)) {
        browser.driver().executeCdpCommand("Network.enable", Map.of());
        browser.driver().executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*leaflet.css")));
        openNearbyTab(browser, "ina-kango2");
        MapChecks.assertMarkerImagesLoaded(browser, "#nearby-map", 3);
      }
    }
  }
}
