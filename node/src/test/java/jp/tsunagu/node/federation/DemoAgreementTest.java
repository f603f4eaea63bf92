package jp.tsunagu.node.federation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.demo.DemoFederation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoAgreementTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("the demo's three Kamiina nodes hold the same active agreement, reach each other over mutual TLS, "
      + "and keep it when the demo runs again in the same folder")
  void demoAgreement() {
    String sha;
    java.util.List<java.net.URI> endpoints;
    int firstWebPort;
    try (DemoFederation demo = DemoFederation.start(dir, 38443)) {
      endpoints = demo.nodes().stream().map(n -> n.services().config().federation().endpoint()).toList();
      firstWebPort = demo.nodes().get(0).webPort();
      assertThat(demo.agreement().status().wireName()).isEqualTo("active");
      assertThat(demo.agreement().agreement().partyNames()).containsExactly("ina", "minamiminowa", "minowa");
      sha = demo.agreement().document().sha256();
      for (TsunaguNode node : demo.nodes()) {
        JsonArray agreements = FederationTestNodes.json(FederationTestNodes.get(node, "/admin/v1/agreements"))
            .getJsonArray("agreements");
        assertThat(agreements).hasSize(1);
        assertThat(agreements.getJsonObject(0).getString("sha256")).isEqualTo(sha);
        assertThat(agreements.getJsonObject(0).getString("status")).isEqualTo("active");
      }
      JsonArray peers = FederationTestNodes.json(FederationTestNodes.get(demo.nodes().get(0), "/admin/v1/peers"))
          .getJsonArray("peers");
      assertThat(peers.stream().map(JsonObject.class::cast).map(p -> p.getString("node")))
          .containsExactlyInAnyOrder("minamiminowa", "minowa");
      assertThat(peers.stream().map(JsonObject.class::cast).allMatch(p -> p.getBoolean("reachable")))
          .as(peers.encode()).isTrue();
    }
    // Something else takes the first node's web port meanwhile: the nodes still come back at the
    // federation endpoints the agreement names, and reach each other there.
    try (java.net.ServerSocket squatter = new java.net.ServerSocket()) {
      squatter.bind(new java.net.InetSocketAddress("127.0.0.1", firstWebPort));
      try (DemoFederation again = DemoFederation.start(dir, 38443)) {
        assertThat(again.agreement().document().sha256()).isEqualTo(sha);
        assertThat(again.agreement().status().wireName()).isEqualTo("active");
        assertThat(again.nodes().stream().map(n -> n.services().config().federation().endpoint()).toList())
            .isEqualTo(endpoints);
        JsonArray peers = FederationTestNodes.json(FederationTestNodes.get(again.nodes().get(0), "/admin/v1/peers"))
            .getJsonArray("peers");
        assertThat(peers.stream().map(JsonObject.class::cast).allMatch(p -> p.getBoolean("reachable")))
            .as(peers.encode()).isTrue();
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
