package jp.tsunagu.node.storage;

/** One row a {@link TouchTable}'s select found, its columns numbered from 1 as in its select. */
public record TouchRow(Object[] values) {

  /** The column as text (null for SQL null). */
  public String text(int column) {
    Object value = values[column - 1];
    return value == null ? null : value.toString();
  }

  /** The column as an integer (0 for SQL null). */
  public long number(int column) {
    Object value = values[column - 1];
    return value == null ? 0 : ((Number) value).longValue();
  }
}
