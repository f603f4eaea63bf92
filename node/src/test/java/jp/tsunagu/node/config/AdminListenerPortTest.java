package jp.tsunagu.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin listener on "any free port" binds port 0 itself and the node reads back where it went: no port
 * is chosen for it ahead and left free for another program to take before it binds.
 */
class AdminListenerPortTest {

  @TempDir
  Path dir;

  @Test
  void an_admin_listener_on_any_free_port_is_bound_by_the_system_and_the_node_names_the_port_it_got()
      throws Exception {
    try (TsunaguNode node = TsunaguNode.start(TestNodes.config(dir, "ina"))) {
      assertThat(node.services().config().admin().port()).as("not chosen before it bound").isZero();
      assertThat(node.adminPort()).isPositive().isNotEqualTo(node.webPort())
          .isNotEqualTo(node.services().config().federation().port());
      assertThat(node.adminUrl()).hasToString("http://127.0.0.1:" + node.adminPort());
      HttpResponse<String> live = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(node.adminUrl().resolve("/health/live")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
    }
  }
}
