package jp.tsunagu.node.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.CPGroup;
import com.hazelcast.cp.session.CPSession;
import com.hazelcast.cp.session.CPSessionManagementService;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.NodeConfig;

/**
 * Three instances of 伊那 in this JVM for tests outside this package (team sync's signer), and the ways the
 * leadership moves among them that those tests drive: a leader demoted while it runs (its CP session closed,
 * as when it was paused or cut off past its session), a leader cut off from its followers (the batches it
 * ships never reach them), and a leader that dies (its member terminated, no goodbye).
 */
public final class LeaderMoves {

  private LeaderMoves() {}

  /**
   * Starts three instances whose federation listeners partners reach (the first one's is the node's
   * endpoint: a partner's write reaching a follower is played on the leader), each added to {@code started}.
   */
  public static void startThree(Path dir, List<TsunaguNode> started) throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      ports.add(jp.tsunagu.node.testing.TestPorts.freePort());
    }
    List<NodeConfig> configs = ClusterTestSupport.instances(dir, ClusterTestSupport.clusterName("ina-signing"), 3,
        ports, "https://127.0.0.1:" + ports.get(6), true, json -> { });
    ClusterTestSupport.shareIdentity(configs);
    ClusterTestSupport.startAll(configs, started);
  }

  /** Stops every instance at once. */
  public static void stopAll(List<TsunaguNode> nodes) {
    ClusterTestSupport.stopAll(nodes);
  }

  /** The one instance that leads, once exactly one does (waits up to 90 s). */
  public static TsunaguNode leaderOf(List<TsunaguNode> nodes) throws InterruptedException {
    ClusterTestSupport.waitFor(() -> nodes.stream().filter(LeaderMoves::leads).count() == 1);
    return nodes.stream().filter(LeaderMoves::leads).findFirst().orElseThrow();
  }

  public static boolean leads(TsunaguNode node) {
    return node.cluster().orElseThrow().isLeader();
  }

  /**
   * Closes the CP sessions of {@code leader}'s member: its lock is free at once, as when the leader was paused
   * or cut off past its session, and an instance waiting for the lock takes it. The instance itself runs on
   * and finds, at its next check, that it no longer holds the lock.
   */
  public static void demote(TsunaguNode leader) throws Exception {
    HazelcastInstance hazelcast = leader.cluster().orElseThrow().members().getHazelcastInstance();
    Address own = hazelcast.getCluster().getLocalMember().getAddress();
    CPSessionManagementService sessions = hazelcast.getCPSubsystem().getCPSessionManagementService();
    for (CPSession session : sessions.getAllSessions(CPGroup.DEFAULT_GROUP_NAME).toCompletableFuture()
        .get(30, TimeUnit.SECONDS)) {
      if (session.endpoint().equals(own)) {
        sessions.forceCloseSession(CPGroup.DEFAULT_GROUP_NAME, session.id()).toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Demotes the leader until {@code wanted} leads ({@code true}) or until another instance than {@code node}
   * leads while {@code node} follows ({@code false}); returns the leader then.
   */
  public static TsunaguNode moveUntil(List<TsunaguNode> nodes, TsunaguNode node, boolean wanted) throws Exception {
    for (int tries = 0; tries < 10; tries++) {
      TsunaguNode leader = leaderOf(nodes);
      if ((leader == node) == wanted) {
        return leader;
      }
      demote(leader);
      ClusterTestSupport.waitFor(() -> !leads(leader));
    }
    throw new AssertionError("the leadership did not move as wanted in 10 demotions");
  }

  /** Cuts {@code leader} off from its followers' batches until the returned handle is closed. */
  public static AutoCloseable cutOff(TsunaguNode leader) {
    String batches = "tsunagu.cluster." + leader.cluster().orElseThrow().clusterName() + ".apply.";
    Handler<DeliveryContext<Object>> cutOff = delivery -> {
      if (!delivery.message().address().startsWith(batches)) {
        delivery.next();
      }
    };
    leader.vertx().eventBus().addOutboundInterceptor(cutOff);
    return () -> leader.vertx().eventBus().removeOutboundInterceptor(cutOff);
  }

  /** The instance dies: its member terminated without a goodbye, then what is left of it closed. */
  public static void kill(TsunaguNode instance) {
    instance.cluster().orElseThrow().members().getHazelcastInstance().getLifecycleService().terminate();
    instance.cluster().orElseThrow().close();
    try {
      instance.close();
    } catch (RuntimeException e) {
      // its member is gone already
    }
  }
}
