package jp.tsunagu.node.cluster;

import static jp.tsunagu.node.cluster.ClusterTestSupport.clusterName;
import static jp.tsunagu.node.cluster.ClusterTestSupport.runningMembers;
import static jp.tsunagu.node.cluster.ClusterTestSupport.shareIdentity;
import static jp.tsunagu.node.cluster.ClusterTestSupport.startAll;
import static jp.tsunagu.node.cluster.ClusterTestSupport.stopAll;
import static jp.tsunagu.node.cluster.ClusterTestSupport.waitFor;
import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.testing.TestAdmin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

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

  @Test
  void an_instance_closed_publishes_nothing_more_and_instances_stopped_together_log_no_error() throws Exception {
    List<NodeConfig> configs = configs(3);
    shareIdentity(configs);
    startAll(configs, nodes);
    waitFor(() -> nodes.stream().filter(n -> n.cluster().orElseThrow().isLeader()).count() == 1);
    TsunaguNode follower = nodes.stream().filter(n -> !n.cluster().orElseThrow().isLeader()).findFirst()
        .orElseThrow();
    Positions positions = follower.cluster().orElseThrow().positions();
    long running = positions.publications();
    waitFor(() -> positions.publications() > running + 2);

    // Its position's timer was set outside any verticle: only its own cancel ends it before Vert.x closes.
    follower.cluster().orElseThrow().close();
    long closedAt = positions.publications();
    Thread.sleep(1_000); // five periods of its publication
    assertThat(positions.publications()).as("publications after the instance closed").isEqualTo(closedAt);

    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    lines.start();
    root.addAppender(lines);
    try {
      stopAll(nodes);
    } finally {
      root.detachAppender(lines);
    }
    assertThat(lines.list).filteredOn(line -> line.getLevel().isGreaterOrEqual(Level.ERROR))
        .extracting(ILoggingEvent::getFormattedMessage).as("errors logged by the stop").isEmpty();
    for (TsunaguNode node : nodes) {
      assertThatThrownBy(() -> node.services().database().submitRead(ReplicationPosition::of).get())
          .isInstanceOf(ExecutionException.class).cause()
          .extracting(e -> ((CodedException) e).code()).isEqualTo("storage.closed");
    }
    nodes.clear();
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
