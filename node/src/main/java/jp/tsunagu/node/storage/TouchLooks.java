package jp.tsunagu.node.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The writer's one look at every {@link TouchTable} before a commit: their selects joined with
 * {@code union all} into one statement, each row tagged with its table's number, instead of one
 * statement per table. A full node has four such tables (boards, read receipts, live events, authors'
 * places) and nearly every transaction finds them all empty, so the four statements were most of the
 * writer's statements beside an audited read's single insert. Confined to the writer thread, but for
 * registration.
 */
final class TouchLooks {

  /** The most columns a touch table's select may give. */
  static final int MOST_COLUMNS = 4;

  private final List<TouchTable<?>> tables = new CopyOnWriteArrayList<>();
  /** The joined statement for the first {@link #sqlTables} tables; rebuilt when one is added. */
  private String sql;
  private int sqlTables;
  /** What the last look found, by table; a table registered after it is not in it. */
  private final Map<TouchTable<?>, List<TouchRow>> found = new IdentityHashMap<>();

  void add(TouchTable<?> table) {
    if (table.columns() < 1 || table.columns() > MOST_COLUMNS) {
      throw new IllegalArgumentException("a touch table's select gives 1 to " + MOST_COLUMNS + " columns");
    }
    tables.add(table);
  }

  /** Reads every table in one statement (none when there is no table); run before the hooks take their rows. */
  Void look(Connection c) throws SQLException {
    found.clear();
    List<TouchTable<?>> now = List.copyOf(tables);
    if (now.isEmpty()) {
      return null;
    }
    for (TouchTable<?> table : now) {
      found.put(table, new ArrayList<>(0));
    }
    try (PreparedStatement s = c.prepareStatement(sqlFor(now)); ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        TouchTable<?> table = now.get(rs.getInt(1));
        Object[] values = new Object[table.columns()];
        for (int i = 0; i < values.length; i++) {
          values[i] = rs.getObject(i + 2);
        }
        found.get(table).add(new TouchRow(values));
      }
    }
    return null;
  }

  /** The rows the last look found in {@code table}; read by itself if the look left it out. */
  <T> T take(Connection c, TouchTable<T> table) throws SQLException {
    List<TouchRow> rows = found.remove(table);
    if (rows == null) {
      rows = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(table.select()); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Object[] values = new Object[table.columns()];
          for (int i = 0; i < values.length; i++) {
            values[i] = rs.getObject(i + 1);
          }
          rows.add(new TouchRow(values));
        }
      }
    }
    return table.taken(c, rows);
  }

  private String sqlFor(List<TouchTable<?>> now) {
    if (sql == null || sqlTables != now.size()) {
      StringBuilder joined = new StringBuilder();
      for (int i = 0; i < now.size(); i++) {
        joined.append(i == 0 ? "" : " union all ").append("select ").append(i).append(", *");
        for (int pad = now.get(i).columns(); pad < MOST_COLUMNS; pad++) {
          joined.append(", null");
        }
        joined.append(" from (").append(now.get(i).select()).append(")");
      }
      sql = joined.toString();
      sqlTables = now.size();
    }
    return sql;
  }
}
