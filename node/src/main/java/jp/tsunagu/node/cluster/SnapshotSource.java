package jp.tsunagu.node.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import jp.tsunagu.node.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * The leader's side of a snapshot bootstrap ({@link SnapshotBootstrap}), on the clustered event bus
 * (mutual TLS): it tells an instance where the leader stands (its last batch, the oldest batch it
 * still keeps, its digest of the instance's last batch), makes a consistent online copy of its
 * database, and hands the copy out in chunks, each with its SHA-256, the whole with its own.
 *
 * <p>The copy is made like an online backup: SQLite's backup API on a connection of its own, all
 * pages in one step. In WAL mode that step reads one snapshot while the writer goes on committing
 * (a step-by-step copy would restart at every commit and, under steady writes, never finish). The
 * batch number the copy contains is read from the copy itself, so it is exactly the batch its rows
 * are at: the instance applies the batches after it. Copies live beside the database in
 * {@code cluster-snapshots/} until the instance says it is done, or for an hour at most.
 */
final class SnapshotSource {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotSource.class);
  static final int CHUNK_BYTES = 512 * 1024;
  private static final Duration ABANDONED = Duration.ofHours(1);

  private final Vertx vertx;
  private final Database database;
  private final String prefix;
  private final String self;
  private final BooleanSupplier leads;
  private final Map<String, Path> copies = new ConcurrentHashMap<>();

  SnapshotSource(Vertx vertx, Database database, String clusterName, String self, BooleanSupplier leads) {
    this.vertx = vertx;
    this.database = database;
    this.prefix = address(clusterName);
    this.self = self;
    this.leads = leads;
  }

  static String address(String clusterName) {
    return "tsunagu.cluster." + clusterName + ".snapshot.";
  }

  Future<Void> start() {
    return Future.all(
        vertx.eventBus().<JsonObject>consumer(prefix + "state." + self, this::onState).completion(),
        vertx.eventBus().<JsonObject>consumer(prefix + "prepare." + self, this::onPrepare).completion(),
        vertx.eventBus().<JsonObject>consumer(prefix + "chunk." + self, this::onChunk).completion(),
        vertx.eventBus().<JsonObject>consumer(prefix + "done." + self, this::onDone).completion()).mapEmpty();
  }

  private void onState(Message<JsonObject> message) {
    long asked = message.body().getLong("batchId", 0L);
    database.read(c -> new JsonObject().put("leader", leads.getAsBoolean())
            .put("batchId", ReplicationPosition.of(c).batchId())
            .put("oldestKept", oldestKept(c))
            .put("digest", BatchChain.digestOf(c, asked))
            .put("schemaVersion", Database.schemaVersion(c)))
        .onSuccess(message::reply)
        .onFailure(e -> message.fail(503, e.getMessage()));
  }

  private static long oldestKept(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("select min(batch_id) from cluster_batches");
        ResultSet rs = statement.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private void onPrepare(Message<JsonObject> message) {
    if (!leads.getAsBoolean()) {
      message.fail(409, "cluster.not_leader: this instance does not lead; ask the leader for a snapshot");
      return;
    }
    String asker = message.body().getString("node", "?");
    database.read(SnapshotSource::databaseFile)
        .compose(file -> vertx.executeBlocking(() -> copy(file, asker), false))
        .onSuccess(message::reply)
        .onFailure(e -> {
          LOG.warn("snapshot for instance {} failed: {}", asker, e.getMessage());
          message.fail(503, "cluster.snapshot_failed: " + e.getMessage());
        });
  }

  /** The live database's file, as SQLite names it (the node never hands its path around). */
  private static Path databaseFile(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "select file from pragma_database_list where name = 'main'"); ResultSet rs = statement.executeQuery()) {
      rs.next();
      return Path.of(rs.getString(1));
    }
  }

  private JsonObject copy(Path live, String asker) throws Exception {
    Path dir = live.resolveSibling("cluster-snapshots");
    Files.createDirectories(dir);
    clearAbandoned(dir);
    String id = UUID.randomUUID().toString();
    Path copy = dir.resolve(id + ".db");
    long started = System.nanoTime();
    try (Connection source = DriverManager.getConnection("jdbc:sqlite:" + live)) {
      ((SQLiteConnection) source).getDatabase().backup("main", copy.toString(), (remaining, total) -> { }, 100, 50, -1);
    }
    long batchId;
    String schemaVersion;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy)) {
      batchId = ReplicationPosition.of(c).batchId();
      schemaVersion = Database.schemaVersion(c);
    }
    long size = Files.size(copy);
    String sha256 = sha256(copy);
    copies.put(id, copy);
    LOG.info("snapshot {} for instance {}: {} bytes at batch {} made in {} ms", id, asker, size, batchId,
        (System.nanoTime() - started) / 1_000_000);
    return new JsonObject().put("id", id).put("size", size).put("sha256", sha256).put("batchId", batchId)
        .put("schemaVersion", schemaVersion).put("chunkBytes", CHUNK_BYTES);
  }

  private void clearAbandoned(Path dir) throws IOException {
    Instant before = Instant.now().minus(ABANDONED);
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        if (Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
          Files.deleteIfExists(file);
          copies.values().remove(file);
        }
      }
    }
  }

  private void onChunk(Message<JsonObject> message) {
    Path copy = copies.get(message.body().getString("id", ""));
    long offset = message.body().getLong("offset", -1L);
    if (copy == null || offset < 0) {
      message.fail(404, "cluster.snapshot_unknown: no such snapshot here (made by another leader, or removed)");
      return;
    }
    vertx.executeBlocking(() -> {
      try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.READ)) {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(0, channel.size() - offset)));
        while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
          // read until the chunk is full
        }
        byte[] bytes = buffer.array();
        return new JsonObject().put("offset", offset).put("data", bytes).put("sha256", sha256(bytes));
      }
    }, false).onSuccess(message::reply).onFailure(e -> message.fail(503, e.getMessage()));
  }

  private void onDone(Message<JsonObject> message) {
    Path copy = copies.remove(message.body().getString("id", ""));
    vertx.executeBlocking(() -> copy == null ? false : Files.deleteIfExists(copy), false)
        .onComplete(done -> message.reply(new JsonObject()));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
