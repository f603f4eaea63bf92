package jp.tsunagu.node.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep over the usage report's routes: 行政 only. Every other role gets 403 and a caller nobody
 * logged in 401, on the JSON and the CSV, with a good and a bad period alike (the role is checked
 * before the period); nothing changes but the audit log, and no refusal names the patient.
 */
class ReportsAccessSweepTest {

  @TempDir
  static Path dir;
  static ReportsBed bed;

  @BeforeAll
  static void start() {
    bed = new ReportsBed(dir);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  static List<String> routes() {
    return List.of("/api/v1/reports/usage", "/api/v1/reports/usage?from=2026-01&to=2026-02",
        "/api/v1/reports/usage?from=1990-01", "/api/v1/reports/usage.csv", "/api/v1/reports/usage.csv?from=bad");
  }

  @Test
  void every_role_but_municipal_staff_is_refused_and_a_logged_out_caller_too() {
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    before.remove("audit_log");
    CareClient anonymous = new CareClient(bed.node, "").anonymous();
    for (String route : routes()) {
      for (Map.Entry<String, CareClient> caller : bed.notStaff().entrySet()) {
        CareClient.Reply answer = caller.getValue().get(route);
        assertThat(answer.status()).as("%s by %s: %s", route, caller.getKey(), answer.body()).isEqualTo(403);
        assertThat(answer.body()).doesNotContain(ReportsBed.PATIENT_FAMILY);
      }
      assertThat(anonymous.get(route).status()).as(route).isEqualTo(401);
    }
    Map<String, Long> after = TestSql.rowCounts(bed.node);
    after.remove("audit_log");
    assertThat(after).isEqualTo(before);
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action like 'reports.%'")).isZero();
    assertThat(bed.staff.get("/api/v1/reports/usage").status()).isEqualTo(200);
    assertThat(bed.staff.download("/api/v1/reports/usage.csv").statusCode()).isEqualTo(200);
  }
}
