package jp.tsunagu.node.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.audit.AuditHash;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.storage.LeaderRelay;
import jp.tsunagu.node.storage.WriterState;

/**
 * The append-only, hash-chained audit log. Features call {@link #append} inside their own write,
 * so an action and its audit row commit together or not at all, or {@link #record} for an event
 * with no other write (a refused login). Every write goes through the database's single writer,
 * so rows are chained in commit order without further locking. The writer keeps the chain's head
 * in memory ({@link WriterState}: undone with a rolled-back write, read again after a failed batch
 * and after a restart), so an append is one insert, not a read of the last row and an insert. Once
 * rows have committed, the node's signed checkpoint moves to the new head ({@link AuditCheckpoints}),
 * so rows cut off at the end of the log are found too. On a follower of a clustered node, whose
 * database takes no writes, {@link #record} sends the event as data to the leader, which appends it
 * to the one chain (replicated back like every row); its time is the leader's, in chain order.
 */
public final class AuditLog {

  /** The kind under which a follower's records travel to the leader ({@link LeaderRelay}). */
  static final String RELAYED = "audit.record";
  private static final String LAST = "select seq, hash from audit_log order by seq desc limit 1";
  private static final String INSERT = "insert into audit_log (seq, at, actor, action, target, outcome, detail,"
      + " prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** The last row of the chain: its sequence number and hash (0 and the genesis hash while it is empty). */
  public record Head(long seq, String hash) {}

  private final Database database;
  private final Clock clock;
  private final WriterState<Head> head;

  public AuditLog(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
    this.head = headOf(database);
    database.relayable(RELAYED, data -> connection -> {
      append(connection, fromData(data));
      return null;
    });
  }

  /** The chain's head as the writer keeps it: one per database, whichever feature's AuditLog appends. */
  static WriterState<Head> headOf(Database database) {
    return database.writerState(Head.class, AuditLog::lastRow, null);
  }

  /** The chain's last row as a connection sees it. */
  public static Head lastRow(Connection connection) throws SQLException {
    try (PreparedStatement last = connection.prepareStatement(LAST); ResultSet rs = last.executeQuery()) {
      return rs.next() ? new Head(rs.getLong(1), rs.getString(2)) : new Head(0, AuditHash.GENESIS);
    }
  }

  /**
   * Appends the event on its own; the future completes once it is durably committed. A record of its
   * own (a refusal, a read) is beside what a request creates: it never carries the request's
   * Idempotency-Key, which commits with the create itself.
   */
  public Future<Void> record(AuditEvent event) {
    Optional<LeaderRelay> leader = database.relay();
    if (leader.isPresent()) {
      // A follower of a clustered node: the leader appends it to the one chain; what the record
      // stands for (a read) goes ahead only once the leader has it durably.
      return leader.get().send(RELAYED, null, toData(event));
    }
    return database.writeAside(connection -> {
      append(connection, event);
      return null;
    });
  }

  /**
   * Appends the events, chained in their order, within the caller's write, in one insert statement:
   * a request that audits two things at once (an emergency access opened and viewed) pays one
   * statement, not one per row.
   */
  public void appendAll(Connection connection, List<AuditEvent> events) throws SQLException {
    if (events.size() == 1) {
      append(connection, events.get(0));
      return;
    }
    if (events.isEmpty()) {
      return;
    }
    Head before = head.get(connection);
    long seq = before.seq();
    String prev = before.hash();
    String at = Instant.now(clock).toString();
    StringBuilder sql = new StringBuilder(INSERT);
    for (int i = 1; i < events.size(); i++) {
      sql.append(", (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }
    try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
      int column = 1;
      for (AuditEvent event : events) {
        seq++;
        String detail = event.detail().encode();
        String hash = AuditHash.of(prev, seq, at, event.actor(), event.action(), event.target(), event.outcome(),
            detail);
        insert.setLong(column++, seq);
        insert.setString(column++, at);
        insert.setString(column++, event.actor());
        insert.setString(column++, event.action());
        insert.setString(column++, event.target());
        insert.setString(column++, event.outcome());
        insert.setString(column++, detail);
        insert.setString(column++, prev);
        insert.setString(column++, hash);
        prev = hash;
      }
      insert.executeUpdate();
    }
    head.set(new Head(seq, prev));
  }

  private static JsonObject toData(AuditEvent event) {
    return new JsonObject().put("actor", event.actor()).put("action", event.action()).put("target", event.target())
        .put("outcome", event.outcome()).put("detail", event.detail());
  }

  private static AuditEvent fromData(JsonObject data) {
    return new AuditEvent(data.getString("actor"), data.getString("action"), data.getString("target"),
        data.getString("outcome"), data.getJsonObject("detail"));
  }

  /** Appends the event within the caller's write (same connection, same transaction). */
  public void append(Connection connection, AuditEvent event) throws SQLException {
    Head before = head.get(connection);
    long seq = before.seq() + 1;
    String prev = before.hash();
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
    head.set(new Head(seq, hash));
  }
}
