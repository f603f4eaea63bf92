package jp.tsunagu.node.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.CPGroup;
import com.hazelcast.cp.CPSubsystemManagementService;
import com.hazelcast.cp.IAtomicLong;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.testing.TestNodes;

/**
 * A bare Hazelcast member with a node's cluster settings ({@link ClusterOptions#hazelcast}), in a JVM of
 * its own so that a test can pause it ({@code SIGSTOP}) as a machine hangs. Once the CP subsystem has
 * formed it prints {@code ready}, then twice a second whether both CP groups the node uses answer (a
 * write in the default group, where the writer's lock lives, and a linearizable read of the METADATA
 * group) and how many members it sees: {@code cp ok members 2} or {@code cp failed members 1}.
 *
 * <p>Arguments: the cluster's name, this member's port, the members ({@code host:port,...}), a port for the
 * event bus the settings name (not opened here).
 */
final class CpMemberProcess {

  private static final long ASK_MILLIS = 1_500;

  private CpMemberProcess() {}

  public static void main(String[] args) throws Exception {
    String name = args[0];
    int port = Integer.parseInt(args[1]);
    JsonObject json = TestNodes.json("ina").put("dataDir", "member-" + port);
    json.put("cluster", new JsonObject().put("name", name).put("members", args[2]).put("host", "127.0.0.1")
        .put("port", port).put("eventBusPort", Integer.parseInt(args[3])).put("cpMembers", 3));
    NodeConfig.Cluster cluster = new ConfigLoader(key -> null).fromJson(json, Path.of(".")).cluster().orElseThrow();
    HazelcastInstance member = Hazelcast.newHazelcastInstance(ClusterOptions.hazelcast(cluster));
    CPSubsystemManagementService cp = member.getCPSubsystem().getCPSubsystemManagementService();
    if (!cp.awaitUntilDiscoveryCompleted(240, TimeUnit.SECONDS)) {
      System.out.println("no CP subsystem");
      System.exit(2);
    }
    IAtomicLong probe = CpProxies.once(() -> member.getCPSubsystem().getAtomicLong("probe"));
    System.out.println("ready");
    while (true) {
      boolean answered;
      try {
        probe.incrementAndGetAsync().toCompletableFuture().get(ASK_MILLIS, TimeUnit.MILLISECONDS);
        cp.getCPGroup(CPGroup.METADATA_CP_GROUP_NAME).toCompletableFuture().get(ASK_MILLIS, TimeUnit.MILLISECONDS);
        answered = true;
      } catch (Exception e) {
        answered = false;
      }
      System.out.println((answered ? "cp ok" : "cp failed") + " members " + member.getCluster().getMembers().size());
      Thread.sleep(500);
    }
  }
}
