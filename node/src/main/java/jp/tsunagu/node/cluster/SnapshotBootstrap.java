package jp.tsunagu.node.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import jp.tsunagu.federation.audit.AuditChainVerifier;
import jp.tsunagu.federation.audit.AuditCheckpoint;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before an instance takes part in replication, it makes sure its database can follow the leader's
 * by batches; when it cannot, it replaces it by an online snapshot of the leader's and then follows
 * from the snapshot's batch. An instance starts from a snapshot when its database is new (no batch
 * yet while the leader has some), marked diverged, holds a batch the leader does not keep (the
 * leader pruned past it, or never had it), holds another history (its last batch has another
 * digest at the leader), or when the operator asks with {@code cluster.resyncAtStart}.
 *
 * <p>The copy arrives in chunks over the clustered event bus, each checked against its SHA-256 and
 * the whole against the leader's, into a file beside the database. Only then is the database closed,
 * its files moved aside, and the copy moved in its place; the old files are removed once the new one
 * opens at the snapshot's batch with an intact audit chain, and moved back otherwise (the instance's
 * audit checkpoint, which signed the old database, goes with them). A copy that
 * fails its digest replaces nothing. It runs at start, before the node's features use the database,
 * which is why it is a blocking step of its own rather than a part of {@link ClusterInstance}.
 */
