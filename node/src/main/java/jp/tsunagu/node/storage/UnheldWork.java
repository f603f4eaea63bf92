package jp.tsunagu.node.storage;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A write whose transaction the writer does not hold open for more writes to join it
 * ({@link Database#writeUnheld}): it is committed with the writes queued when the writer takes it, and
 * with those that come while the transaction's work runs, but the writer does not wait for more.
 */
record UnheldWork<T>(SqlWork<T> work) implements SqlWork<T> {

  @Override
  public T run(Connection connection) throws SQLException {
    return work.run(connection);
  }
}
