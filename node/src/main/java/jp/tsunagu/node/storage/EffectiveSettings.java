package jp.tsunagu.node.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The SQLite settings as the database reports them back, not as we asked for them: a pragma that
 * silently did not apply (WAL on a file system without shared memory, say) shows up here.
 */
public record EffectiveSettings(String journalMode, String synchronous, boolean foreignKeys, long busyTimeoutMillis,
    String sqliteVersion) {

  static EffectiveSettings readFrom(Connection connection) throws SQLException {
    return new EffectiveSettings(
        pragma(connection, "journal_mode"),
        synchronousName(Integer.parseInt(pragma(connection, "synchronous"))),
        "1".equals(pragma(connection, "foreign_keys")),
        Long.parseLong(pragma(connection, "busy_timeout")),
        query(connection, "select sqlite_version()"));
  }

  /** True when the settings are the ones medical records need. */
  public boolean durable() {
    return "wal".equalsIgnoreCase(journalMode) && "FULL".equals(synchronous) && foreignKeys;
  }

  private static String pragma(Connection connection, String name) throws SQLException {
    return query(connection, "pragma " + name);
  }

  private static String query(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static String synchronousName(int level) {
    return switch (level) {
      case 0 -> "OFF";
      case 1 -> "NORMAL";
      case 2 -> "FULL";
      case 3 -> "EXTRA";
      default -> String.valueOf(level);
    };
  }
}
