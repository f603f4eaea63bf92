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
    }
  }
}
