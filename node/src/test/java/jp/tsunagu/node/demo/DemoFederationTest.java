package jp.tsunagu.node.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.testing.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoFederationTest {

  @TempDir
  Path dir;

  @Test
  void the_demo_starts_the_three_kamiina_nodes_each_ready_with_its_own_data_directory() {
    try (DemoFederation demo = DemoFederation.start(dir, 28443)) {
      assertThat(demo.nodes()).extracting(n -> n.services().config().node().name())
          .containsExactly("ina", "minamiminowa", "minowa");
      for (TsunaguNode node : demo.nodes()) {
        assertThat(node.services().config().demo()).isTrue();
        assertThat(node.services().config().dataDir()).startsWith(dir);
        assertThat(new TestHttp(node).get("/health/ready").statusCode()).isEqualTo(200);
      }
      assertThat(demo.nodes()).extracting(TsunaguNode::webPort).doesNotHaveDuplicates();

      TsunaguNode ina = demo.nodes().get(0);
      TsunaguNode minamiminowa = demo.nodes().get(1);
      TsunaguNode minowa = demo.nodes().get(2);
      assertThat(count(minamiminowa, "select count(*) from care_boards where home_node = ?", "ina")).isEqualTo(1);
      assertThat(count(minowa, "select count(*) from care_boards where home_node = ?", "minamiminowa")).isEqualTo(1);
      assertThat(count(minamiminowa, "select count(*) from posts p join care_boards b on b.id = p.board_id"
          + " where b.home_node = ?", "ina")).as("the 伊那市 patient's history on the nurse's node").isGreaterThan(20);
      waitFor(() -> count(ina, "select count(*) from posts where author_id = ? and sync_state is null",
          "minamiminowa-kango@minamiminowa") == 2);
    }
  }

  private static long count(TsunaguNode node, String sql, String param) {
    return node.services().database().submitRead(c -> {
      try (var s = c.prepareStatement(sql)) {
        s.setString(1, param);
        try (var rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }).join();
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("the nurse's notes reach the home node").isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
