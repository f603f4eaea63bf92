package jp.tsunagu.node.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Row-level change capture, generated from the schema: for every replicated table three triggers
 * (after insert, update, delete) that append the row's key and values to {@code cluster_changes} in
 * the writing transaction. They are made again at every start of a leader, from the tables as they
 * are then, so a table or column a later migration adds is covered without code of its own; and
 * removed where no batch is gathered (a follower, a single instance), so nothing piles up there.
 *
 * <p>Values are written as a JSON array in which each value keeps its SQLite type exactly: integers
 * and nulls as they are, text prefixed {@code t}, a real as its round-trip literal prefixed
 * {@code r}, a blob as hexadecimal prefixed {@code x} (JSON holds no blob, and a real printed to 15
 * digits would not be the same number on the follower).
 *
 * <p>The triggers record nothing while {@value #APPLYING} holds a row: a follower puts one there for
 * as long as it applies a batch, in the batch's transaction. Recorded, the batch's rows would only be
 * removed again (they are the leader's batch, not a new one), and making each row's values into text
 * cost the follower as much as it cost the leader.
 */
public final class ChangeCapture {

  static final String TRIGGER_PREFIX = "cluster_capture_";
  /**
   * The table whose one row pauses capture (see the class). Made here with the triggers rather than by
   * a migration: it is part of the generated capture, and like {@code cluster_changes} it is empty
   * between transactions.
   */
  static final String APPLYING = "cluster_applying";

  private ChangeCapture() {}

  /**
   * Drops the capture triggers there are and makes them again for every table as the schema is now.
   * What the triggers of an earlier run recorded in writes committed before this instance took part
   * in replication (no commit hook gathered it) is dropped too: from here on every transaction starts
   * with {@code cluster_changes} empty, which is what a follower's apply relies on to tell the
   * batch's rows from those of a write of its own in the same transaction.
   */
  public static int install(Connection connection) throws SQLException {
    remove(connection);
    List<CapturedTable> tables = CapturedTable.all(connection);
    try (Statement statement = connection.createStatement()) {
      statement.execute("create table if not exists " + APPLYING + " (applying integer primary key check (applying = 1))");
      statement.executeUpdate("delete from " + APPLYING);
      statement.executeUpdate("delete from cluster_changes");
      for (CapturedTable table : tables) {
        for (String trigger : triggers(table)) {
          statement.execute(trigger);
        }
      }
    }
    return tables.size();
  }

  /** Drops every capture trigger (none there: nothing happens). */
  public static void remove(Connection connection) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "select name from sqlite_master where type = 'trigger' and name like 'cluster\\_capture\\_%' escape '\\'");
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    try (Statement statement = connection.createStatement()) {
      for (String name : names) {
        statement.execute("drop trigger " + CapturedTable.quoted(name));
      }
    }
  }

  static List<String> triggers(CapturedTable table) {
    String name = CapturedTable.quoted(table.name());
    String label = CapturedTable.literal(table.name());
    String values = "json_array(" + table.columns().stream().map(c -> typed("new." + CapturedTable.quoted(c)))
        .collect(Collectors.joining(", ")) + ")";
    return List.of(
        trigger(table, "i", "insert", "insert into cluster_changes (table_name, op, new_key, row_values) values ("
            + label + ", 'i', " + key(table, "new") + ", " + values + ")", name),
        trigger(table, "u", "update", "insert into cluster_changes (table_name, op, old_key, new_key, row_values)"
            + " values (" + label + ", 'u', " + key(table, "old") + ", " + key(table, "new") + ", " + values + ")", name),
        trigger(table, "d", "delete", "insert into cluster_changes (table_name, op, old_key) values (" + label
            + ", 'd', " + key(table, "old") + ")", name));
  }

  private static String trigger(CapturedTable table, String suffix, String event, String body, String quotedTable) {
    return "create trigger " + CapturedTable.quoted(TRIGGER_PREFIX + table.name() + "_" + suffix) + " after " + event
        + " on " + quotedTable + " when not exists (select 1 from " + APPLYING + ") begin " + body + "; end";
  }

  private static String key(CapturedTable table, String row) {
    return "json_array(" + table.keyColumns().stream()
        .map(c -> c.equals("rowid") && !table.withoutRowid() ? row + ".rowid" : typed(row + "." + CapturedTable.quoted(c)))
        .collect(Collectors.joining(", ")) + ")";
  }

  /** One value in the typed encoding described on the class. */
  private static String typed(String value) {
    return "case typeof(" + value + ") when 'text' then 't' || " + value + " when 'real' then 'r' || quote(" + value
        + ") when 'blob' then 'x' || hex(" + value + ") else " + value + " end";
  }
}
