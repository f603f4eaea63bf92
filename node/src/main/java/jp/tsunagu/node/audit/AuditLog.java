package jp.tsunagu.node.audit;

import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import jp.tsunagu.federation.audit.AuditHash;
import jp.tsunagu.node.storage.Database;

/**
 * The append-only, hash-chained audit log. Features call {@link #append} inside their own write,
 * so an action and its audit row commit together or not at all, or {@link #record} for an event
 * with no other write (a refused login). Every write goes through the database's single writer,
 * so rows are chained in commit order without further locking. Once the row has committed, the
 * node's signed checkpoint moves to it ({@link AuditCheckpoints}), so rows cut off at the end of
 * the log are found too.
 */
public final class AuditLog {

  private static final String LAST = "select seq, hash from audit_log order by seq desc limit 1";
  private static final String INSERT = "insert into audit_log (seq, at, actor, action, target, outcome, detail,"
      + " prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final Database database;
  private final Clock clock;

  public AuditLog(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /** Appends the event on its own; the future completes once it is durably committed. */
  public Future<Void> record(AuditEvent event) {
    return database.write(connection -> {
      append(connection, event);
      return null;
    });
  }

  /** Appends the event within the caller's write (same connection, same transaction). */
  public void append(Connection connection, AuditEvent event) throws SQLException {
    long seq = 1;
    String prev = AuditHash.GENESIS;
    try (PreparedStatement last = connection.prepareStatement(LAST); ResultSet rs = last.executeQuery()) {
      if (rs.next()) {
        seq = rs.getLong(1) + 1;
        prev = rs.getString(2);
      }
    }
    String at = Instant.now(clock).toString();
    String detail = event.detail().encode();
    String hash = AuditHash.of(prev, seq, at, event.actor(), event.action(), event.target(), event.outcome(), detail);
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      insert.setLong(1, seq);
      insert.setString(2, at);
      insert.setString(3, event.actor());
      insert.setString(4, event.action());
      insert.setString(5, event.target());
      insert.setString(6, event.outcome());
      insert.setString(7, detail);
      insert.setString(8, prev);
      insert.setString(9, hash);
      insert.executeUpdate();
    }
    AuditCheckpoints.appended(database, seq);
  }
}
