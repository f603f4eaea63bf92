package jp.tsunagu.node.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.LongSupplier;

/**
 * The leader's side of replication, run as a commit hook at the end of every write transaction: it
 * gathers the rows the capture triggers recorded into one batch, numbers it, stamps it with the
 * leader's fencing token, keeps it in {@code cluster_batches} (for followers that catch up) and
 * empties {@code cluster_changes}, all inside the transaction, so the batch exists exactly when the
 * writes it carries are committed. A leader whose token is lower than one its own database has seen
 * (another instance led since) writes nothing: the transaction fails with {@code cluster.not_leader}.
 */
public final class BatchWriter {

  private final LongSupplier token;
  private final String schemaVersion;

  /** {@code token}: the fencing token of the lock this instance holds now (0: it holds none). */
  public BatchWriter(LongSupplier token, String schemaVersion) {
    this.token = token;
    this.schemaVersion = schemaVersion;
  }

  /** The batch of the transaction about to commit, or null when it changed no replicated row. */
  public ReplicationBatch gather(Connection connection) throws SQLException {
    JsonArray changes = changes(connection);
    if (changes.isEmpty()) {
      return null;
    }
    ReplicationPosition position = ReplicationPosition.read(connection);
    long leaderToken = token.getAsLong();
    if (leaderToken < 1 || leaderToken < position.token()) {
      throw new ReplicationRefused("cluster.not_leader", "this instance does not hold the writer's lock (token "
          + leaderToken + ", highest seen " + position.token() + ")");
    }
    String diverged = BatchChain.diverged(connection);
    if (diverged != null) {
      throw new ReplicationRefused(BatchChain.DIVERGED, "this database diverged from the cluster's: " + diverged);
    }
    ReplicationBatch batch = new ReplicationBatch(position.batchId() + 1, leaderToken, schemaVersion, changes,
        BatchChain.head(connection));
    keep(connection, batch);
    try (PreparedStatement statement = connection.prepareStatement("delete from cluster_changes")) {
      statement.executeUpdate();
    }
    new ReplicationPosition(batch.batchId(), leaderToken).write(connection);
    return batch;
  }

  /** Keeps the batch for followers that catch up, and makes it the head of this database's chain. */
  static void keep(Connection connection, ReplicationBatch batch) throws SQLException {
    // Encoded once: the digest and the kept copy are of the same text.
    String changes = batch.changes().encode();
    String digest = BatchChain.digest(batch.prevDigest(), batch.batchId(), batch.token(), batch.schemaVersion(), changes);
    try (PreparedStatement statement = connection.prepareStatement("insert into cluster_batches"
        + " (batch_id, token, schema_version, changes, prev_digest, digest) values (?, ?, ?, ?, ?, ?)")) {
      statement.setLong(1, batch.batchId());
      statement.setLong(2, batch.token());
      statement.setString(3, batch.schemaVersion());
      statement.setString(4, changes);
      statement.setString(5, batch.prevDigest());
      statement.setString(6, digest);
      statement.executeUpdate();
    }
    BatchChain.setHead(connection, digest);
  }

  private static JsonArray changes(Connection connection) throws SQLException {
    JsonArray changes = new JsonArray();
    try (PreparedStatement statement = connection.prepareStatement(
        "select table_name, op, old_key, new_key, row_values from cluster_changes order by seq");
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        JsonObject change = new JsonObject().put("t", rs.getString(1)).put("op", rs.getString(2));
        putArray(change, "ok", rs.getString(3));
        putArray(change, "nk", rs.getString(4));
        putArray(change, "v", rs.getString(5));
        changes.add(change);
      }
    }
    return changes;
  }

  private static void putArray(JsonObject change, String field, String json) {
    if (json != null) {
      change.put(field, new JsonArray(json));
    }
  }
}
