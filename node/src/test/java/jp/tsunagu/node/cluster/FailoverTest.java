package jp.tsunagu.node.cluster;

import static jp.tsunagu.node.cluster.ClusterTestSupport.waitFor;
import static jp.tsunagu.node.cluster.InProcessInstances.position;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.cp.CPGroup;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.cluster.InProcessInstances.Instance;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.keys.NodeKeys;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader of three in-process instances dies (its Hazelcast member terminated, no goodbye): the
 * follower that applied the most batches is elected with a higher fencing token, holds every write
 * that was answered, continues the audit chain from the replicated head, and the deposed leader's
 * token is refused by the remaining follower.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FailoverTest {

  @TempDir
  Path dir;

  @AutoClose
  private final InProcessInstances bed = new InProcessInstances();
  private final List<Instance> instances = bed.all();

  @Test
  void when_the_leader_dies_the_most_advanced_follower_leads_with_every_answered_write_and_a_higher_token()
      throws Exception {
    startThree();
    Instance first = leader();
    long firstToken = first.cluster().token();
    AuditLog audit = new AuditLog(first.database(), Clock.systemUTC());
    for (int i = 0; i < 20; i++) {
      audit.record(AuditEvent.success("user-" + i, "care.post_created", "board/" + i, new JsonObject()))
          .await(30, TimeUnit.SECONDS);
    }
    long answered = first.database().submitRead(ReplicationPosition::of).get().batchId();

    // The leader dies without a word: its member is gone, its lock is freed when its session ends.
    int dead = instances.indexOf(first);
    long killed = System.nanoTime();
    bed.manager(dead).getHazelcastInstance().getLifecycleService().terminate();
    first.cluster().close();
    waitFor(() -> instances.stream().filter(i -> i != first).anyMatch(i -> i.cluster().isLeader()));
    Instance second = leader();
    Instance follower = instances.stream().filter(i -> i != first && i != second).findFirst().orElseThrow();
    assertThat(second.cluster().token()).isGreaterThan(firstToken);
    assertThat(second.database().submitRead(ReplicationPosition::of).get().batchId()).isGreaterThanOrEqualTo(answered);
    assertThat(second.database().submitRead(c -> ReplicaDumps.dump(c).get("audit_log")).get()).hasSize(20);

    AuditLog next = new AuditLog(second.database(), Clock.systemUTC());
    for (int i = 20; i < 30; i++) {
      next.record(AuditEvent.success("user-" + i, "care.post_created", "board/" + i, new JsonObject()))
          .await(30, TimeUnit.SECONDS);
      if (i == 20) {
        // A figure, not an assertion: wall-clock time on shared cores is noise (README, *Timing budget*).
        System.out.printf("failover (leader's member terminated -> first acknowledged write): %d ms%n",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
      }
    }
    long written = second.database().submitRead(ReplicationPosition::of).get().batchId();
    waitFor(() -> position(follower) == written);
    var expected = second.database().submitRead(ReplicaDumps::dump).get();
    assertThat(expected.get("audit_log")).hasSize(30);
    assertThat(follower.database().submitRead(ReplicaDumps::dump).get()).isEqualTo(expected);
    assertThat(follower.database().submitRead(AuditLog::lastRow).get())
        .isEqualTo(second.database().submitRead(AuditLog::lastRow).get());
    // The chain goes on from the replicated head: the new leader's first row links to the old leader's last.
    assertThat(second.database().submitRead(c -> {
      try (var statement = c.createStatement(); var rs = statement.executeQuery("select count(*) from audit_log a"
          + " join audit_log b on b.seq = a.seq + 1 where b.prev_hash <> a.hash")) {
        rs.next();
        return rs.getLong(1);
      }
    }).get()).isZero();

    // A late batch of the deposed leader, delivered now, is refused by the follower and changes nothing.
    io.vertx.core.buffer.Buffer late = new ReplicationBatch(written + 1, firstToken,
        follower.database().expectedSchemaVersion(), new io.vertx.core.json.JsonArray()).toWire("gone");
    String apply = "tsunagu.cluster." + follower.cluster().clusterName() + ".apply." + follower.cluster().nodeId();
    assertThatThrownBy(() -> second.vertx().eventBus().request(apply, late).await(30, TimeUnit.SECONDS))
        .hasMessageContaining("cluster.stale_token");
    assertThat(position(follower)).isEqualTo(written);
  }

  @Test
  void a_follower_started_again_fetches_what_it_missed_before_it_is_ready_without_a_further_write()
      throws Exception {
    List<NodeConfig> configs = configs(3);
    startThree(configs, true);
    writeAndSettle(0, 5);
    Instance leader = leader();
    int stopped = instances.indexOf(instances.stream().filter(i -> i != leader).findFirst().orElseThrow());
    long before = position(instances.get(stopped));

    // The follower stops (its member gone without a word, its file kept) while the leader goes on writing.
    Instance follower = instances.get(stopped);
    follower.cluster().close();
    bed.manager(stopped).getHazelcastInstance().getLifecycleService().terminate();
    follower.vertx().close().await(30, TimeUnit.SECONDS);
    follower.database().close();
    AuditLog audit = new AuditLog(leader.database(), Clock.systemUTC());
    for (int i = 5; i < 15; i++) {
      audit.record(AuditEvent.success("user-" + i, "care.post_created", "board/" + i, new JsonObject()))
          .await(30, TimeUnit.SECONDS);
    }
    long written = position(leader);
    assertThat(written).isGreaterThan(before);

    // Started again: it fetches what it missed at once and is not ready (cluster.joining, then
    // cluster.catching_up) until it holds every batch the leader had, with no further write.
    Instance restarted = bed.startAt(configs.get(stopped), stopped, NodeKeys.loadOrCreate(configs.get(0)));
    waitFor(() -> {
      boolean ready = ready(restarted);
      // Never ready while it holds less than the leader had: ready means caught up, with no further write.
      assertThat(!ready || position(restarted) == written).as("ready at batch " + position(restarted)).isTrue();
      // Nor before its new CP seat votes in every CP group (the former seat was removed, so the groups had two).
      assertThat(!ready || votesEverywhere(bed.manager(stopped))).as("ready with its CP seat pending").isTrue();
      return ready;
    });
    assertThat(position(restarted)).isEqualTo(written);
    assertThat(restarted.cluster().batches().latest()).isEqualTo(written);
    assertThat(restarted.database().submitRead(ReplicaDumps::dump).get())
        .isEqualTo(leader.database().submitRead(ReplicaDumps::dump).get());
  }

  @Test
  void an_instance_whose_cp_seat_votes_in_no_cp_group_is_not_ready() throws Exception {
    // Four members, three CP voters per group: the fourth takes a seat at start that no group takes as a
    // voter, since each has its three already. Everything else about it is ready.
    List<NodeConfig> configs = configs(4, 3);
    startThree(configs.subList(0, 3), true);
    NodeKeys keys = NodeKeys.loadOrCreate(configs.get(0));
    Instance fourth = bed.startAt(configs.get(3), 3, keys);
    assertThat(bed.manager(3).getHazelcastInstance().getCPSubsystem().getCPSubsystemManagementService()
        .getLocalCPMember()).as("a CP seat").isNotNull();
    assertThat(votesEverywhere(bed.manager(3))).isFalse();
    for (Instance instance : instances.subList(0, 3)) {
      waitFor(() -> ready(instance));
    }
    // Past joining and catching up, it would say ready but for its seat.
    ClusterReadiness[] last = new ClusterReadiness[1];
    waitFor(() -> {
      last[0] = readiness(fourth);
      return last[0].ready() || CpVoting.PENDING.equals(last[0].details().getString("error"));
    });
    ClusterReadiness readiness = last[0];
    assertThat(readiness.ready()).as(readiness.details().encode()).isFalse();
    assertThat(readiness.details().getString("error")).isEqualTo("cluster.cp_seat_pending");
    assertThat(readiness.details().getString("cpSeat")).isEqualTo("not yet a voter in CP group(s) METADATA, default");
    assertThat(readiness.details().getString("leader")).isEqualTo(leader().cluster().nodeId());
  }

  /** Whether the member's CP seat is among the voters of the METADATA and the default CP group. */
  private static boolean votesEverywhere(HazelcastClusterManager manager) {
    var cp = manager.getHazelcastInstance().getCPSubsystem().getCPSubsystemManagementService();
    var self = cp.getLocalCPMember();
    if (self == null) {
      return false;
    }
    try {
      for (String group : List.of(CPGroup.METADATA_CP_GROUP_NAME, CPGroup.DEFAULT_GROUP_NAME)) {
        CPGroup found = cp.getCPGroup(group).toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (found == null || found.members().stream().noneMatch(m -> m.getUuid().equals(self.getUuid()))) {
          return false;
        }
      }
      return true;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ClusterReadiness readiness(Instance instance) {
    try {
      return instance.cluster().readiness(instance.vertx()).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean ready(Instance instance) {
    try {
      return instance.cluster().readiness(instance.vertx()).await(30, TimeUnit.SECONDS).ready();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void startThree() throws Exception {
    startThree(configs(3), true);
  }

  private void startThree(List<NodeConfig> configs, boolean fresh) throws Exception {
    bed.startAll(configs, fresh);
    bed.awaitOneLeader();
  }

  @Test
  void a_cluster_restarted_whole_writes_with_tokens_above_those_its_databases_have_seen() throws Exception {
    List<NodeConfig> configs = configs(3);
    startThree(configs, true);
    long before = writeAndSettle(0, 5);
    long firstToken = leader().cluster().token();
    for (Instance instance : instances) {
      assertThat(instance.database().submitRead(ReplicationPosition::of).get().token()).isEqualTo(firstToken);
    }
    // Every instance stops at once; the CP group, kept in memory only, is gone with them.
    instances.forEach(instance -> instance.cluster().close());
    bed.stopMembers();

    startThree(configs, false);
    assertThat(leader().cluster().token()).isGreaterThan(firstToken);
    long after = writeAndSettle(5, 5);
    assertThat(after).isGreaterThan(before);
    var expected = leader().database().submitRead(ReplicaDumps::dump).get();
    assertThat(expected.get("audit_log")).hasSize(10);
    for (Instance instance : instances) {
      assertThat(instance.database().submitRead(ReplicaDumps::dump).get()).isEqualTo(expected);
    }
  }

  /** Records {@code count} audit events through the leader and waits until every instance applied them. */
  private long writeAndSettle(int from, int count) throws Exception {
    Instance leader = leader();
    AuditLog audit = new AuditLog(leader.database(), Clock.systemUTC());
    for (int i = from; i < from + count; i++) {
      audit.record(AuditEvent.success("user-" + i, "care.post_created", "board/" + i, new JsonObject()))
          .await(30, TimeUnit.SECONDS);
    }
    long written = leader.database().submitRead(ReplicationPosition::of).get().batchId();
    waitFor(() -> instances.stream().allMatch(i -> position(i) == written));
    return written;
  }

  private Instance leader() {
    return bed.leader();
  }

  private List<NodeConfig> configs(int count) throws IOException {
    return configs(count, count);
  }

  private List<NodeConfig> configs(int count, int cpMembers) throws IOException {
    return ClusterTestSupport.clusterOf(dir, "ina-failover", count,
        cluster -> cluster.put("syncReplicas", 1).put("cpMembers", cpMembers));
  }
}
