package jp.tsunagu.node.care.vitals;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.ExpectedConditions;
import jp.tsunagu.node.care.forms.FormSamples;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareApiTest;

/**
 * The vitals charts in real headless Chromium at phone and PC size: fixed clinical ranges (a normal
 * temperature stays a flat line), dates on the time axis, a legend naming both blood pressures, a
 * size one can read on a phone, and units beside every input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VitalsChartBrowserTest {

  private static final double[] TEMPERATURES = {36.2, 36.5, 36.8, 36.4, 36.6, 36.3};

  @TempDir
  static Path dir;
  CareTestbed bed;
  String patient;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    CareClient doctor = bed.professional("dr-vitals-ui", "北原", "健一", "doctor", bed.clinic);
    CareClient nurse = bed.professional("ns-vitals-ui", "宮坂", "由美", "nurse", bed.nursingStation);
    patient = FormSamples.patientWithNurse(doctor, nurse,
        CareApiTest.patient("春日", "トメ", "カスガ", "トメ", "1931-04-10"));
    Instant first = Instant.now().minus(Duration.ofDays(6));
    for (int i = 0; i < TEMPERATURES.length; i++) {
      nurse.post("/api/v1/patients/" + patient + "/vitals", new JsonObject()
          .put("measuredAt", first.plus(Duration.ofDays(i)).toString()).put("systolic", 120 + 2 * i)
          .put("diastolic", 70 + i).put("pulse", 68 + i).put("temperature", TEMPERATURES[i]).put("spo2", 97));
    }
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void on_a_phone_the_charts_use_clinical_ranges_dates_a_legend_and_the_full_width() {
    assertCharts(Browser.PHONE, "ns-vitals-ui");
  }

  @Test
  void on_a_pc_the_charts_use_clinical_ranges_dates_a_legend_and_the_full_width() {
    assertCharts(Browser.DESKTOP, "dr-vitals-ui");
  }

  @SuppressWarnings("unchecked")
  private void assertCharts(Dimension size, String login) {
    try (Browser browser = new Browser(size)) {
      var driver = browser.driver();
      bed.openPatient(browser, login, patient);
      driver.findElement(By.cssSelector("a[data-tab=vitals]")).click();
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("vitals-form")));
      browser.waiting().until(d -> Boolean.TRUE.equals(driver.executeScript("""
          const canvases = [...document.querySelectorAll('figure.vitals-chart canvas')];
          return canvases.length === 4 && !!window.Chart && canvases.every(c => Chart.getChart(c) && c.clientHeight > 0);
          """)));
      Map<String, Map<String, Object>> charts = (Map<String, Map<String, Object>>) driver.executeScript("""
          const out = {};
          for (const figure of document.querySelectorAll('figure.vitals-chart')) {
            const chart = Chart.getChart(figure.querySelector('canvas'));
            const y = chart.scales.y;
            out[figure.dataset.measure] = {
              min: y.min, max: y.max, unit: y.options.title.text,
              ticks: chart.scales.x.ticks.map(t => String(t.label)),
              legend: chart.options.plugins.legend.display ? chart.legend.legendItems.map(i => i.text) : [],
              height: chart.canvas.clientHeight, width: chart.canvas.clientWidth,
              room: figure.clientWidth, window: window.innerWidth,
              normalSpan: y.getPixelForValue(36.2) - y.getPixelForValue(36.8), plotHeight: chart.chartArea.height
            };
          }
          return out;
          """);
      assertThat(charts).containsOnlyKeys("systolic", "pulse", "temperature", "spo2");

      Map<String, Object> temperature = charts.get("temperature");
      assertThat(number(temperature, "min")).isEqualTo(35);
      assertThat(number(temperature, "max")).isEqualTo(41);
      assertThat(temperature.get("unit")).isEqualTo("℃");
      assertThat(number(temperature, "normalSpan") / number(temperature, "plotHeight"))
          .as("36.2–36.8℃ takes a tenth of the chart's height, a flat line").isLessThan(0.15);
      assertThat(number(charts.get("systolic"), "min")).isEqualTo(60);
      assertThat(number(charts.get("systolic"), "max")).isEqualTo(200);
      assertThat((List<String>) charts.get("systolic").get("legend")).containsExactly("収縮期", "拡張期");
      assertThat(number(charts.get("pulse"), "min")).isEqualTo(40);
      assertThat(number(charts.get("pulse"), "max")).isEqualTo(140);
      assertThat(number(charts.get("spo2"), "min")).isEqualTo(85);
      assertThat(number(charts.get("spo2"), "max")).isEqualTo(100);
      for (Map.Entry<String, Map<String, Object>> chart : charts.entrySet()) {
        Map<String, Object> c = chart.getValue();
        assertThat((List<String>) c.get("ticks")).as(chart.getKey() + " time axis").hasSizeGreaterThanOrEqualTo(2)
            .allMatch(label -> label.matches("\\d{1,2}/\\d{1,2} \\d{2}:\\d{2}"));
        assertThat(number(c, "height")).as(chart.getKey() + " height").isGreaterThanOrEqualTo(220);
        assertThat(number(c, "width")).as(chart.getKey() + " uses the width it has")
            .isGreaterThanOrEqualTo(number(c, "room") - 4);
      }
      if (size.equals(Browser.PHONE)) {
        assertThat(number(charts.get("temperature"), "width")).as("nearly the phone's width")
            .isGreaterThan(0.75 * number(charts.get("temperature"), "window"));
      }

      Map<String, String> units = (Map<String, String>) driver.executeScript("""
          const out = {};
          for (const input of document.querySelectorAll('#vitals-form input[inputmode]')) {
            const unit = input.parentElement.querySelector('.unit');
            out[input.name] = unit ? unit.textContent : '';
          }
          return out;
          """);
      assertThat(units).containsEntry("systolic", "mmHg").containsEntry("diastolic", "mmHg")
          .containsEntry("pulse", "/分").containsEntry("temperature", "℃").containsEntry("spo2", "%")
          .containsEntry("weight", "kg");
      driver.executeScript("document.getElementById('vitals-charts').scrollIntoView()");
      browser.screenshot("vitals-charts-" + (size.equals(Browser.PHONE) ? "phone" : "pc"));
    }
  }

  private static double number(Map<String, Object> values, String key) {
    return ((Number) values.get(key)).doubleValue();
  }
}
