package jp.tsunagu.node.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;

/**
 * The chain of batches: each batch's digest covers the digest of the batch before it, its number,
 * the token of the leader that wrote it and its changes, so two instances holding the same digest
 * for a batch number hold the same history up to it.
 *
 * <p>Why digests and a rebuild rather than rolling back: the change log keeps each row's after-image
 * only. Undoing a leader's unreplicated tail would need before-images of every row of every batch
 * (doubling what each write stores and ships, for a case that happens only when a leader dies between
 * its commit and its followers' acknowledgement), and an undo would have to replay the features'
 * triggers backwards exactly. A digest chain costs one hash per batch and detects every divergence,
 * whether the new leader has written as far as the old one's tail or past it: the first batch that
 * does not follow the instance's own, or, at start, the leader's digest of the instance's last batch.
 * Such an instance is marked diverged for good ({@code cluster_position.diverged}): it applies
 * nothing more (never newer batches on top of its own unreplicated ones), publishes no position and
 * never contends for the writer, and its readiness answers {@code cluster.diverged}, until its
 * database is replaced by a copy of the leader's.
 */
public final class BatchChain {

  public static final String DIVERGED = "cluster.diverged";

  private BatchChain() {
  }

  /** The digest of a batch written after the batch whose digest is {@code previous}. */
  public static String digest(String previous, long batchId, long token, String schemaVersion, String changes) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((previous + "\n" + batchId + "\n" + token + "\n" + schemaVersion + "\n").getBytes(StandardCharsets.UTF_8));
      sha.update(changes.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** The digest of the last batch this database wrote or applied ('' before the first). */
  static String head(Connection connection) throws SQLException {
    return text(connection, "select digest from cluster_position where id = 1");
  }

  /** Why this database diverged from the leader's, or null when it has not. */
  public static String diverged(Connection connection) throws SQLException {
    return text(connection, "select diverged from cluster_position where id = 1");
  }

  /** Marks the database diverged (in a transaction of its own: the refused batch's is rolled back). */
  static Void markDiverged(Connection connection, String why) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "update cluster_position set diverged = ? where id = 1 and diverged is null")) {
      statement.setString(1, why);
      statement.executeUpdate();
    }
    return null;
  }

  /** The digest this database keeps for batch {@code batchId}, or null when it does not keep it. */
  static String digestOf(Connection connection, long batchId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "select digest from cluster_batches where batch_id = ?")) {
      statement.setLong(1, batchId);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static String text(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
