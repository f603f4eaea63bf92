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

  void write(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "update cluster_position set batch_id = ?, token = ? where id = 1")) {
      statement.setLong(1, batchId);
      statement.setLong(2, token);
      statement.executeUpdate();
    }
  }

  /** Reads the position on a connection of the caller's (a reader's: status pages, tests). */
  public static ReplicationPosition of(Connection connection) throws SQLException {
    return read(connection);
  }
}
