package jp.tsunagu.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.node.testing.QueryPlans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "active professionals" figure reads the audit log through its (at, actor) index, never the whole log. */
class ActiveProfessionalsPlanTest {

  @TempDir
  Path dir;

  @Test
  void the_active_professionals_figure_reads_a_window_of_the_audit_log_from_its_index_alone() throws Exception {
    List<String> plan = QueryPlans.plan(QueryPlans.migrated(dir), IdentityFigures.ACTIVE_PROFESSIONALS);

    assertThat(plan).anySatisfy(line -> assertThat(line)
        .contains("audit_log USING COVERING INDEX audit_log_at_actor (at>? AND at<?)"));
    assertThat(plan).noneSatisfy(line -> assertThat(line).isEqualTo("SCAN audit_log"));
  }
}
