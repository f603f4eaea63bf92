package jp.tsunagu.node.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

/**
 * Walks a node's audit log from the first row and reports the first broken link: a row whose
 * sequence number is not the next one (a deletion or an insertion), whose {@code prev_hash} is not
 * the hash of the row before, or whose own hash does not match its fields (a modification).
 * Opens the database read-only, so it can run beside a live node.
 */
public final class AuditChainVerifier {

  /** The outcome: how many rows were checked and, when broken, where and why. */
  public record Result(long rowsChecked, long firstBrokenSeq, String problem) {
    public boolean intact() {
      return problem == null;
    }
  }

  private AuditChainVerifier() {}

  /** Verifies the audit log of the node whose data directory is {@code dataDir}. */
  public static Result verify(Path dataDir) throws SQLException {
    Path file = dataDir.resolve("tsunagu.db");
    if (!Files.isRegularFile(file)) {
      throw new SQLException("no node database at " + file);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(),
        config.toProperties())) {
      return verify(connection);
    }
  }

  static Result verify(Connection connection) throws SQLException {
    String sql = "select seq, at, actor, action, target, outcome, detail, prev_hash, hash from audit_log order by seq";
    long expectedSeq = 1;
    String prev = AuditHash.GENESIS;
    try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        long seq = rs.getLong(1);
        if (seq != expectedSeq) {
          return new Result(expectedSeq - 1, expectedSeq, "expected row " + expectedSeq + " but found row " + seq
              + " (a row was deleted or inserted)");
        }
        if (!prev.equals(rs.getString(8))) {
          return new Result(seq - 1, seq, "row " + seq + " does not link to the hash of row " + (seq - 1));
        }
        String hash = AuditHash.of(prev, seq, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7));
        if (!hash.equals(rs.getString(9))) {
          return new Result(seq - 1, seq, "row " + seq + " was modified (its hash does not match its contents)");
        }
        prev = hash;
        expectedSeq++;
      }
    }
    return new Result(expectedSeq - 1, 0, null);
  }
}
