package jp.tsunagu.node.cluster;

import static jp.tsunagu.node.cluster.ClusterTestSupport.waitFor;
import static jp.tsunagu.node.cluster.InProcessInstances.position;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.cluster.InProcessInstances.Instance;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.errors.CodedException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three instances of one node in this JVM, each with its own database file, its own Hazelcast member
 * (TCP/IP join on loopback, three CP members) and its own clustered Vert.x whose event bus runs
 * mutual TLS with the node's certificate: one is elected writer, its writes are answered once a
 * follower applied them, and both followers end with the same rows and audit chain head.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ThreeInstancesTest {

  @TempDir
  Path dir;

  @AutoClose
  private final InProcessInstances bed = new InProcessInstances();
  private final List<Instance> instances = bed.all();

  @Test
  void writes_on_the_elected_leader_appear_identically_on_both_followers() throws Exception {
    List<NodeConfig> configs = configs(3);
    bed.startAll(configs, true);
    bed.awaitOneLeader();
    Instance leader = instances.stream().filter(i -> i.cluster().isLeader()).findFirst().orElseThrow();
    List<Instance> followers = instances.stream().filter(i -> i != leader).toList();
    assertThat(leader.cluster().token()).isPositive();

    AuditLog audit = new AuditLog(leader.database(), Clock.systemUTC());
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      int n = i;
      writes.add(audit.record(AuditEvent.success("user-" + n, "care.post_created", "board/" + n,
          new JsonObject().put("n", n))).toCompletionStage().toCompletableFuture());
      writes.add(leader.database().submitWrite(c -> {
        ReplicaDumps.execute(c, "insert into future_notes (body, score, photo) values ('訪問 " + n + "', " + n
            + ".5, x'0a0b')", "insert into future_pairs (a, b) values ('k', " + n + ")");
        return null;
      }));
    }
    for (CompletableFuture<?> write : writes) {
      write.get(30, TimeUnit.SECONDS);
    }
    // Answered only once a follower applied it: at least one follower holds every answered write.
    long written = leader.database().submitRead(ReplicationPosition::of).get().batchId();
    long furthest = Math.max(position(followers.get(0)), position(followers.get(1)));
    assertThat(furthest).isEqualTo(written);
    waitFor(() -> position(followers.get(0)) == written && position(followers.get(1)) == written);

    var expected = leader.database().submitRead(ReplicaDumps::dump).get();
    assertThat(expected.get("audit_log")).hasSize(30);
    assertThat(expected.get("future_notes")).hasSize(30);
    for (Instance follower : followers) {
      assertThat(follower.database().submitRead(ReplicaDumps::dump).get()).isEqualTo(expected);
      assertThat(follower.database().submitRead(AuditLog::lastRow).get())
          .isEqualTo(leader.database().submitRead(AuditLog::lastRow).get());
    }

    // A follower does not write on its own: it would part from the leader.
    assertThatThrownBy(() -> followers.get(0).database().submitWrite(c -> {
      ReplicaDumps.execute(c, "insert into future_plain (label) values ('on a follower')");
      return null;
    }).get()).isInstanceOf(ExecutionException.class).cause()
        .extracting(e -> ((CodedException) e).code()).isEqualTo("cluster.not_leader");
    assertThat(followers.get(0).database().submitRead(ReplicaDumps::dump).get()).isEqualTo(expected);

    JsonObject status = leader.cluster().status().await(10, TimeUnit.SECONDS);
    assertThat(status.getString("role")).isEqualTo("leader");
    assertThat(status.getJsonArray("members")).hasSize(3);
    assertThat(status.getString("leader")).isEqualTo(leader.cluster().nodeId());
    assertThat(status.getLong("token")).isEqualTo(leader.cluster().token());
    assertThat(status.getJsonArray("followers")).hasSize(2);
    waitFor(() -> leader.cluster().status().await().getJsonArray("followers").stream()
        .allMatch(f -> ((JsonObject) f).getLong("lag") == 0));
    JsonObject onFollower = followers.get(1).cluster().status().await(10, TimeUnit.SECONDS);
    assertThat(onFollower.getString("role")).isEqualTo("follower");
    assertThat(onFollower.getLong("appliedBatch")).isEqualTo(written);
  }

  private List<NodeConfig> configs(int count) throws IOException {
    return ClusterTestSupport.clusterOf(dir, "ina-three", count,
        cluster -> cluster.put("syncReplicas", 1).put("cpMembers", count));
  }
}
