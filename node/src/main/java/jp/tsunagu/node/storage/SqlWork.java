package jp.tsunagu.node.storage;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A unit of database work, run on a storage thread with a connection it must not keep. A write may
 * run more than once (when a neighbour in its group commit fails, the batch is rolled back and run
 * again), so it must act only through the connection: no events, mails or counters from inside.
 */
@FunctionalInterface
public interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
