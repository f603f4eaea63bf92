package jp.tsunagu.node.storage;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of database work, run on a storage thread with a connection it must not keep. */
@FunctionalInterface
public interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
