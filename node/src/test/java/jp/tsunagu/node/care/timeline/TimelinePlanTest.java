package jp.tsunagu.node.care.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.node.testing.QueryPlans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A timeline page past the cache reads its board's range of posts where they lie, in board order
 * (V279): one range of the table's own key, newest first, without sorting and without a look-up of
 * each post's row elsewhere (by the old index, each of the 50 posts was a row among all boards' posts,
 * in the order they were written).
 */
class TimelinePlanTest {

  @TempDir
  Path dir;

  @Test
  void a_page_reads_its_boards_range_of_posts_in_order_from_the_table_itself() throws Exception {
    String url = QueryPlans.migrated(dir);
    String order = " order by p.seq desc limit " + PostSql.PAGE;
    for (String sql : List.of(TimelinePage.PAGE + order,
        TimelinePage.PAGE + " and p.category in (?, ?)" + order)) {
      List<String> plan = QueryPlans.plan(url, sql);

      assertThat(plan).as(sql).anySatisfy(line ->
          assertThat(line).isEqualTo("SEARCH p USING PRIMARY KEY (board_id=? AND seq<?)"));
      // (the few posts with attachments, comments or recipients sort those in a small b-tree of their own)
      assertThat(plan).as(sql).noneSatisfy(line ->
          assertThat(line).matches("USE TEMP B-TREE FOR (RIGHT PART OF |LAST TERM OF )?ORDER BY"));
      assertThat(plan).as(sql).noneSatisfy(line ->
          assertThat(line).matches("(SEARCH|SCAN) p USING (COVERING )?INDEX.*"));
      assertThat(plan).as(sql).anySatisfy(line ->
          assertThat(line).contains("r USING COVERING INDEX post_reads_user (user_id=? AND post_id=?)"));
    }
  }
}
