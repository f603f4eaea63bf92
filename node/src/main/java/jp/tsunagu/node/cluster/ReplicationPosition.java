package jp.tsunagu.node.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Where an instance stands: the last batch it wrote or applied, and the highest fencing token it has seen. */
public record ReplicationPosition(long batchId, long token) {

  static ReplicationPosition read(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "select batch_id, token from cluster_position where id = 1"); ResultSet rs = statement.executeQuery()) {
      if (!rs.next()) {
        throw new ReplicationRefused("cluster.no_position", "the database has no replication position");
      }
      return new ReplicationPosition(rs.getLong(1), rs.getLong(2));
    }
  }

  /**
   * Everything a batch is checked against, read in one statement: the position, the digest of the
   * last batch (the chain's head) and why the database diverged (null: it has not).
   */
  record Head(long batchId, long token, String digest, String diverged) {}

  static Head head(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "select batch_id, token, digest, diverged from cluster_position where id = 1");
        ResultSet rs = statement.executeQuery()) {
      if (!rs.next()) {
        throw new ReplicationRefused("cluster.no_position", "the database has no replication position");
      }
      return new Head(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4));
    }
  }

  /** Reads the position on a connection of the caller's (a reader's: status pages, tests). */
  public static ReplicationPosition of(Connection connection) throws SQLException {
    return read(connection);
  }
}
