package jp.tsunagu.node.cluster;

import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.CPGroup;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance is not ready while its CP seat is not a voter in every CP group: real Hazelcast
 * members with the node's settings (three CP members), where a fourth member first has no seat and,
 * promoted, holds a seat that no group takes as a voter (every group already has its three).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CpVotingTest {

  @TempDir
  Path dir;

  private final List<HazelcastInstance> members = new ArrayList<>();

  @AfterEach
  void stop() {
    members.forEach(member -> member.getLifecycleService().terminate());
  }

  @Test
  void only_a_seat_that_votes_in_the_metadata_and_every_other_cp_group_counts_as_ready() throws Exception {
    List<NodeConfig.Cluster> settings = settings(4);
    ExecutorService starters = Executors.newFixedThreadPool(3);
    List<CompletableFuture<HazelcastInstance>> starting = new ArrayList<>();
    for (NodeConfig.Cluster cluster : settings.subList(0, 3)) {
      starting.add(CompletableFuture.supplyAsync(() -> Hazelcast.newHazelcastInstance(ClusterOptions.hazelcast(cluster)),
          starters));
    }
    starters.shutdown();
    for (CompletableFuture<HazelcastInstance> member : starting) {
      members.add(member.get(120, TimeUnit.SECONDS));
    }
    for (HazelcastInstance member : members) {
      assertThat(member.getCPSubsystem().getCPSubsystemManagementService()
          .awaitUntilDiscoveryCompleted(120, TimeUnit.SECONDS)).isTrue();
    }
    // The default group, as the writer's lock and the token generation make it.
    CpProxies.once(() -> members.get(0).getCPSubsystem().getAtomicLong("tsunagu-probe")).incrementAndGet();
    for (HazelcastInstance member : members) {
      assertThat(new CpVoting(member, 3).missing()).isNull();
    }

    HazelcastInstance fourth = Hazelcast.newHazelcastInstance(ClusterOptions.hazelcast(settings.get(3)));
    members.add(fourth);
    fourth.getCPSubsystem().getCPSubsystemManagementService().awaitUntilDiscoveryCompleted(120, TimeUnit.SECONDS);
    CpVoting voting = new CpVoting(fourth, 3);
    assertThat(voting.missing()).isEqualTo("no CP seat yet");

    fourth.getCPSubsystem().getCPSubsystemManagementService().promoteToCPMember().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    UUID seat = fourth.getCPSubsystem().getCPSubsystemManagementService().getLocalCPMember().getUuid();
    assertThat(voting.missing()).isEqualTo("not yet a voter in CP group(s) METADATA, default");
    CPGroup metadata = fourth.getCPSubsystem().getCPSubsystemManagementService()
        .getCPGroup(CPGroup.METADATA_CP_GROUP_NAME).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(metadata.members()).hasSize(3).noneMatch(member -> member.getUuid().equals(seat));
    // The others still vote everywhere.
    assertThat(new CpVoting(members.get(1), 3).missing()).isNull();
  }

  @Test
  void without_cp_members_there_is_nothing_to_wait_for() {
    assertThat(new CpVoting(null, 0).missing()).isNull();
  }

  private List<NodeConfig.Cluster> settings(int count) {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < count * 2; i++) {
      ports.add(freePort());
    }
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      addresses.add("127.0.0.1:" + ports.get(i));
    }
    // A name of its own: no member left behind by another test in this JVM can merge with these.
    String name = "cp-voting-" + UUID.randomUUID().toString().substring(0, 8);
    List<NodeConfig.Cluster> settings = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonObject json = TestNodes.json("ina").put("dataDir", "instance-" + i);
      json.put("cluster", new JsonObject().put("name", name).put("members", String.join(",", addresses))
          .put("host", "127.0.0.1").put("port", ports.get(i)).put("eventBusPort", ports.get(count + i))
          .put("cpMembers", 3));
      settings.add(new ConfigLoader(n -> null).fromJson(json, dir).cluster().orElseThrow());
    }
    return settings;
  }
}
