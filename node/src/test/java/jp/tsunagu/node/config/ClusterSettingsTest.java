package jp.tsunagu.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code cluster.*} keys: absent, the node is one instance as before; present, a fixed list of
 * members this instance is one of, each mistake named with its key.
 */
class ClusterSettingsTest {

  @TempDir
  Path dir;

  private NodeConfig load(JsonObject cluster, Map<String, String> environment) {
    JsonObject json = TestNodes.json("ina");
    if (cluster != null) {
      json.put("cluster", cluster);
    }
    return new ConfigLoader(environment::get).fromJson(json, dir);
  }

  private NodeConfig load(JsonObject cluster) {
    return load(cluster, Map.of());
  }

  private static JsonObject three() {
    return new JsonObject().put("name", "ina-ha")
        .put("members", new JsonArray(List.of("10.0.0.1:5701", "10.0.0.2:5701", "10.0.0.3:5701")))
        .put("host", "10.0.0.2");
  }

  @Test
  void without_a_cluster_section_the_node_is_a_single_instance() {
    assertThat(load(null).cluster()).isEmpty();
  }

  @Test
  void three_members_with_the_defaults_are_read() {
    NodeConfig.Cluster cluster = load(three()).cluster().orElseThrow();
    assertThat(cluster.name()).isEqualTo("ina-ha");
    assertThat(cluster.members()).extracting(Object::toString)
        .containsExactly("10.0.0.1:5701", "10.0.0.2:5701", "10.0.0.3:5701");
    assertThat(cluster.host()).isEqualTo("10.0.0.2");
    assertThat(cluster.port()).isEqualTo(5701);
    assertThat(cluster.eventBusPort()).isEqualTo(5801);
    assertThat(cluster.syncReplicas()).isEqualTo(1);
    assertThat(cluster.cpMembers()).isEqualTo(3);
    assertThat(cluster.maxReadyLag()).isEqualTo(100);
    assertThat(load(three().put("maxReadyLag", 0)).cluster().orElseThrow().maxReadyLag()).isZero();
    assertThat(cluster.keepBatches()).isEqualTo(10_000);
    assertThat(cluster.resyncAtStart()).isFalse();
  }

  @Test
  void the_operator_asks_for_a_snapshot_at_start_for_one_start_through_the_environment() {
    NodeConfig.Cluster cluster = load(three().put("keepBatches", 50),
        Map.of("TSUNAGU_CLUSTER_RESYNC_AT_START", "on")).cluster().orElseThrow();
    assertThat(cluster.resyncAtStart()).isTrue();
    assertThat(cluster.keepBatches()).isEqualTo(50);
  }

  @Test
  void the_environment_sets_the_instance_s_own_address_so_three_machines_share_one_file() {
    NodeConfig.Cluster cluster = load(three(), Map.of("TSUNAGU_CLUSTER_HOST", "10.0.0.3")).cluster().orElseThrow();
    assertThat(cluster.host()).isEqualTo("10.0.0.3");
  }

  @Test
  void each_mistake_is_named_with_its_key() {
    assertThatThrownBy(() -> load(new JsonObject().put("members", "10.0.0.1:5701,10.0.0.2:5701")))
        .hasMessage("cluster.name: is required when cluster.members is set");
    assertThatThrownBy(() -> load(three().put("name", "Ina HA")))
        .hasMessage("cluster.name: must be 2-40 lowercase letters, digits or '-', got 'Ina HA'");
    assertThatThrownBy(() -> load(three().put("members", "10.0.0.1:5701")))
        .hasMessage("cluster.members: must list 2 to 9 host:port addresses, got 1");
    assertThatThrownBy(() -> load(three().put("members", "10.0.0.1:5701,10.0.0.2")))
        .hasMessage("cluster.members: '10.0.0.2' is not host:port");
    assertThatThrownBy(() -> load(three().put("members", "10.0.0.1:5701,10.0.0.2:x")))
        .hasMessage("cluster.members: '10.0.0.2:x' has no port number");
    assertThatThrownBy(() -> load(three().put("members", "10.0.0.2:5701,10.0.0.2:5701")))
        .hasMessage("cluster.members: '10.0.0.2:5701' is listed twice");
    assertThatThrownBy(() -> load(three().put("host", "10.0.0.9")))
        .hasMessage("cluster.host: this instance's address 10.0.0.9:5701 is not one of cluster.members"
            + " [10.0.0.1:5701, 10.0.0.2:5701, 10.0.0.3:5701]");
    assertThatThrownBy(() -> load(three().put("eventBusPort", 5701)))
        .hasMessage("cluster.eventBusPort: same port as cluster.port (5701)");
    assertThatThrownBy(() -> load(three().put("syncReplicas", 3)))
        .hasMessage("cluster.syncReplicas: must be between 0 and 2, got 3");
    assertThatThrownBy(() -> load(three().put("cpMembers", 2)))
        .hasMessage("cluster.cpMembers: must be 0 (tests only: the lock without consensus) or at least 3, got 2");
    assertThatThrownBy(() -> load(three().put("maxReadyLag", -1)))
        .hasMessage("cluster.maxReadyLag: must be between 0 and 1000000, got -1");
    assertThatThrownBy(() -> load(three().put("keepBatches", 0)))
        .hasMessage("cluster.keepBatches: must be between 1 and 100000000, got 0");
    assertThatThrownBy(() -> load(three().put("resyncAtStart", "yes")))
        .hasMessage("cluster.resyncAtStart: must be one of off, on, got 'yes'");
    assertThatThrownBy(() -> load(three().put("multicast", "on"))).hasMessage("cluster.multicast: unknown key");
  }
}
