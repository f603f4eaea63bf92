package jp.tsunagu.node.family;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.node.testing.QueryPlans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A patient's access report finds the patient's month in the audit log by its (target, at) index. */
class AccessReportPlanTest {

  @TempDir
  Path dir;

  @Test
  void the_access_report_reads_one_patients_month_of_the_audit_log_by_its_index() throws Exception {
    List<String> plan = QueryPlans.plan(QueryPlans.migrated(dir), AccessReport.ROWS);

    assertThat(plan).anySatisfy(line -> assertThat(line).contains("audit_log USING INDEX audit_log_target_at"));
    assertThat(plan).noneSatisfy(line -> assertThat(line).startsWith("SCAN audit_log"));
  }
}
