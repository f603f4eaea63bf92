package jp.tsunagu.node.cluster;

import com.hazelcast.core.Hazelcast;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import io.vertx.core.json.JsonObject;
import java.util.stream.Collectors;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.keys.NodeKeys;
import jp.tsunagu.node.testing.TestNodes;

/**
 * What the cluster tests share: the instances' configurations, one node identity for every instance,
 * copying a stopped instance's data directory, waiting for a state, stopping every member at once.
 */
final class ClusterTestSupport {

  private ClusterTestSupport() {}

  /** Copies a stopped instance's directory, so that every instance starts from the same database. */
  static void copy(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  /** Waits up to 90 s for {@code condition}, looking every 200 ms. */
  static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 90 s");
      }
      Thread.sleep(200);
    }
  }

  /** Makes the node's keys in the first instance's directories and gives every other instance the same. */
  static void shareIdentity(List<NodeConfig> configs) throws IOException {
    NodeKeys.loadOrCreate(configs.get(0));
    for (NodeConfig config : configs.subList(1, configs.size())) {
      copy(configs.get(0).identityDir(), config.identityDir());
      copy(configs.get(0).userCaDir(), config.userCaDir());
    }
  }

  /**
   * A cluster name of the test's own: Hazelcast members left running in this JVM by an earlier test
   * (a start that failed, a member whose graceful leave still waits) keep looking for the members they
   * were given every few seconds to merge with them, and a port of theirs that a later test is handed
   * again would be found. Under another name they are refused instead of merged into its cluster.
   */
  static String clusterName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Starts the nodes of {@code configs} at once, a thread each (an instance's start waits for the CP
   * group, which needs the others started too: a shared pool with fewer threads than instances never
   * starts the last ones), and adds each node that started to {@code started}, also when another
   * failed, so that the test's end stops every member it made.
   */
  static void startAll(List<NodeConfig> configs, List<TsunaguNode> started) throws Exception {
    ExecutorService starters = Executors.newFixedThreadPool(configs.size());
    List<CompletableFuture<TsunaguNode>> starting = new ArrayList<>();
    for (NodeConfig config : configs) {
      starting.add(CompletableFuture.supplyAsync(() -> TsunaguNode.start(config), starters));
    }
    starters.shutdown();
    // Every instance's failure is kept: when one cannot start (a port taken meanwhile), the others fail
    // waiting for the CP group ("did not form within 120 s"), and the first of those alone hides why.
    IllegalStateException failed = null;
    for (int i = 0; i < starting.size(); i++) {
      try {
        started.add(starting.get(i).get(420, TimeUnit.SECONDS));
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        if (failed == null) {
          failed = new IllegalStateException("instances did not start; Hazelcast members running in this JVM: "
              + runningMembers());
        }
        failed.addSuppressed(new IllegalStateException("instance " + i, e.getCause() == null ? e : e.getCause()));
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  /** The Hazelcast members running in this JVM, by instance and cluster name, for a failure's message. */
  static String runningMembers() {
    return Hazelcast.getAllHazelcastInstances().stream().filter(h -> h.getLifecycleService().isRunning())
        .map(h -> h.getName() + " (" + h.getConfig().getClusterName() + ", " + h.getCluster().getMembers().size()
            + " members)")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /**
   * Stops every instance at once: one by one, the last ones would wait for a CP group without its
   * majority. A node that cannot close (stopped already, or alone with no member to leave to) is left.
   */
  static void stopAll(List<TsunaguNode> nodes) {
    nodes.forEach(node -> node.cluster().ifPresent(ClusterInstance::close));
    nodes.forEach(node -> node.cluster().ifPresent(c -> c.members().getHazelcastInstance().getLifecycleService()
        .terminate()));
    for (TsunaguNode node : nodes) {
      try {
        node.close();
      } catch (RuntimeException e) {
        // the others have left already; a member cannot leave gracefully alone
      }
    }
  }

  /**
   * The configurations of {@code count} instances of the node 伊那 on loopback that partners do not
   * reach (the federation listener as {@link TestNodes} makes it): cluster and event bus ports free on
   * loopback, a data directory each under {@code dir}, a cluster name of their own made from
   * {@code prefix} ({@link #clusterName}); {@code settings} adds to each instance's {@code cluster}
   * object (sync replicas, CP members, batches kept).
   */
  static List<NodeConfig> clusterOf(Path dir, String prefix, int count, Consumer<JsonObject> settings)
      throws IOException {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < count * 2; i++) {
      ports.add(jp.tsunagu.node.testing.TestPorts.freePort());
    }
    List<String> members = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      members.add("127.0.0.1:" + ports.get(i));
    }
    String name = clusterName(prefix);
    List<NodeConfig> configs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonObject cluster = new JsonObject().put("name", name).put("members", String.join(",", members))
          .put("host", "127.0.0.1").put("port", ports.get(i)).put("eventBusPort", ports.get(count + i));
      settings.accept(cluster);
      JsonObject json = TestNodes.json("ina").put("dataDir", "instance-" + i).put("cluster", cluster);
      NodeConfig config = new ConfigLoader(n -> null).fromJson(json, dir);
      Files.createDirectories(config.dataDir());
      configs.add(config);
    }
    return configs;
  }

  /**
   * The configurations of {@code count} instances of the node 伊那 on loopback, as the cluster tests
   * make them: of {@code ports}, the first {@code count} are the instances' cluster ports, the next
   * {@code count} their event bus ports, the next {@code count} their federation listeners; each has
   * its own data directory under {@code dir}. Partners know the node by {@code federationEndpoint}
   * (a proxy's, or an address nothing listens on); {@code more} adds to each instance's configuration
   * before it is loaded (its {@code cluster} object is there already).
   */
  static List<NodeConfig> instances(Path dir, String clusterName, int count, List<Integer> ports,
      String federationEndpoint, boolean demo, Consumer<JsonObject> more) throws IOException {
    List<String> members = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      members.add("127.0.0.1:" + ports.get(i));
    }
    List<NodeConfig> configs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonObject json = TestNodes.json("ina").put("dataDir", "instance-" + i);
      json.getJsonObject("federation").put("port", ports.get(2 * count + i)).put("endpoint", federationEndpoint);
      json.put("cluster", new JsonObject().put("name", clusterName).put("members", String.join(",", members))
          .put("host", "127.0.0.1").put("port", ports.get(i)).put("eventBusPort", ports.get(count + i)));
      more.accept(json);
      NodeConfig loaded = new ConfigLoader(name -> null).fromJson(json, dir);
      NodeConfig config = demo ? loaded.asDemo() : loaded;
      Files.createDirectories(config.dataDir());
      configs.add(config);
    }
    return configs;
  }
}
