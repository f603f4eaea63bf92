package jp.tsunagu.node.cluster;

import static jp.tsunagu.node.cluster.ClusterTestSupport.copy;
import static jp.tsunagu.node.cluster.ClusterTestSupport.stopAll;
import static jp.tsunagu.node.cluster.ClusterTestSupport.waitFor;
import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.keys.NodeKeys;
import jp.tsunagu.node.testing.TestAdmin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole node added to a running cluster as an operator adds one: an empty data directory with the
 * node's identity and the cluster's configuration. Its start copies the leader's snapshot before
 * the features use the database, then it follows by batches, serves, and the admin API of either
 * instance shows both with their states.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SnapshotJoinNodeTest {

  @TempDir
  Path dir;

  private final List<TsunaguNode> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    stopAll(nodes);
  }

  @Test
  void a_node_started_with_an_empty_data_directory_copies_the_leaders_snapshot_and_serves() throws Exception {
    List<NodeConfig> configs = configs(2);
    NodeKeys.loadOrCreate(configs.get(0));
    copy(configs.get(0).identityDir(), configs.get(1).identityDir());
    copy(configs.get(0).userCaDir(), configs.get(1).userCaDir());
    TsunaguNode leader = TsunaguNode.start(configs.get(0));
    nodes.add(leader);
    waitFor(() -> leader.cluster().orElseThrow().isLeader());
    AuditLog audit = new AuditLog(leader.services().database(), Clock.systemUTC());
    for (int i = 0; i < 10; i++) {
      audit.record(AuditEvent.success("operator", "cluster.test", "row/" + i, new JsonObject()))
          .await(30, TimeUnit.SECONDS);
    }

    TsunaguNode joined = TsunaguNode.start(configs.get(1));
    nodes.add(joined);
    audit.record(AuditEvent.success("operator", "cluster.test", "row/after", new JsonObject()))
        .await(30, TimeUnit.SECONDS);
    long written = position(leader);
    waitFor(() -> position(joined) == written);
    assertThat(joined.services().database().submitRead(ReplicaDumps::dump).get())
        .isEqualTo(leader.services().database().submitRead(ReplicaDumps::dump).get());
    assertThat(joined.services().database().submitRead(AuditLog::lastRow).get())
        .isEqualTo(leader.services().database().submitRead(AuditLog::lastRow).get());
    waitFor(() -> joined.cluster().orElseThrow().readiness(joined.vertx()).await().ready());
    assertThat(Files.exists(configs.get(1).dataDir().resolve("cluster-snapshots"))).isFalse();
    try (var files = Files.list(configs.get(0).dataDir().resolve("cluster-snapshots"))) {
      assertThat(files.toList()).isEmpty();
    }

    for (TsunaguNode asked : nodes) {
      waitFor(() -> states(asked).equals(List.of("leader", "follower")));
    }
  }

  /** The states {@code GET /admin/v1/cluster} shows, the leader's first. */
  private static List<String> states(TsunaguNode asked) {
    try {
      JsonObject status = new JsonObject(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          asked.adminUrl().resolve("/admin/v1/cluster")).header("Authorization", TestAdmin.authorization(asked))
          .build(), HttpResponse.BodyHandlers.ofString()).body());
      return status.getJsonArray("instances").stream().map(i -> ((JsonObject) i).getString("state"))
          .sorted((x, y) -> Boolean.compare(!"leader".equals(x), !"leader".equals(y))).toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long position(TsunaguNode node) {
    try {
      return node.services().database().submitRead(ReplicationPosition::of).get().batchId();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private List<NodeConfig> configs(int count) throws IOException {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < count * 3 + 1; i++) {
      ports.add(freePort());
    }
    // Partners know the node by one endpoint (the load balancer's); each instance listens on its own port.
    // Two instances without consensus (tests only), the leader writing while the other is not there yet.
    return ClusterTestSupport.instances(dir, ClusterTestSupport.clusterName("ina-join"), count, ports,
        "https://127.0.0.1:" + ports.get(3 * count), false, json -> json.getJsonObject("cluster").put("cpMembers", 0).put("syncReplicas", 0));
  }
}
