package jp.tsunagu.node.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.keys.NodeKeys;
import jp.tsunagu.node.storage.Database;

/**
 * Instances of one node in this JVM for the cluster's tests: each with its own database file, Hazelcast member
 * and clustered Vert.x over TLS, all with the node's one identity (the first config's keys). Closed all at once
 * (see {@link #stopMembers}).
 */
final class InProcessInstances implements AutoCloseable {

  /** One instance: its database, its clustered Vert.x and its part of the cluster. */
  record Instance(Database database, Vertx vertx, ClusterInstance cluster) {}

  private final List<Instance> instances = new ArrayList<>();
  private final List<HazelcastClusterManager> managers = new ArrayList<>();
  private final List<Future<Vertx>> joining = new ArrayList<>();

  /** The instances in the order started, the same list for the fixture's life (emptied by {@link #stopMembers}). */
  List<Instance> all() {
    return instances;
  }

  HazelcastClusterManager manager(int index) {
    return managers.get(index);
  }

  /**
   * Starts an instance for each of {@code configs}, their members joining together; {@code fresh}: the tables of
   * a feature added after the cluster's code ({@link ReplicationTest#FUTURE_FEATURE}) are created on each database
   * first. Does not wait for a leader.
   */
  void startAll(List<NodeConfig> configs, boolean fresh) throws Exception {
    NodeKeys keys = NodeKeys.loadOrCreate(configs.get(0));
    for (NodeConfig config : configs) {
      HazelcastClusterManager manager = new NodeClusterManager(
          ClusterOptions.hazelcast(config.cluster().orElseThrow()));
      managers.add(manager);
      joining.add(clustered(config, manager, keys));
    }
    Future.all(joining).await(120, TimeUnit.SECONDS);
    for (int i = 0; i < configs.size(); i++) {
      Database database = Database.open(configs.get(i).databaseFile(), configs.get(i).storage());
      if (fresh) {
        database.submitWrite(c -> {
          ReplicaDumps.execute(c, ReplicationTest.FUTURE_FEATURE);
          return null;
        }).get();
      }
      Vertx vertx = joining.get(i).result();
      ClusterInstance cluster = ClusterInstance.start(vertx, managers.get(i), configs.get(i).cluster().orElseThrow(),
          database, token -> { }, () -> { }).await(30, TimeUnit.SECONDS);
      instances.add(new Instance(database, vertx, cluster));
    }
  }

  /**
   * Starts the instance of {@code config} in place {@code index} (again, on the database file it kept), or as one
   * more when {@code index} is the number started so far.
   */
  Instance startAt(NodeConfig config, int index, NodeKeys keys) throws Exception {
    NodeConfig.Cluster cluster = config.cluster().orElseThrow();
    HazelcastClusterManager manager = new NodeClusterManager(ClusterOptions.hazelcast(cluster));
    Future<Vertx> vertx = clustered(config, manager, keys);
    put(managers, index, manager);
    put(joining, index, vertx);
    vertx.await(120, TimeUnit.SECONDS);
    Database database = Database.open(config.databaseFile(), config.storage());
    ClusterInstance instance = ClusterInstance.start(vertx.result(), manager, cluster, database, token -> { },
        () -> { }).await(60, TimeUnit.SECONDS);
    Instance started = new Instance(database, vertx.result(), instance);
    put(instances, index, started);
    return started;
  }

  /** The instance that leads now (one must). */
  Instance leader() {
    return instances.stream().filter(Objects::nonNull).filter(i -> i.cluster().isLeader()).findFirst()
        .orElseThrow();
  }

  /** Waits until exactly one instance leads. */
  void awaitOneLeader() throws InterruptedException {
    ClusterTestSupport.waitFor(() -> instances.stream().filter(Objects::nonNull)
        .filter(i -> i.cluster().isLeader()).count() == 1);
  }

  /** The last batch the instance's database holds. */
  static long position(Instance instance) {
    try {
      return instance.database().submitRead(ReplicationPosition::of).get().batchId();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every member at once, without goodbye (a power cut); the database files stay. One by one, the last two would
   * each wait for the CP group that lost its majority when the first left (a graceful leave is for production,
   * not for a test's end).
   */
  void stopMembers() {
    managers.stream().filter(manager -> manager != null && manager.getHazelcastInstance() != null)
        .forEach(manager -> manager.getHazelcastInstance().getLifecycleService().terminate());
    for (Future<Vertx> vertx : joining) {
      if (vertx != null && vertx.succeeded()) {
        try {
          vertx.result().close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          // its cluster manager is gone already; what matters is that the listeners are closed
        }
      }
    }
    instances.stream().filter(Objects::nonNull).forEach(instance -> instance.database().close());
    instances.clear();
    managers.clear();
    joining.clear();
  }

  @Override
  public void close() {
    instances.stream().filter(Objects::nonNull).forEach(instance -> instance.cluster().close());
    stopMembers();
  }

  private static Future<Vertx> clustered(NodeConfig config, HazelcastClusterManager manager, NodeKeys keys) {
    return Vertx.builder().with(ClusterOptions.vertx(config.cluster().orElseThrow(),
        keys.identity().tlsCertificatePem(), keys.identity().tlsPrivateKeyPem())).withClusterManager(manager)
        .buildClustered();
  }

  private static <T> void put(List<T> list, int index, T value) {
    if (index == list.size()) {
      list.add(value);
    } else {
      list.set(index, value);
    }
  }
}
