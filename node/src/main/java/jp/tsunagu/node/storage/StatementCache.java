package jp.tsunagu.node.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepared statements kept open on one connection, by SQL text. Features write plain
 * {@code try (var s = c.prepareStatement(sql))}; through {@link #connection()} that returns the
 * statement prepared last time, and {@code close()} only resets it. Compiling a statement costs
 * SQLite more than running a small insert, and every write and read repeats the same few dozen
 * statements.
 *
 * <p>Confined to the one thread that owns the connection (the writer, or one reader). A statement
 * asked for again while still open (a nested query over the same SQL) gets a fresh, uncached one.
 */
final class StatementCache implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StatementCache.class);

  private final Connection target;
  private final Connection connection;
  private final Map<String, Cached> statements;
  /** Counts every statement a feature prepares here, i.e. runs (cached or not). */
  private final java.util.concurrent.atomic.LongAdder prepared;

  StatementCache(Connection target, int capacity) {
    this(target, capacity, new java.util.concurrent.atomic.LongAdder());
  }

  StatementCache(Connection target, int capacity, java.util.concurrent.atomic.LongAdder prepared) {
    this.target = target;
    this.prepared = prepared;
    this.statements = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
        if (size() <= capacity || eldest.getValue().inUse) {
          return false;
        }
        closeQuietly(eldest.getValue().statement);
        return true;
      }
    };
    this.connection = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, this::onConnection);
  }

  /** The connection to hand to {@link SqlWork}: like the target, with {@code prepareStatement(sql)} cached. */
  Connection connection() {
    return connection;
  }

  private Object onConnection(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("prepareStatement") && args != null && args.length == 1) {
      return prepare((String) args[0]);
    }
    return invoke(target, method, args);
  }

  private PreparedStatement prepare(String sql) throws SQLException {
    prepared.increment();
    Cached cached = statements.get(sql);
    if (cached == null) {
      cached = new Cached(target.prepareStatement(sql));
      statements.put(sql, cached);
    } else if (cached.inUse) {
      return target.prepareStatement(sql);
    }
    cached.inUse = true;
    return cached.proxy;
  }

  @Override
  public void close() {
    for (Iterator<Cached> i = statements.values().iterator(); i.hasNext(); ) {
      closeQuietly(i.next().statement);
      i.remove();
    }
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void closeQuietly(PreparedStatement statement) {
    try {
      statement.close();
    } catch (SQLException e) {
      LOG.debug("closing a cached statement failed", e);
    }
  }

  /** One cached statement and the proxy that turns {@code close()} into a reset. */
  private static final class Cached implements InvocationHandler {
    final PreparedStatement statement;
    final PreparedStatement proxy;
    boolean inUse;
    private ResultSet results;

    Cached(PreparedStatement statement) {
      this.statement = statement;
      this.proxy = (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
          new Class<?>[] {PreparedStatement.class}, this);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return StatementCache.invoke(this, method, args);
      }
      switch (method.getName()) {
        case "close":
          release();
          return null;
        case "isClosed":
          return !inUse;
        case "executeQuery":
        case "getResultSet":
          if (!inUse) {
            throw new SQLException("statement is closed");
          }
          results = (ResultSet) StatementCache.invoke(statement, method, args);
          return results;
        default:
          if (!inUse) {
            throw new SQLException("statement is closed");
          }
          return StatementCache.invoke(statement, method, args);
      }
    }

    /** Back to the cache: results closed (which resets the statement), parameters cleared. */
    private void release() throws SQLException {
      if (!inUse) {
        return;
      }
      inUse = false;
      try {
        if (results != null) {
          results.close();
        }
      } finally {
        results = null;
        statement.clearParameters();
      }
    }
  }
}
