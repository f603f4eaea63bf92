package jp.tsunagu.node.cluster;

import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.keys.NodeKeys;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data channel between instances: the clustered event bus over mutual TLS with the node's own
 * certificate. Instances of the node talk; a member that joined with another node's identity can
 * neither be reached by them nor reach them, though Hazelcast let it in under the same cluster name.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EventBusTlsTest {

  @TempDir
  Path dir;

  private final List<Vertx> started = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Vertx vertx : started) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void instances_of_the_node_talk_and_a_member_with_another_identity_is_cut_off() throws Exception {
    List<Integer> ports = List.of(freePort(), freePort(), freePort(), freePort(), freePort(), freePort());
    String members = "127.0.0.1:" + ports.get(0) + ",127.0.0.1:" + ports.get(1) + ",127.0.0.1:" + ports.get(2);
    NodeConfig ina0 = config("ina", "a", members, ports.get(0), ports.get(3));
    NodeConfig ina1 = config("ina", "b", members, ports.get(1), ports.get(4));
    NodeConfig other = config("minowa", "c", members, ports.get(2), ports.get(5));
    NodeKeys inaKeys = NodeKeys.loadOrCreate(ina0);
    NodeKeys otherKeys = NodeKeys.loadOrCreate(other);
    List<Future<Vertx>> joining = List.of(join(ina0, inaKeys), join(ina1, inaKeys), join(other, otherKeys));
    Future.all(joining).await(120, TimeUnit.SECONDS);
    Vertx a = joining.get(0).result();
    Vertx b = joining.get(1).result();
    Vertx intruder = joining.get(2).result();
    List<String> names = List.of("a", "b", "c");
    List<Vertx> all = List.of(a, b, intruder);
    for (int i = 0; i < all.size(); i++) {
      String name = names.get(i);
      all.get(i).eventBus().<JsonObject>consumer("probe." + name, m -> m.reply(new JsonObject().put("from", name)))
          .completion().await(30, TimeUnit.SECONDS);
    }
    DeliveryOptions quick = new DeliveryOptions().setSendTimeout(4_000);

    assertThat(a.eventBus().<JsonObject>request("probe.b", new JsonObject(), quick).await(30, TimeUnit.SECONDS)
        .body().getString("from")).isEqualTo("b");
    assertThat(b.eventBus().<JsonObject>request("probe.a", new JsonObject(), quick).await(30, TimeUnit.SECONDS)
        .body().getString("from")).isEqualTo("a");
    assertThatThrownBy(() -> a.eventBus().request("probe.c", new JsonObject(), quick).await(30, TimeUnit.SECONDS))
        .hasMessageContaining("Timed out");
    assertThatThrownBy(() -> intruder.eventBus().request("probe.b", new JsonObject(), quick)
        .await(30, TimeUnit.SECONDS)).hasMessageContaining("Timed out");
  }

  private Future<Vertx> join(NodeConfig config, NodeKeys keys) {
    NodeConfig.Cluster cluster = config.cluster().orElseThrow();
    HazelcastClusterManager manager = new HazelcastClusterManager(ClusterOptions.hazelcast(cluster));
    return Vertx.builder().with(ClusterOptions.vertx(cluster, keys.identity().tlsCertificatePem(),
        keys.identity().tlsPrivateKeyPem())).withClusterManager(manager).buildClustered()
        .onSuccess(vertx -> {
          synchronized (started) {
            started.add(vertx);
          }
        });
  }

  private NodeConfig config(String node, String instance, String members, int port, int eventBusPort) {
    JsonObject json = TestNodes.json(node).put("dataDir", instance);
    json.put("cluster", new JsonObject().put("name", "shared-name").put("members", members).put("host", "127.0.0.1")
        .put("port", port).put("eventBusPort", eventBusPort).put("cpMembers", 0));
    return new ConfigLoader(name -> null).fromJson(json, dir);
  }

}
