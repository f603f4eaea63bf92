package jp.tsunagu.node.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.storage.Database;
import org.sqlite.SQLiteConnection;

/**
 * A consistent copy of the node's live database, made by SQLite's online backup API on a connection
 * of its own while the node goes on writing (WAL mode: the copy reads one snapshot, writers are not
 * held up), and what the copy holds: its schema version, the rows of each table and the audit head.
 * Never a file copy of a live database.
 *
 * @param file          the copy
 * @param schemaVersion its schema version
 * @param rowCounts     rows per table
 * @param auditHead     the audit log's last row in the copy
 */
record Snapshot(Path file, String schemaVersion, Map<String, Long> rowCounts, AuditLog.Head auditHead) {

  /**
   * Copies {@code database} to {@code copy} (a new file), telling {@code progress} the copy's length as
   * it grows.
   */
  static Snapshot take(Path database, Path copy, LongConsumer progress) {
    try (Connection source = DriverManager.getConnection("jdbc:sqlite:" + database)) {
      // All pages in one step: a step-by-step copy restarts whenever the writer commits, so under a
      // steady stream of posts it could never finish. One step reads one consistent snapshot.
      ((SQLiteConnection) source).getDatabase().backup("main", copy.toString(), (remaining, total) -> {}, 100, 50, -1);
    } catch (SQLException e) {
      throw new CodedException(CodedException.Kind.UNAVAILABLE, "backup.snapshot_failed",
          "the database could not be copied: " + e.getMessage(), null, e);
    }
    try {
      progress.accept(Files.size(copy));
    } catch (IOException e) {
      // only progress
    }
    return describe(copy);
  }

  /** Reads what a database file holds (the copy, or a restored one). */
  static Snapshot describe(Path file) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      return describe(file, c);
    } catch (SQLException e) {
      throw new CodedException(CodedException.Kind.UNAVAILABLE, "backup.snapshot_failed",
          "the database copy could not be read: " + e.getMessage(), null, e);
    }
  }

  /**
   * What a database holds, read on one connection: the row counts in one statement (so, in a live
   * database, of one moment), then the schema version and the audit head.
   */
  static Snapshot describe(Path file, Connection c) throws SQLException {
    List<String> tables = tables(c);
    Map<String, Long> counts = new TreeMap<>();
    if (!tables.isEmpty()) {
      StringBuilder sql = new StringBuilder("select ");
      for (int i = 0; i < tables.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append("(select count(*) from \"").append(tables.get(i).replace("\"", "\"\""))
            .append("\")");
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
        rs.next();
        for (int i = 0; i < tables.size(); i++) {
          counts.put(tables.get(i), rs.getLong(i + 1));
        }
      }
    }
    return new Snapshot(file, Database.schemaVersion(c), counts, AuditLog.lastRow(c));
  }

  /** As the admin API shows it (no patient data: counts and the audit head). */
  io.vertx.core.json.JsonObject toJson(String node) {
    return new io.vertx.core.json.JsonObject().put("node", node).put("schemaVersion", schemaVersion)
        .put("rowCounts", new io.vertx.core.json.JsonObject(new java.util.LinkedHashMap<String, Object>(rowCounts)))
        .put("audit", new io.vertx.core.json.JsonObject().put("seq", auditHead.seq()).put("hash", auditHead.hash()));
  }

  static List<String> tables(Connection c) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select name from sqlite_schema where type = 'table' and name not like 'sqlite_%'"
            + " order by name")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    return tables;
  }
}
