package jp.tsunagu.node.storage;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * Prepared statements kept open on one connection, by SQL text. Features write plain
 * {@code try (var s = c.prepareStatement(sql))}; through {@link #connection()} that returns the
 * statement prepared last time ({@link KeptStatement}), and {@code close()} only resets it. Compiling a
 * statement costs SQLite more than running a small insert, and every write and read repeats the same
 * few dozen statements.
 *
 * <p>Confined to the one thread that owns the connection (the writer, or one reader). A statement
 * asked for again while still open (a nested query over the same SQL) gets a fresh, uncached one.
 */
final class StatementCache implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StatementCache.class);

  private final Connection target;
  private final SQLiteConnection sqlite;
  private final Connection connection;
  private final Map<String, KeptStatement> statements;
  /** Counts every statement a feature prepares here, i.e. runs (cached or not). */
  private final java.util.concurrent.atomic.LongAdder prepared;

  StatementCache(Connection target, int capacity) throws SQLException {
    this(target, capacity, new java.util.concurrent.atomic.LongAdder());
  }

  StatementCache(Connection target, int capacity, java.util.concurrent.atomic.LongAdder prepared)
      throws SQLException {
    this.target = target;
    this.sqlite = target.unwrap(SQLiteConnection.class);
    this.prepared = prepared;
    this.statements = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, KeptStatement> eldest) {
        if (size() <= capacity || eldest.getValue().inUse()) {
          return false;
        }
        discardQuietly(eldest.getValue());
        return true;
      }
    };
    // The connection stays a proxy: one call per statement, and no reflection on the way to prepare().
    this.connection = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, this::onConnection);
  }

  /** The connection to hand to {@link SqlWork}: like the target, with {@code prepareStatement(sql)} cached. */
  Connection connection() {
    return connection;
  }

  private Object onConnection(Object proxy, Method method, Object[] args) throws Throwable {
    if (args != null && args.length == 1 && method.getName().equals("prepareStatement")) {
      return prepare((String) args[0]);
    }
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private PreparedStatement prepare(String sql) throws SQLException {
    prepared.increment();
    KeptStatement kept = statements.get(sql);
    if (kept == null) {
      kept = new KeptStatement(sqlite, sql);
      statements.put(sql, kept);
    } else if (kept.inUse()) {
      return target.prepareStatement(sql);
    }
    kept.take();
    return kept;
  }

  @Override
  public void close() {
    for (Iterator<KeptStatement> i = statements.values().iterator(); i.hasNext(); ) {
      discardQuietly(i.next());
      i.remove();
    }
  }

  private static void discardQuietly(KeptStatement statement) {
    try {
      statement.discard();
    } catch (SQLException e) {
      LOG.debug("closing a cached statement failed", e);
    }
  }
}
