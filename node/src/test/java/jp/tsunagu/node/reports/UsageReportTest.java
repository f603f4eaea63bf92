package jp.tsunagu.node.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Map;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 行政's usage report on a real node after a month of real use: each figure counted per municipality
 * and month from what the features publish, no patient named anywhere (JSON or CSV), every read and
 * export audited, the CSV readable by Excel, and a bad period refused with its code, nothing changed.
 */
class UsageReportTest {

  @TempDir
  static Path dir;
  static ReportsBed bed;
  static String thisMonth;

  @BeforeAll
  static void start() {
    bed = new ReportsBed(dir);
    thisMonth = YearMonth.now(ZoneId.of("Asia/Tokyo")).toString();
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static JsonObject figures(JsonObject report, String code, String month) {
    for (Object a : report.getJsonArray("areas")) {
      JsonObject area = (JsonObject) a;
      if (area.getString("code").equals(code)) {
        for (Object m : area.getJsonArray("months")) {
          if (((JsonObject) m).getString("month").equals(month)) {
            return ((JsonObject) m).getJsonObject("figures");
          }
        }
      }
    }
    throw new AssertionError("no " + code + " " + month + " in " + report);
  }

  @Test
  void the_month_s_figures_are_counted_for_the_municipality_without_naming_the_patient() {
    CareClient.Reply reply = bed.staff.get("/api/v1/reports/usage?from=" + thisMonth + "&to=" + thisMonth);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonObject ina = figures(reply.json(), "202096", thisMonth);
    assertThat(ina.getLong("care.patients")).isEqualTo(1);
    assertThat(ina.getLong("care.patients_new")).isEqualTo(1);
    assertThat(ina.getLong("care.posts")).isEqualTo(1);
    assertThat(ina.getLong("care.comments")).isEqualTo(1);
    assertThat(ina.getLong("care.attachments")).isEqualTo(1);
    assertThat(ina.getLong("care.teams_active")).isEqualTo(1);
    assertThat(ina.getLong("care.read_rate_percent")).isEqualTo(100);
    assertThat(ina.getLong("identity.facilities")).isEqualTo(1);
    assertThat(ina.getLong("identity.professionals")).isEqualTo(2);
    assertThat(ina.getLong("identity.professionals:nurse")).isEqualTo(1);
    assertThat(ina.getLong("identity.professionals:care_manager")).isEqualTo(1);
    assertThat(ina.getLong("identity.professionals_active_7d")).isEqualTo(2);
    assertThat(ina.getLong("emergency.accesses")).isZero();
    assertThat(ina.getLong("resources.published")).isNotNull();
    assertThat(reply.json().getJsonObject("labels").getString("care.posts")).isEqualTo("記事");
    assertThat(reply.json().getJsonArray("areas").getJsonObject(0).getString("name")).isEqualTo("伊那市");
    assertThat(reply.body()).doesNotContain(ReportsBed.PATIENT_FAMILY, "八重", "カスガ", bed.patientId);
    assertThat(reply.json().getBoolean("generated")).isFalse();
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'reports.usage.read'"
        + " and actor = ? and outcome = 'success'", bed.staff.userId)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void without_a_period_the_report_covers_the_twelve_months_ending_now() {
    JsonObject report = bed.staff.get("/api/v1/reports/usage").json();
    assertThat(report.getString("to")).isEqualTo(thisMonth);
    assertThat(report.getString("from")).isEqualTo(YearMonth.parse(thisMonth).minusMonths(11).toString());
    assertThat(report.getJsonArray("areas").getJsonObject(0).getJsonArray("months")).hasSize(12);
    assertThat(figures(report, "202096", YearMonth.parse(thisMonth).minusMonths(1).toString())
        .getLong("care.posts")).isZero();
  }

  @Test
  void the_csv_export_opens_in_excel_holds_the_same_counts_and_is_audited() {
    long before = TestSql.count(bed.node, "select count(*) from audit_log where action = 'reports.usage.export'");
    HttpResponse<byte[]> csv = bed.staff.download("/api/v1/reports/usage.csv?from=" + thisMonth + "&to=" + thisMonth);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("attachment", ".csv");
    byte[] body = csv.body();
    assertThat(new byte[] {body[0], body[1], body[2]}).isEqualTo(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    String text = new String(body, StandardCharsets.UTF_8).substring(1);
    assertThat(text).startsWith("月,自治体コード,自治体,項目コード,項目,件数\r\n");
    assertThat(text).contains(thisMonth + ",202096,伊那市,care.posts,記事,1\r\n");
    assertThat(text).contains(thisMonth + ",202096,伊那市,identity.professionals:nurse,職種別 看護師,1\r\n");
    assertThat(text).doesNotContain(ReportsBed.PATIENT_FAMILY, "八重", bed.patientId);
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'reports.usage.export'"))
        .isEqualTo(before + 1);
  }

  @Test
  void a_period_too_long_or_malformed_is_refused_with_its_code_and_changes_nothing() {
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    YearMonth now = YearMonth.parse(thisMonth);
    Map<String, String> bad = Map.of(
        "?from=" + now.minusYears(5) + "&to=" + now, "reports.period_too_long",
        "?from=2019-13&to=2020-01", "reports.invalid_period",
        "?from=2026-4&to=2026-05", "reports.invalid_period",
        "?from=abc", "reports.invalid_period",
        "?from=" + now + "&to=" + now.minusMonths(1), "reports.invalid_period",
        "?to=" + now.plusMonths(1), "reports.invalid_period");
    bad.forEach((query, code) -> {
      for (String path : new String[] {"/api/v1/reports/usage", "/api/v1/reports/usage.csv"}) {
        CareClient.Reply reply = bed.staff.get(path + query);
        assertThat(reply.status()).as(path + query).isEqualTo(400);
        assertThat(reply.code()).as(path + query).isEqualTo(code);
      }
    });
    assertThat(bed.staff.get("/api/v1/reports/usage?from=" + now.minusYears(5).plusMonths(1) + "&to=" + now).status())
        .as("five years exactly").isEqualTo(200);
    Map<String, Long> after = TestSql.rowCounts(bed.node);
    after.remove("audit_log");
    before.remove("audit_log");
    assertThat(after).isEqualTo(before);
  }

  @Test
  void the_demo_s_generated_year_is_added_and_said_to_be_generated() {
    bed.node.feature(ReportsFeature.class).seedDemo();
    JsonObject report = bed.staff.get("/api/v1/reports/usage").json();
    assertThat(report.getBoolean("generated")).isTrue();
    YearMonth lastMonth = YearMonth.parse(thisMonth).minusMonths(1);
    assertThat(figures(report, "202096", lastMonth.toString()).getLong("care.posts")).isGreaterThan(100);
    assertThat(figures(report, "202096", thisMonth).getLong("care.posts")).as("this month is counted, not generated")
        .isEqualTo(1);
  }
}
