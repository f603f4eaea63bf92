package jp.tsunagu.node.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The watch sensors' screens in real headless Chromium: the 見守りセンター operator works an alert on
 * her phone (the resident's number as a tel: link, a call recorded, escalation, a visit closing it);
 * 行政 enrol a household on a PC with the consent scan and read the area summary; a nurse of the
 * team opens the patient page's センサー tab on her phone and sees the charts and the alert history; on a
 * patient homed on a partner node, the tab shows the home node's summary instead (phone and PC).
 */
class CallCentreBrowserTest {

  @TempDir
  static Path dir;
  static CallCentreBed bed;
  static String household;

  @BeforeAll
  static void start() {
    bed = new CallCentreBed(dir);
    household = bed.enrol("br").getString("id");
    long hour = Instant.now().minus(Duration.ofHours(3)).toEpochMilli() / 3_600_000L * 3_600_000L;
    for (int i = 0; i < 3; i++) {
      bed.write("insert into sensor_hourly (household_id, hour_ms, door_events, climate_count, temp_min_deci,"
          + " temp_max_deci, temp_sum_deci, hum_min_deci, hum_max_deci, hum_sum_deci) values (?, ?, ?, 2, 250, 270,"
          + " 520, 600, 640, 1240)", household, hour + i * 3_600_000L, 3 + i);
    }
    AlertRules rules = bed.feature().rulesWith(java.time.Clock.systemUTC(), RuleSettings.defaults());
    bed.deliver(rules, household, List.of(bed.climate("room-br", household, Instant.now().toEpochMilli(), 330, 780)));
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static WebDriverWait longWait(Browser browser) {
    return new WebDriverWait(browser.driver(), Duration.ofSeconds(20));
  }

  private static void login(Browser browser, String loginId, String password, String landing) {
    browser.driver().get(bed.node.webUrl() + "/#/login");
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-identity=ready]")));
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    browser.driver().findElement(By.id("f-loginId")).sendKeys(loginId);
    browser.driver().findElement(By.id("f-password")).sendKeys(password);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
    longWait(browser).until(ExpectedConditions.urlContains(landing));
  }

  private static WebElement card(Browser browser) {
    return longWait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("li.alert-card")));
  }

  @Test
  void the_operator_works_an_alert_on_her_phone_from_the_call_to_the_visit() {
    try (Browser phone = new Browser(Browser.PHONE)) {
      login(phone, "ina-mimamori", bed.watchPassword, "#/watch");
      WebElement alert = card(phone);
      assertThat(alert.getText()).contains("熱中症の危険", "春日 八重", "伊那市西箕輪3000-1", "春日 一郎", "長男");
      // the live list redraws its cards: the link is found again if it is redrawn before its read
      assertThat(phone.attribute(By.cssSelector("li.alert-card .resident a.tel"), "href")).isEqualTo("tel:0265720001");
      assertThat(alert.findElements(By.cssSelector(".contacts a.tel"))).hasSize(2);
      alert.findElement(By.cssSelector("input[value=no_answer]")).click();
      alert.findElement(By.name("note")).sendKeys("2回かけたが出ない");
      alert.findElement(By.cssSelector("button[data-act=calls]")).click();
      longWait(phone).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("li.alert-card .badge"),
          "対応中"));
      phone.screenshot("watch-centre-phone");
      card(phone).findElement(By.cssSelector("button[data-act=escalate]")).click();
      longWait(phone).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("li.alert-card .badge"),
          "エスカレーション済み"));
      // The escalation's answer redraws the list, and its live-stream notice may redraw it once more: the
      // history is opened and read on the card as it is when the click lands.
      longWait(phone).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
        WebElement history = card(phone).findElement(By.cssSelector("details.history"));
        if (history.getAttribute("open") == null) {
          history.findElement(By.tagName("summary")).click();
        }
        return history.getText().contains("応答なし");
      });
      String steps = longWait(phone).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .until(d -> card(phone).findElement(By.cssSelector("details.history")).getAttribute("textContent"));
      assertThat(steps).contains("発生", "電話", "家族・ケアマネジャーへ連絡");
      WebElement form = card(phone);
      form.findElement(By.name("note")).sendKeys("長男が訪問、本人は元気");
      form.findElement(By.cssSelector("button[data-act=visit]")).click();
      longWait(phone).until(ExpectedConditions.visibilityOfElementLocated(By.id("alert-list-empty")));
    }
    assertThat(TestSql.count(bed.node, "select count(*) from sensor_alerts where household_id = ? and state ="
        + " 'resolved' and resolution like '訪問: %'", household)).isEqualTo(1);
  }

  @Test
  void staff_enrol_a_household_with_the_consent_scan_on_a_pc_and_read_the_area_summary() throws Exception {
    String patient = bed.nurse.post("/api/v1/patients", CallCentreBed.patient("北沢", "正夫")).json().getString("id");
    Path scan = dir.resolve("consent.pdf");
    Files.writeString(scan, "%PDF-1.4\n%%EOF\n");
    try (Browser pc = new Browser(Browser.DESKTOP)) {
      login(pc, "ina-gyosei", CallCentreBed.PASSWORD, "#/approvals");
      pc.driver().get(bed.node.webUrl() + "/#/sensors");
      longWait(pc).until(ExpectedConditions.visibilityOfElementLocated(By.id("enrol-form")));
      longWait(pc).until(ExpectedConditions.presenceOfElementLocated(By.id("area-summary")));
      assertThat(pc.driver().findElement(By.id("area-summary")).getText()).contains("西箕輪", "<5");
      new org.openqa.selenium.support.ui.Select(pc.driver().findElement(By.id("e-patient"))).selectByValue(patient);
      assertThat(pc.driver().findElement(By.id("e-residentName")).getAttribute("value")).isEqualTo("北沢 正夫");
      type(pc, "e-district", "美篶");
      type(pc, "e-phone", "0265-72-9999");
      type(pc, "e-consentBy", "北沢 正夫");
      type(pc, "e-consentRelation", "本人");
      pc.driver().executeScript("document.getElementById('e-consentAt').value = '2026-11-30'");
      pc.driver().findElement(By.id("e-scan")).sendKeys(scan.toString());
      pc.driver().findElement(By.name("device-entrance")).sendKeys("door-kitazawa");
      pc.driver().findElement(By.name("gateway-entrance")).sendKeys(CallCentreBed.GATEWAY);
      pc.driver().findElement(By.name("c1-name")).sendKeys("北沢 次郎");
      pc.driver().findElement(By.name("c1-relation")).sendKeys("次男");
      pc.driver().findElement(By.name("c1-phone")).sendKeys("090-5555-6666");
      pc.driver().findElement(By.cssSelector("#enrol-form button[type=submit]")).click();
      longWait(pc).until(ExpectedConditions.textToBePresentInElementLocated(By.id("households"), "北沢 正夫"));
      pc.screenshot("sensors-staff-pc");
    }
    assertThat(TestSql.count(bed.node, "select count(*) from sensor_households h join sensor_consent_scans s on"
        + " s.id = h.consent_scan_id where h.patient_id = ?", patient)).isEqualTo(1);
  }

  @Test
  void a_nurse_of_the_team_sees_the_sensor_charts_and_the_alert_history_on_her_phone() {
    try (Browser phone = new Browser(Browser.PHONE)) {
      login(phone, "ina-kango", CallCentreBed.PASSWORD, "#/patients");
      phone.driver().get(bed.node.webUrl() + "/#/patient/" + bed.patientId);
      longWait(phone).until(ExpectedConditions.visibilityOfElementLocated(By.id("post-form")));
      phone.driver().findElement(By.cssSelector("a[data-tab=sensors]")).click();
      longWait(phone).until(ExpectedConditions.attributeToBe(By.id("sensor-charts"), "data-charts", "drawn"));
      assertThat(phone.driver().findElement(By.id("sensor-alerts")).getText()).contains("熱中症の危険");
      phone.driver().findElement(By.cssSelector("button[data-range='24h']")).click();
      longWait(phone).until(ExpectedConditions.attributeToBe(By.cssSelector("button[data-range='24h']"),
          "aria-pressed", "true"));
      longWait(phone).until(ExpectedConditions.attributeToBe(By.id("sensor-charts"), "data-charts", "drawn"));
      assertThat(phone.driver().findElement(By.cssSelector("table.sensor-table")).getAttribute("innerHTML"))
          .contains("<td>5</td>", "26");
      phone.screenshot("sensors-patient-tab-phone");
    }
  }

  @Test
  void a_team_member_on_a_partner_node_sees_the_home_nodes_summary_on_her_phone_and_pc() {
    // A patient homed elsewhere, as this node's copy holds the home node's summary (team event
    // sensors.status.summarised): no household here, so no readings and no charts.
    String partnerPatient = bed.nurse.post("/api/v1/patients", CallCentreBed.patient("有賀", "キヨ")
        .put("birthDate", "1935-06-01")).json().getString("id");
    long lastDoor = Instant.now().minus(Duration.ofHours(11)).toEpochMilli();
    bed.write("insert into sensor_partner_status (patient_id, summary, issued_at, event_id) values (?, ?, ?, 'e1')",
        partnerPatient, new io.vertx.core.json.JsonObject().put("monitored", true).put("status", "active")
            .put("lastActivityMs", lastDoor).put("alerts", new io.vertx.core.json.JsonArray().add(
                new io.vertx.core.json.JsonObject().put("id", "a1").put("kind", "no_activity").put("state", "escalated")
                    .put("raisedMs", lastDoor + Duration.ofHours(10).toMillis())
                    .put("escalatedMs", lastDoor + Duration.ofHours(10).plusMinutes(30).toMillis()))).encode(),
        Instant.now().toString());
    for (org.openqa.selenium.Dimension size : List.of(Browser.PHONE, Browser.DESKTOP)) {
      try (Browser browser = new Browser(size)) {
        login(browser, "ina-kango", CallCentreBed.PASSWORD, "#/patients");
        browser.driver().get(bed.node.webUrl() + "/#/patient/" + partnerPatient);
        longWait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("post-form")));
        browser.driver().findElement(By.cssSelector("a[data-tab=sensors]")).click();
        longWait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("sensor-partner")));
        assertThat(browser.driver().findElement(By.id("sensor-partner")).getText()).contains("みまもりセンサーの対象です");
        assertThat(browser.driver().findElement(By.id("sensor-last-activity")).getText()).isNotEqualTo("記録なし");
        assertThat(browser.driver().findElement(By.id("sensor-alerts")).getText())
            .contains("長時間の無活動", "エスカレーション済み", "エスカレーション:");
        assertThat(browser.driver().findElements(By.id("sensor-charts"))).isEmpty();
        browser.screenshot(size == Browser.PHONE ? "sensors-partner-tab-phone" : "sensors-partner-tab-pc");
      }
    }
  }

  private static void type(Browser browser, String id, String text) {
    browser.driver().findElement(By.id(id)).sendKeys(text);
  }
}