public final class SnapshotBootstrap {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotBootstrap.class);
  private static final long ASK_MILLIS = 10_000;
  /** Making the copy reads the whole database once: a large one takes a while. */
  private static final long PREPARE_MILLIS = 10 * 60_000;
  private static final String[] SIDE_FILES = {"", "-wal", "-shm"};

  private final Vertx vertx;
  private final HazelcastClusterManager members;
  private final NodeConfig.Cluster settings;
  private final NodeConfig.Storage storage;
  private final UnaryOperator<byte[]> received;

  SnapshotBootstrap(Vertx vertx, HazelcastClusterManager members, NodeConfig.Cluster settings,
      NodeConfig.Storage storage, UnaryOperator<byte[]> received) {
    this.vertx = vertx;
    this.members = members;
    this.settings = settings;
    this.storage = storage;
    this.received = received;
  }

  /**
   * Returns {@code database} when it can follow the leader's by batches (or there is no leader to
   * compare with), else the database at {@code file} rebuilt from the leader's snapshot
   * ({@code database} is closed then). Blocks: called at start, off the event loop.
   */
  public static Database ifNeeded(Vertx vertx, HazelcastClusterManager members, NodeConfig.Cluster settings,
      NodeConfig.Storage storage, Path file, Database database) {
    return new SnapshotBootstrap(vertx, members, settings, storage, UnaryOperator.identity())
        .run(file, database);
  }

  Database run(Path file, Database database) {
    HazelcastInstance hazelcast = members.getHazelcastInstance();
    String self = members.getNodeId();
    InstanceStates.say(hazelcast, self, InstanceStates.JOINING);
    String leader = ClusterInstance.leaderNode(hazelcast);
    List<String> present = members.getNodes();
    if (leader == null || leader.equals(self) || !present.contains(leader)) {
      if (settings.resyncAtStart()) {
        LOG.warn("cluster.resyncAtStart is on but no leader is present to copy from: starting with this database");
      }
      return database;
    }
    Object[] own = await(database.read(c -> new Object[] {ReplicationPosition.of(c).batchId(), BatchChain.head(c),
        BatchChain.diverged(c)}), ASK_MILLIS);
    long batchId = (Long) own[0];
    JsonObject leaders;
    try {
      leaders = request(leader, "state", new JsonObject().put("batchId", batchId), ASK_MILLIS);
    } catch (RuntimeException e) {
      LOG.warn("could not ask the leader where it stands; starting with this database: {}", e.getMessage());
      return database;
    }
    String why = reason(batchId, (String) own[1], (String) own[2], leaders);
    if (why == null) {
      return database;
    }
    LOG.warn("this instance starts from a snapshot of the leader {}: {}", leader, why);
    InstanceStates.say(hazelcast, self, InstanceStates.BOOTSTRAPPING);
    return replace(file, database, leader, self);
  }

  /** Why this database cannot follow the leader's by batches, or null when it can. */
  private String reason(long batchId, String head, String diverged, JsonObject leaders) {
    long leaderBatch = leaders.getLong("batchId", 0L);
    String digest = leaders.getString("digest");
    if (settings.resyncAtStart()) {
      return "cluster.resyncAtStart is on";
    }
    if (diverged != null) {
      return "this database is marked diverged (" + diverged + ")";
    }
    if (batchId == 0) {
      return leaderBatch == 0 ? null : "this database is new (no batch yet), the leader is at batch " + leaderBatch;
    }
    if (digest == null) {
      return "the leader does not keep batch " + batchId + ", this database's last (it keeps "
          + leaders.getLong("oldestKept", 0L) + " to " + leaderBatch + ")";
    }
    if (!digest.equals(head)) {
      return "batch " + batchId + " here is not the leader's batch " + batchId + ": another history";
    }
    return null;
  }

  private Database replace(Path file, Database database, String leader, String self) {
    JsonObject snapshot = request(leader, "prepare", new JsonObject().put("node", self), PREPARE_MILLIS);
    String id = snapshot.getString("id");
    long snapshotBatch = snapshot.getLong("batchId");
    if (!database.expectedSchemaVersion().equals(snapshot.getString("schemaVersion"))) {
      request(leader, "done", new JsonObject().put("id", id), ASK_MILLIS);
      throw new ReplicationRefused("cluster.schema_mismatch", "the leader's snapshot is at schema "
          + snapshot.getString("schemaVersion") + ", this build at " + database.expectedSchemaVersion()
          + ": run the same build on every instance");
    }
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
    Path part = file.resolveSibling(file.getFileName() + ".snapshot-" + stamp + ".part");
    try {
      download(leader, snapshot, part);
    } catch (RuntimeException | IOException e) {
      deleteQuietly(part);
      throw e instanceof RuntimeException runtime ? runtime : new ReplicationRefused("cluster.snapshot_failed",
          "the snapshot could not be written beside the database: " + e.getMessage());
    } finally {
      try {
        request(leader, "done", new JsonObject().put("id", id), ASK_MILLIS);
      } catch (RuntimeException e) {
        LOG.info("the leader will remove snapshot {} itself: {}", id, e.getMessage());
      }
    }
    database.close();
    Path aside = file.resolveSibling(file.getFileName() + ".before-snapshot-" + stamp);
    move(file, aside);
    try {
      Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      move(aside, file);
      throw new ReplicationRefused("cluster.snapshot_failed", "the snapshot could not take the database's place: "
          + e.getMessage());
    }
    Database fresh = null;
    try {
      fresh = Database.open(file, storage);
      check(fresh, snapshotBatch);
    } catch (RuntimeException e) {
      if (fresh != null) {
        fresh.close();
      }
      for (String suffix : SIDE_FILES) {
        deleteQuietly(Path.of(file + suffix));
      }
      move(aside, file);
      throw e;
    }
    for (String suffix : SIDE_FILES) {
      deleteQuietly(Path.of(aside + suffix));
    }
    // The instance's signed audit checkpoint covered the database just removed; kept, it would be
    // reported as a conflict with the leader's chain. The node signs the new head afresh at start.
    Path checkpoint = file.resolveSibling(AuditCheckpoint.FILE);
    if (Files.exists(checkpoint)) {
      deleteQuietly(checkpoint);
      LOG.info("removed {}: it signed the replaced database", checkpoint.getFileName());
    }
    LOG.info("this instance's database is now the leader's snapshot at batch {}; it follows from there", snapshotBatch);
    return fresh;
  }

  /** The new database must be at the snapshot's batch, not diverged, with an intact audit chain. */
  private static void check(Database fresh, long snapshotBatch) {
    String problem = await(fresh.read(c -> {
      long at = ReplicationPosition.of(c).batchId();
      if (at != snapshotBatch) {
        return "it is at batch " + at + ", the snapshot was announced at " + snapshotBatch;
      }
      if (BatchChain.diverged(c) != null) {
        return "it is marked diverged";
      }
      AuditChainVerifier.Result audit = AuditChainVerifier.verify(c);
      return audit.intact() ? null : "its audit chain is broken: " + audit.problem();
    }), PREPARE_MILLIS);
    if (problem != null) {
      throw new ReplicationRefused("cluster.snapshot_corrupt", "the snapshot opened but " + problem);
    }
  }

  private void download(String leader, JsonObject snapshot, Path part) throws IOException {
    String id = snapshot.getString("id");
    long size = snapshot.getLong("size");
    MessageDigest whole = sha256();
    long nextReport = 0;
    try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long offset = 0;
      while (offset < size) {
        JsonObject chunk = request(leader, "chunk", new JsonObject().put("id", id).put("offset", offset), ASK_MILLIS);
        byte[] bytes = received.apply(chunk.getBinary("data"));
        if (bytes.length == 0 || !SnapshotSource.sha256(bytes).equals(chunk.getString("sha256"))) {
          throw new ReplicationRefused("cluster.snapshot_corrupt", "chunk at byte " + offset + " of snapshot " + id
              + " does not match its SHA-256: nothing was replaced");
        }
        out.write(ByteBuffer.wrap(bytes), offset);
        whole.update(bytes);
        offset += bytes.length;
        if (offset >= nextReport || offset >= size) {
          LOG.info("snapshot {}: {} of {} bytes ({}%)", id, offset, size, size == 0 ? 100 : offset * 100 / size);
          nextReport = offset + Math.max(SnapshotSource.CHUNK_BYTES, size / 10);
        }
      }
      out.force(true);
    }
    if (!HexFormat.of().formatHex(whole.digest()).equals(snapshot.getString("sha256"))) {
      throw new ReplicationRefused("cluster.snapshot_corrupt", "snapshot " + id
          + " does not match the leader's SHA-256 of the whole: nothing was replaced");
    }
  }

  private JsonObject request(String leader, String what, JsonObject body, long millis) {
    Future<JsonObject> answer = vertx.eventBus().<JsonObject>request(SnapshotSource.address(settings.name()) + what
        + "." + leader, body, new DeliveryOptions().setSendTimeout(millis)).map(reply -> reply.body());
    try {
      return await(answer, millis + 1_000);
    } catch (ReplicationRefused e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ReplicationRefused("cluster.snapshot_failed", "the leader did not answer '" + what + "': "
          + e.getMessage());
    }
  }

  private static <T> T await(Future<T> future, long millis) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("no answer within " + millis + " ms", e);
    }
  }

  /** Moves the database's file and its WAL and shared-memory files, those that exist. */
  private static void move(Path from, Path to) {
    for (String suffix : SIDE_FILES) {
      Path source = Path.of(from + suffix);
      if (Files.exists(source)) {
        try {
          Files.move(source, Path.of(to + suffix), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          throw new ReplicationRefused("cluster.snapshot_failed", "could not move " + source + ": " + e.getMessage());
        }
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("could not remove {}: {}", file, e.getMessage());
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
