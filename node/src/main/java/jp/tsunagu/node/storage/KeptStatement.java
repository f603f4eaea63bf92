package jp.tsunagu.node.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.sqlite.SQLiteConnection;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

/**
 * A prepared statement the {@link StatementCache} keeps open between uses: {@code close()} gives it
 * back (its results closed, which resets it in SQLite) instead of finalizing it, and a statement given
 * back refuses to run until it is taken again. It is the driver's own statement class, extended, not a
 * proxy around one: the proxy cost a reflective call, an argument array and boxing for every set,
 * execute and close of every write and read the node makes.
 *
 * <p>Confined to the thread that owns its connection, as the cache is.
 */
final class KeptStatement extends JDBC4PreparedStatement {

  private boolean inUse;

  KeptStatement(SQLiteConnection connection, String sql) throws SQLException {
    super(connection, sql);
  }

  boolean inUse() {
    return inUse;
  }

  /**
   * Taken for a use, with nothing of the last use left: its parameters and any batch it did not run.
   * Cleared in the driver's own array only: every execution binds every parameter from it, so SQLite's
   * {@code clear_bindings} (what {@code clearParameters()} adds, a native call under the connection's
   * lock) would change nothing.
   */
  void take() throws SQLException {
    clearBatch();
    inUse = true;
  }

  /** Back to the cache: an open result closed, which resets the statement and ends its read. */
  @Override
  public void close() throws SQLException {
    if (!inUse) {
      return;
    }
    inUse = false;
    if (rs.isOpen()) {
      rs.close();
    }
  }

  /** Really closed: dropped from the cache. */
  void discard() throws SQLException {
    inUse = false;
    super.close();
  }

  @Override
  public boolean isClosed() {
    return !inUse || super.isClosed();
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    requireTaken();
    return super.executeQuery();
  }

  @Override
  public int executeUpdate() throws SQLException {
    requireTaken();
    return super.executeUpdate();
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    requireTaken();
    return super.executeLargeUpdate();
  }

  @Override
  public boolean execute() throws SQLException {
    requireTaken();
    return super.execute();
  }

  @Override
  public void addBatch() throws SQLException {
    requireTaken();
    super.addBatch();
  }

  @Override
  public int[] executeBatch() throws SQLException {
    requireTaken();
    return super.executeBatch();
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    requireTaken();
    return super.executeLargeBatch();
  }

  private void requireTaken() throws SQLException {
    if (!inUse) {
      throw new SQLException("statement is closed");
    }
  }
}
