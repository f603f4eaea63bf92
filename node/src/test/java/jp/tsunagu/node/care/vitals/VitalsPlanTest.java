package jp.tsunagu.node.care.vitals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.node.testing.QueryPlans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A post's vitals are found by the post's index: every team event a shared board logs of a post reads them on
 * the database writer, which scanned the whole vitals table for each before V276.
 */
class VitalsPlanTest {

  @TempDir
  Path dir;

  @Test
  void a_posts_vitals_are_read_through_the_post_index_not_a_scan_of_every_vitals_row() throws Exception {
    List<String> plan = QueryPlans.plan(QueryPlans.migrated(dir), VitalsSql.OF_POST);

    assertThat(plan).anySatisfy(line -> assertThat(line).contains("vitals USING INDEX vitals_post"));
    assertThat(plan).noneSatisfy(line -> assertThat(line).startsWith("SCAN vitals"));
  }
}
