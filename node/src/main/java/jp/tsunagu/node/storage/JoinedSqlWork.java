package jp.tsunagu.node.storage;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work a request joins to its next write ({@link Database#joinNextWrite}), run in that write's
 * transaction after the write's own work, with what that work returned: so what is written with it
 * (a create's answer beside its {@code Idempotency-Key}) can be made from what the create made.
 * Like any {@link SqlWork} it may run more than once and must act only through the connection.
 */
@FunctionalInterface
public interface JoinedSqlWork {
  void run(Connection connection, Object written) throws SQLException;
}
