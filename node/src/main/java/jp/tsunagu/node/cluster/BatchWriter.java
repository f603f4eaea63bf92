package jp.tsunagu.node.cluster;

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
  /**
   * The highest token under which a batch was sent to the followers and then not committed here: no
   * batch is written under it again (see {@link #notCommitted}).
   */
  private volatile long spentToken;

  /** {@code token}: the fencing token of the lock this instance holds now (0: it holds none). */
  public BatchWriter(LongSupplier token, String schemaVersion) {
    this.token = token;
    this.schemaVersion = schemaVersion;
  }

  /** The batch of the transaction about to commit, or null when it changed no replicated row. */
  public ReplicationBatch gather(Connection connection) throws SQLException {
    String changes = changes(connection);
    if (changes == null) {
      return null;
    }
    ReplicationPosition.Head position = ReplicationPosition.head(connection);
    long leaderToken = token.getAsLong();
    if (leaderToken > 0 && leaderToken <= spentToken) {
      throw new ReplicationRefused("cluster.not_leader", "a batch sent under token " + spentToken + " was not"
          + " committed on this instance, which stops leading: it writes nothing more under that token");
    }
    if (leaderToken < 1 || leaderToken < position.token()) {
      throw new ReplicationRefused("cluster.not_leader", "this instance does not hold the writer's lock (token "
          + leaderToken + ", highest seen " + position.token() + ")");
    }
    if (position.diverged() != null) {
      throw new ReplicationRefused(BatchChain.DIVERGED, "this database diverged from the cluster's: "
          + position.diverged());
    }
    ReplicationBatch batch = ReplicationBatch.ofText(position.batchId() + 1, leaderToken, schemaVersion, changes,
        position.digest());
    keep(connection, batch, leaderToken);
    try (PreparedStatement statement = connection.prepareStatement("delete from cluster_changes")) {
      statement.executeUpdate();
    }
    return batch;
  }

  /**
   * {@code batch} went to the followers and its commit here failed: a follower may hold it. The next
   * transaction would take the same number with other changes under the same token, which a follower
   * holding this batch would skip as applied and then find its chain broken; so nothing more is written
   * under its token. The instance stops leading, and once elected again writes under a new one.
   */
  void notCommitted(ReplicationBatch batch) {
    spentToken = Math.max(spentToken, batch.token());
  }

  /**
   * Keeps the batch for followers that catch up, and makes it this database's position: its number,
   * {@code token} as the highest seen, and its digest as the head of the chain (the three in one statement).
   */
  static void keep(Connection connection, ReplicationBatch batch, long token) throws SQLException {
    String digest = batch.digest();
    try (PreparedStatement statement = connection.prepareStatement("insert into cluster_batches"
        + " (batch_id, token, schema_version, changes, prev_digest, digest) values (?, ?, ?, ?, ?, ?)")) {
      statement.setLong(1, batch.batchId());
      statement.setLong(2, batch.token());
      statement.setString(3, batch.schemaVersion());
      statement.setString(4, batch.changesText());
      statement.setString(5, batch.prevDigest());
      statement.setString(6, digest);
      statement.executeUpdate();
    }
    try (PreparedStatement statement = connection.prepareStatement(
        "update cluster_position set batch_id = ?, token = ?, digest = ? where id = 1")) {
      statement.setLong(1, batch.batchId());
      statement.setLong(2, token);
      statement.setString(3, digest);
      statement.executeUpdate();
    }
  }

  /**
   * The transaction's changes as the batch's text, made by SQLite in one statement (null: none). The
   * captured keys and values are JSON arrays already, put in place as they are: the leader parses
   * and encodes nothing per row.
   */
  private static String changes(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(CHANGES); ResultSet rs = statement.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static final String CHANGES = "select '[' || group_concat('{\"t\":' || json_quote(table_name)"
      + " || ',\"op\":\"' || op || '\"' || coalesce(',\"ok\":' || old_key, '') || coalesce(',\"nk\":' || new_key, '')"
      + " || coalesce(',\"v\":' || row_values, '') || '}', ',' order by seq) || ']' from cluster_changes";
}
