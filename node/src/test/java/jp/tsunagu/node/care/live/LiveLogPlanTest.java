package jp.tsunagu.node.care.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.node.testing.QueryPlans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer looks for the live events a transaction kept before every commit, and nearly every transaction
 * kept none: the look walks the touches, never the up to 10,000 events kept for replay (which cost the
 * writer 145 us of CPU a transaction with 4,000 of them).
 */
class LiveLogPlanTest {

  @TempDir
  Path dir;

  @Test
  void the_look_for_a_transactions_live_events_walks_its_touches_not_every_kept_event() throws Exception {
    List<String> plan = QueryPlans.plan(QueryPlans.migrated(dir), LiveLog.TOUCHED.select());

    assertThat(plan).anySatisfy(line -> assertThat(line).startsWith("SCAN t"));
    assertThat(plan).anySatisfy(line -> assertThat(line).contains("SEARCH e USING INTEGER PRIMARY KEY"));
    assertThat(plan).noneSatisfy(line -> assertThat(line).startsWith("SCAN e"));
    assertThat(plan).as("no sort: the writer orders the few rows itself").noneSatisfy(line ->
        assertThat(line).contains("TEMP B-TREE"));
  }
}
