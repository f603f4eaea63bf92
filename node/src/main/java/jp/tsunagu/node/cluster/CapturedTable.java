package jp.tsunagu.node.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One table whose rows are replicated, as the schema describes it: its columns in declaration order
 * and how a row is named across instances. A table with a rowid is keyed by it (the rowid is copied,
 * so it is the same on every instance); a table {@code without rowid} by its primary key columns.
 */
record CapturedTable(String name, List<String> columns, boolean withoutRowid, List<String> keyColumns) {

  /**
   * Tables never replicated: the node's own bookkeeping (each instance keeps its own), and the
   * features' touch tables ({@code *_touches}), which triggers fill and a commit hook empties within
   * one transaction. Each instance's own triggers fill them as the rows they follow are written or
   * applied, so a follower's caches learn of a replicated change; captured, a follower's emptying of
   * them would be a local write of replicated rows, which its commit hook refuses. And {@code node_meta},
   * facts about the instance itself, where the storage's write probe (run on {@code /health/ready} while a
   * full disk or an I/O error stands) writes a 64 KiB row and removes it in one transaction: captured, a
   * leader shipped that row and its removal to every follower at each probe, and a follower's probe was
   * refused as a local write of replicated rows, so its own fault cleared only with the next batch.
   */
  private static final String SKIPPED = "name not like 'sqlite\\_%' escape '\\' and name not like 'cluster\\_%' escape '\\'"
      + " and name <> 'schema_history' and name <> 'node_meta' and name not like '%\\_touches' escape '\\'";

  /** Whether {@code name} is a touch table (see {@link #SKIPPED}), never replicated. */
  static boolean isTouchTable(String name) {
    return name.endsWith("_touches");
  }

  /**
   * Whether {@code name} is a table each instance keeps for itself that batches kept from before it was
   * left out of replication may still carry (see {@link #SKIPPED}): a touch table or {@code node_meta}.
   */
  static boolean leftOutSince(String name) {
    return isTouchTable(name) || name.equals("node_meta");
  }

  CapturedTable {
    columns = List.copyOf(columns);
    keyColumns = List.copyOf(keyColumns);
  }

  /** Every replicated table of the database, read from the schema as it is now. */
  static List<CapturedTable> all(Connection connection) throws SQLException {
    List<String[]> tables = new ArrayList<>();
    String sql = "select name, wr from pragma_table_list where schema = 'main' and type = 'table' and " + SKIPPED
        + " order by name";
    try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        tables.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    List<CapturedTable> captured = new ArrayList<>();
    for (String[] table : tables) {
      captured.add(read(connection, table[0], "1".equals(table[1])));
    }
    return captured;
  }

  /** One table by name, or null when it is not a replicated table. */
  static CapturedTable named(Connection connection, String name) throws SQLException {
    for (CapturedTable table : all(connection)) {
      if (table.name().equals(name)) {
        return table;
      }
    }
    return null;
  }

  private static CapturedTable read(Connection connection, String name, boolean withoutRowid) throws SQLException {
    List<String> columns = new ArrayList<>();
    List<String> key = new ArrayList<>();
    List<Integer> keyOrder = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "select name, pk from pragma_table_info(?) order by cid")) {
      statement.setString(1, name);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          columns.add(rs.getString(1));
          if (rs.getInt(2) > 0) {
            keyOrder.add(rs.getInt(2));
            key.add(rs.getString(1));
          }
        }
      }
    }
    List<String> orderedKey = new ArrayList<>(key);
    for (int i = 0; i < key.size(); i++) {
      orderedKey.set(keyOrder.get(i) - 1, key.get(i));
    }
    return new CapturedTable(name, columns, withoutRowid, withoutRowid ? orderedKey : List.of("rowid"));
  }

  /** The columns written when a row is copied: the rowid first where the table has one. */
  List<String> copiedColumns() {
    if (withoutRowid) {
      return columns;
    }
    List<String> all = new ArrayList<>();
    all.add("rowid");
    all.addAll(columns);
    return all;
  }

  static String quoted(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
