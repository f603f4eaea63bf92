package jp.tsunagu.node.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A table that triggers fill with what a write transaction touched (boards, read receipts, live events,
 * users), read and emptied by the writer just before each commit, its rows handed on once the commit is
 * durable ({@link Database#touchTableHook}). Most transactions touch nothing: the writer reads every
 * touch table of the node in one statement, the {@link #select()}s of all of them joined, instead of
 * one statement per table.
 */
public interface TouchTable<T> {

  /**
   * The rows touched so far in the transaction: a {@code select} of {@link #columns()} columns
   * (at most {@link TouchLooks#MOST_COLUMNS}), without {@code order by}; it is read as a subquery.
   */
  String select();

  /** How many columns {@link #select()} gives. */
  int columns();

  /**
   * In the committing transaction, on its connection: what the follow-up is told of the rows the select
   * found (none, mostly; in no particular order), and the table emptied of them when there were any.
   */
  T taken(Connection c, List<TouchRow> rows) throws SQLException;

  /** What a touch table's follow-up is told of the rows its select found ({@link TouchTable#taken}). */
  @FunctionalInterface
  interface Taking<T> {
    T taken(Connection c, List<TouchRow> rows) throws SQLException;
  }

  /** The touch table whose {@code select} gives {@code columns} columns, its rows taken by {@code taking}. */
  static <T> TouchTable<T> of(String select, int columns, Taking<T> taking) {
    return new TouchTable<>() {
      @Override
      public String select() {
        return select;
      }

      @Override
      public int columns() {
        return columns;
      }

      @Override
      public T taken(Connection c, List<TouchRow> rows) throws SQLException {
        return taking.taken(c, rows);
      }
    };
  }
}
