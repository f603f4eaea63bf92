package jp.tsunagu.node.cluster;

import static jp.tsunagu.node.cluster.ClusterTestSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.keys.NodeKeys;
import jp.tsunagu.node.storage.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instances that cannot follow the leader by batches (new, diverged, or away while the leader
 * pruned the batches after their last one) start from the leader's online snapshot: two instances
 * of one node in this JVM, each with its own real SQLite file, Hazelcast member and clustered Vert.x
 * whose event bus runs mutual TLS with the node's certificate. Each ends with the leader's rows and
 * audit chain head; a snapshot whose chunk does not match its digest replaces nothing.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SnapshotBootstrapTest {

  private static final int KEEP = 3;

  @TempDir
  Path dir;

  private List<NodeConfig> configs;
  private NodeKeys keys;
  private final Running[] running = new Running[2];

  /** One started instance: its member, its Vert.x, its database and (once joined) its part of the cluster. */
  private static final class Running {
    HazelcastClusterManager manager;
    Vertx vertx;
    Database database;
    ClusterInstance cluster;
  }

  @AfterEach
  void stop() {
    for (int i = 0; i < running.length; i++) {
      leave(i);
    }
  }

  @Test
  void a_new_empty_instance_joins_from_a_snapshot_while_the_leader_writes_and_ends_identical() throws Exception {
    setUp();
    Running a = start(0, true);
    waitFor(() -> a.cluster.isLeader());
    writeAudited(a, 0, 20);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger during = new AtomicInteger();
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      while (writing.get()) {
        int n = during.incrementAndGet();
        write(a, "written while the snapshot is taken " + n);
      }
    });
    try {
      long before = position(a.database);
      Running b = join(1, UnaryOperator.identity());
      long snapshotAt = position(b.database);
      assertThat(snapshotAt).isGreaterThanOrEqualTo(before);
      assertThat(b.database.submitRead(BatchChain::diverged).get()).isNull();
      startCluster(1);
      // Writes went on during the copy and after it; the new instance gets them by batches.
      waitFor(() -> position(a.database) > snapshotAt + 3);
    } finally {
      writing.set(false);
      writer.get(30, TimeUnit.SECONDS);
    }
    Running b = running[1];
    assertThat(during.get()).isGreaterThan(3);
    assertIdentical(a, b);
    assertThat(Files.list(dir.resolve("instance-1")).map(p -> p.getFileName().toString()))
        .noneMatch(name -> name.contains(".part") || name.contains("before-snapshot"));

    // The status names each instance's state and lag, on the leader and on the follower alike.
    waitFor(() -> states(a).equals(List.of("leader", "follower")) && states(b).equals(List.of("leader", "follower")));
    JsonObject status = a.cluster.status().await(10, TimeUnit.SECONDS);
    assertThat(status.getString("state")).isEqualTo("leader");
    assertThat(status.getLong("token")).isEqualTo(a.cluster.token());
    waitFor(() -> instance(a, b).getLong("lag", -1L) == 0);
  }

  @Test
  void a_snapshot_with_a_corrupted_chunk_is_refused_and_replaces_nothing() throws Exception {
    setUp();
    Running a = start(0, true);
    waitFor(() -> a.cluster.isLeader());
    writeAudited(a, 0, 10);
    Running b = member(1);
    b.database = Database.open(configs.get(1).databaseFile(), configs.get(1).storage());
    b.database.submitWrite(c -> {
      ReplicaDumps.execute(c, ReplicationTest.FUTURE_FEATURE);
      return null;
    }).get();
    write(b.database, "a row of this instance alone");
    var own = b.database.submitRead(ReplicaDumps::dump).get();

    SnapshotBootstrap corrupting = new SnapshotBootstrap(b.vertx, b.manager, configs.get(1).cluster().orElseThrow(),
        configs.get(1).storage(), bytes -> {
          byte[] altered = bytes.clone();
          altered[altered.length / 2] ^= 1;
          return altered;
        });
    // Its database has rows but no batch, as a node's database before it was clustered: it is new to the cluster.
    assertThatThrownBy(() -> corrupting.run(configs.get(1).databaseFile(), b.database))
        .isInstanceOf(CodedException.class).extracting(e -> ((CodedException) e).code())
        .isEqualTo("cluster.snapshot_corrupt");

    assertThat(b.database.submitRead(ReplicaDumps::dump).get()).isEqualTo(own);
    assertThat(Files.list(dir.resolve("instance-1")).map(p -> p.getFileName().toString()))
        .noneMatch(name -> name.contains(".part") || name.contains("before-snapshot"));
    // The leader removed its copy once told, refused or not.
    waitFor(() -> snapshotsLeftOnLeader() == 0);

    // The same instance, given the snapshot as sent, starts from it.
    b.database = new SnapshotBootstrap(b.vertx, b.manager, configs.get(1).cluster().orElseThrow(),
        configs.get(1).storage(), UnaryOperator.identity()).run(configs.get(1).databaseFile(), b.database);
    startCluster(1);
    assertIdentical(a, b);
  }

  @Test
  void an_instance_away_while_batches_were_pruned_or_marked_diverged_is_rebuilt_and_serves() throws Exception {
    setUp();
    Running a = start(0, true);
    waitFor(() -> a.cluster.isLeader());
    start(1, true);
    writeAudited(a, 0, 10);
    long synced = position(a.database);
    waitFor(() -> position(running[1].database) == synced);

    // Both present and level: the leader keeps the last KEEP batches, nothing a follower needs is gone.
    waitFor(() -> done(a.cluster.pruneBatches()) >= 0 && kept(a.database) == KEEP);
    assertThat(oldestKept(a.database)).isEqualTo(synced - KEEP + 1);

    // The follower goes away; the leader writes on and prunes the batches after the follower's last.
    leave(1);
    writeAudited(a, 10, 20);
    // Once the leader's member list no longer holds it (a few seconds without heartbeat).
    waitFor(() -> done(a.cluster.pruneBatches()) >= 0 && kept(a.database) == KEEP);
    assertThat(oldestKept(a.database)).isGreaterThan(synced + 1);

    Running b = join(1, UnaryOperator.identity());
    assertThat(position(b.database)).isEqualTo(position(a.database));
    startCluster(1);
    writeAudited(a, 20, 25);
    assertIdentical(a, b);

    // Marked diverged (as a deposed leader's database is): it applies nothing and says so in the status.
    b.database.submitWrite(c -> BatchChain.markDiverged(c, "a test marks it")).get();
    waitFor(() -> states(a).equals(List.of("leader", "diverged")));
    assertThat(b.cluster.readiness(b.vertx).await(10, TimeUnit.SECONDS).ready()).isFalse();

    // Restarted, it starts from the leader's snapshot, follows and is ready again.
    leave(1);
    writeAudited(a, 25, 30);
    Running rebuilt = join(1, UnaryOperator.identity());
    assertThat(rebuilt.database.submitRead(BatchChain::diverged).get()).isNull();
    startCluster(1);
    writeAudited(a, 30, 35);
    assertIdentical(a, rebuilt);
    waitFor(() -> done(rebuilt.cluster.readiness(rebuilt.vertx)).ready());
    waitFor(() -> states(a).equals(List.of("leader", "follower")));
  }

  @Test
  void the_operator_s_resync_at_start_replaces_even_a_database_that_could_follow() throws Exception {
    setUp();
    Running a = start(0, true);
    waitFor(() -> a.cluster.isLeader());
    start(1, true);
    writeAudited(a, 0, 5);
    long synced = position(a.database);
    waitFor(() -> position(running[1].database) == synced);
    leave(1);

    // Without the setting, a database level with the leader's is kept as it is.
    Running b = member(1);
    Database kept = Database.open(configs.get(1).databaseFile(), configs.get(1).storage());
    NodeConfig.Cluster settings = configs.get(1).cluster().orElseThrow();
    assertThat(new SnapshotBootstrap(b.vertx, b.manager, settings, configs.get(1).storage(), UnaryOperator.identity())
        .run(configs.get(1).databaseFile(), kept)).isSameAs(kept);
    NodeConfig.Cluster resync = new NodeConfig.Cluster(settings.name(), settings.members(), settings.host(),
        settings.port(), settings.eventBusPort(), settings.syncReplicas(), settings.cpMembers(),
        settings.maxReadyLag(), settings.keepBatches(), true);
    b.database = new SnapshotBootstrap(b.vertx, b.manager, resync, configs.get(1).storage(), UnaryOperator.identity())
        .run(configs.get(1).databaseFile(), kept);
    assertThat(b.database).isNotSameAs(kept);
    startCluster(1);
    writeAudited(a, 5, 8);
    assertIdentical(a, b);
  }

  private void setUp() throws IOException {
    configs = configs(2);
    keys = NodeKeys.loadOrCreate(configs.get(0));
  }

  /** Joins the cluster and starts replication on an existing or fresh database, without the snapshot step. */
  private Running start(int i, boolean fresh) throws Exception {
    Running r = member(i);
    r.database = Database.open(configs.get(i).databaseFile(), configs.get(i).storage());
    if (fresh) {
      r.database.submitWrite(c -> {
        ReplicaDumps.execute(c, ReplicationTest.FUTURE_FEATURE);
        return null;
      }).get();
    }
    return startCluster(i);
  }

  /** Joins the cluster and takes the snapshot step as a node's start does, on the database file as it is. */
  private Running join(int i, UnaryOperator<byte[]> received) {
    Running r = member(i);
    Database opened = Database.open(configs.get(i).databaseFile(), configs.get(i).storage());
    r.database = new SnapshotBootstrap(r.vertx, r.manager, configs.get(i).cluster().orElseThrow(),
        configs.get(i).storage(), received).run(configs.get(i).databaseFile(), opened);
    return r;
  }

  private Running member(int i) {
    NodeConfig.Cluster cluster = configs.get(i).cluster().orElseThrow();
    Running r = new Running();
    r.manager = new HazelcastClusterManager(ClusterOptions.hazelcast(cluster));
    r.vertx = done(Vertx.builder().with(ClusterOptions.vertx(cluster, keys.identity().tlsCertificatePem(),
        keys.identity().tlsPrivateKeyPem())).withClusterManager(r.manager).buildClustered());
    running[i] = r;
    return r;
  }

  private Running startCluster(int i) throws Exception {
    Running r = running[i];
    r.cluster = ClusterInstance.start(r.vertx, r.manager, configs.get(i).cluster().orElseThrow(), r.database,
        token -> { }, () -> { }).await(30, TimeUnit.SECONDS);
    return r;
  }

  /** The instance goes away without goodbye; its database file stays. */
  private void leave(int i) {
    Running r = running[i];
    if (r == null) {
      return;
    }
    running[i] = null;
    if (r.cluster != null) {
      r.cluster.close();
    }
    if (r.manager.getHazelcastInstance() != null) {
      r.manager.getHazelcastInstance().getLifecycleService().terminate();
    }
    try {
      r.vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // its cluster manager is gone already; what matters is that the listeners are closed
    }
    if (r.database != null) {
      r.database.close();
    }
  }

  private void assertIdentical(Running leader, Running follower) throws Exception {
    long written = position(leader.database);
    waitFor(() -> position(follower.database) == written);
    assertThat(follower.database.submitRead(ReplicaDumps::dump).get())
        .isEqualTo(leader.database.submitRead(ReplicaDumps::dump).get());
    assertThat(follower.database.submitRead(AuditLog::lastRow).get())
        .isEqualTo(leader.database.submitRead(AuditLog::lastRow).get());
    assertThat(follower.database.submitRead(BatchChain::head).get())
        .isEqualTo(leader.database.submitRead(BatchChain::head).get());
  }

  private static void writeAudited(Running leader, int from, int to) throws Exception {
    AuditLog audit = new AuditLog(leader.database, Clock.systemUTC());
    for (int i = from; i < to; i++) {
      audit.record(AuditEvent.success("user-" + i, "care.post_created", "board/" + i, new JsonObject().put("n", i)))
          .await(30, TimeUnit.SECONDS);
      write(leader.database, "訪問 " + i);
    }
  }

  private static void write(Running leader, String body) {
    try {
      write(leader.database, body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(Database database, String body) throws Exception {
    database.submitWrite(c -> {
      ReplicaDumps.execute(c, "insert into future_notes (body) values ('" + body + "')");
      return null;
    }).get(30, TimeUnit.SECONDS);
  }

  private static List<String> states(Running asked) {
    JsonArray instances = asked.cluster.status().await().getJsonArray("instances");
    return instances.stream().map(i -> (JsonObject) i)
        .sorted((x, y) -> Boolean.compare(!"leader".equals(x.getString("state")), !"leader".equals(y.getString("state"))))
        .map(i -> i.getString("state")).toList();
  }

  private static JsonObject instance(Running asked, Running about) {
    return asked.cluster.status().await().getJsonArray("instances").stream().map(i -> (JsonObject) i)
        .filter(i -> i.getString("node").equals(about.cluster.nodeId())).findFirst().orElseThrow();
  }

  private long snapshotsLeftOnLeader() {
    try (var files = Files.list(dir.resolve("instance-0").resolve("cluster-snapshots"))) {
      return files.count();
    } catch (IOException e) {
      return -1;
    }
  }

  private static long kept(Database database) {
    return done(database.read(c -> count(c, "select count(*) from cluster_batches")));
  }

  private static <T> T done(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long oldestKept(Database database) throws Exception {
    return database.submitRead(c -> count(c, "select min(batch_id) from cluster_batches")).get();
  }

  private static long count(java.sql.Connection c, String sql) throws java.sql.SQLException {
    try (var statement = c.createStatement(); var rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long position(Database database) {
    try {
      return database.submitRead(ReplicationPosition::of).get().batchId();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<NodeConfig> configs(int count) throws IOException {
    // No follower needs to confirm a write: the leader writes on while the other instance is away.
    return ClusterTestSupport.clusterOf(dir, "ina-snapshot", count,
        cluster -> cluster.put("syncReplicas", 0).put("cpMembers", 0).put("keepBatches", KEEP));
  }
}
