package jp.tsunagu.node.cluster;

import static jp.tsunagu.node.cluster.ClusterTestSupport.clusterName;
import static jp.tsunagu.node.cluster.ClusterTestSupport.runningMembers;
import static jp.tsunagu.node.cluster.ClusterTestSupport.shareIdentity;
import static jp.tsunagu.node.cluster.ClusterTestSupport.startAll;
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
import jp.tsunagu.node.testing.TestAdmin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three whole nodes started from a cluster configuration, as an operator would (one identity copied
 * to every instance's data directory): one instance is elected, only it runs the features'
 * singletons, its writes reach the others, and the admin API tells the cluster's state.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusteredNodeTest {

  @TempDir
  Path dir;

  private final List<TsunaguNode> nodes = new ArrayList<>();

  /** Members stop at once: one by one, the last two would wait for a CP group without its majority. */
  @AfterEach
  void stop() {
    stopAll(nodes);
  }

  @Test
  void three_instances_elect_one_writer_that_alone_runs_the_singletons_and_replicates_to_the_others()
      throws Exception {
    List<NodeConfig> configs = configs(3);
    shareIdentity(configs);
    System.out.println("Hazelcast members running in this JVM before the start: " + runningMembers());
    startAll(configs, nodes);
    waitFor(() -> nodes.stream().filter(n -> n.cluster().orElseThrow().isLeader()).count() == 1);
    TsunaguNode leader = nodes.stream().filter(n -> n.cluster().orElseThrow().isLeader()).findFirst().orElseThrow();
    List<TsunaguNode> followers = nodes.stream().filter(n -> n != leader).toList();
    waitFor(() -> leader.vertx().deploymentIDs().size() > followers.get(0).vertx().deploymentIDs().size());
    // The listeners run everywhere; the singletons (KeyPruning and every feature's verticles) only on the leader.
    assertThat(followers.get(0).vertx().deploymentIDs()).hasSameSizeAs(followers.get(1).vertx().deploymentIDs());

    AuditLog audit = new AuditLog(leader.services().database(), Clock.systemUTC());
    for (int i = 0; i < 10; i++) {
      audit.record(AuditEvent.success("operator", "cluster.test", "row/" + i, new JsonObject()))
          .await(30, TimeUnit.SECONDS);
    }
    long written = position(leader);
    waitFor(() -> followers.stream().allMatch(f -> position(f) == written));
    var expected = leader.services().database().submitRead(ReplicaDumps::dump).get();
    for (TsunaguNode follower : followers) {
      assertThat(follower.services().database().submitRead(ReplicaDumps::dump).get()).isEqualTo(expected);
    }

    JsonObject status = new JsonObject(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        leader.adminUrl().resolve("/admin/v1/cluster")).header("Authorization", TestAdmin.authorization(leader))
        .build(), HttpResponse.BodyHandlers.ofString()).body());
    assertThat(status.getString("role")).isEqualTo("leader");
    assertThat(status.getJsonArray("members")).hasSize(3);
    assertThat(status.getLong("token")).isEqualTo(leader.cluster().orElseThrow().token());
    assertThat(status.getLong("appliedBatch")).isEqualTo(written);
    assertThat(status.getJsonArray("followers")).hasSize(2);
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
    return ClusterTestSupport.instances(dir, clusterName("ina-ha"), count, ports,
        "https://127.0.0.1:" + ports.get(3 * count), false, json -> {});
  }
}
