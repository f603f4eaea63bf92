package jp.tsunagu.node.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The content of every replicated table, rowids included, in a form two databases can be compared by. */
final class ReplicaDumps {

  private ReplicaDumps() {}

  /**
   * Waits until {@code database} holds batch {@code batchId} (committed by a leader, applied by a follower),
   * for at most {@code bound}; each test gives the bound its set-up needs.
   */
  static void awaitPosition(jp.tsunagu.node.storage.Database database, long batchId, java.time.Duration bound)
      throws Exception {
    long giveUp = System.nanoTime() + bound.toNanos();
    while (database.submitRead(ReplicationPosition::of).get().batchId() < batchId) {
      if (System.nanoTime() > giveUp) {
        throw new AssertionError("batch " + batchId + " was not reached within " + bound.toSeconds() + " s");
      }
      Thread.sleep(10);
    }
  }

  static Map<String, List<String>> dump(Connection connection) throws SQLException {
    Map<String, List<String>> tables = new LinkedHashMap<>();
    for (CapturedTable table : CapturedTable.all(connection)) {
      String columns = table.copiedColumns().stream().map(CapturedTable::quoted).collect(Collectors.joining(", "));
      String order = table.keyColumns().stream().map(CapturedTable::quoted).collect(Collectors.joining(", "));
      List<String> rows = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement(
          "select " + columns + " from " + CapturedTable.quoted(table.name()) + " order by " + order);
          ResultSet rs = statement.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 1; i <= n; i++) {
            Object value = rs.getObject(i);
            row.append(value == null ? "null" : value instanceof byte[] bytes ? "x" + HexFormat.of().formatHex(bytes)
                : value.getClass().getSimpleName() + ":" + value).append('|');
          }
          rows.add(row.toString());
        }
      }
      tables.put(table.name(), rows);
    }
    return tables;
  }

  /** Each row of a query as its values' text joined by {@code |}. */
  static List<String> rows(Connection connection, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          row.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  static void execute(Connection connection, String... statements) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
