package jp.tsunagu.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.testing.TestPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node listens for partners only at the federation endpoint its identity published (the one their
 * agreements name): a restart on "any free port" keeps that port, and a start that would listen
 * elsewhere is refused with one line naming both.
 */
class EndpointPinningTest {

  @TempDir
  Path dir;

  private static URI published(Path dir) {
    return NodeIdentity.load(dir.resolve("ina-data/identity")).profile().federationEndpoint();
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void a_node_started_on_any_free_port_comes_back_on_the_endpoint_its_identity_published() {
    URI first;
    try (TsunaguNode node = TsunaguNode.start(TestNodes.config(dir, "ina"))) {
      first = published(dir);
      assertThat(first.getPort()).isPositive();
      assertThat(node.services().config().federation().endpoint()).isEqualTo(first);
      assertThat(node.services().config().federation().port()).isEqualTo(first.getPort());
      assertThat(listening(first.getPort())).isTrue();
    }
    try (TsunaguNode again = TsunaguNode.start(TestNodes.config(dir, "ina"))) {
      assertThat(published(dir)).isEqualTo(first);
      assertThat(again.services().config().federation().endpoint()).isEqualTo(first);
      assertThat(listening(first.getPort())).isTrue();
    }
  }

  @Test
  void a_start_is_refused_when_something_else_holds_the_published_port() throws Exception {
    TsunaguNode.start(TestNodes.config(dir, "ina")).close();
    int port = published(dir).getPort();
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress("127.0.0.1", port));
      assertThatThrownBy(() -> TsunaguNode.start(TestNodes.config(dir, "ina")))
          .isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.key()).isEqualTo("federation.port");
            assertThat(e.getMessage()).contains(String.valueOf(port)).contains("in use");
          });
    }
    assertThat(published(dir).getPort()).isEqualTo(port);
  }

  @Test
  void a_configuration_that_would_listen_elsewhere_is_refused_naming_both_endpoints() throws Exception {
    TsunaguNode.start(TestNodes.config(dir, "ina")).close();
    URI endpoint = published(dir);
    int other = TestPorts.freePort();
    JsonObject json = TestNodes.json("ina");
    json.getJsonObject("federation").put("port", other);
    assertThatThrownBy(() -> TsunaguNode.start(new ConfigLoader(name -> null).fromJson(json, dir)))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("federation.endpoint");
          assertThat(e.getMessage()).contains(endpoint.toString()).contains("https://127.0.0.1:" + other);
        });
    JsonObject moved = TestNodes.json("ina");
    moved.getJsonObject("federation").put("endpoint", "https://ina.example.jp:9443");
    assertThatThrownBy(() -> TsunaguNode.start(new ConfigLoader(name -> null).fromJson(moved, dir)))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage())
            .contains(endpoint.toString()).contains("https://ina.example.jp:9443"));
    assertThat(listening(other)).isFalse();
  }

  @Test
  void serve_refuses_a_moved_endpoint_with_one_line_naming_both_and_exit_code_2() throws Exception {
    TsunaguNode.start(TestNodes.config(dir, "ina")).close();
    URI endpoint = published(dir);
    JsonObject json = TestNodes.json("ina");
    json.getJsonObject("federation").put("port", 0).put("endpoint", "https://ina.example.jp:9443");
    Path file = dir.resolve("node.json");
    java.nio.file.Files.writeString(file, json.encode());
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine commandLine = jp.tsunagu.node.NodeMain.commandLine();
    commandLine.setErr(new java.io.PrintWriter(err));
    assertThat(commandLine.execute("serve", "--config", file.toString())).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("error: federation.endpoint: ").contains(endpoint.toString())
        .contains("https://ina.example.jp:9443");
  }
}
