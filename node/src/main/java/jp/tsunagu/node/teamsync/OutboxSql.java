package jp.tsunagu.node.teamsync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of the outbox (migration V7): this node's writes to boards homed elsewhere, waiting for
 * their home nodes until accepted or refused.
 */
final class OutboxSql {

  private OutboxSql() {}

  /** A waiting write of this node to a board homed elsewhere. */
  record OutboxRow(String eventId, String boardId, String homeNode, String envelope, int attempts,
      String nextAttemptAt, String createdAt) {}

  static void insertOutbox(Connection c, String eventId, String boardId, String homeNode, String envelope, String now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into sync_outbox (event_id, board_id, home_node, envelope,"
        + " state, attempts, next_attempt_at, created_at) values (?, ?, ?, ?, 'pending', 0, ?, ?)")) {
      s.setString(1, eventId);
      s.setString(2, boardId);
      s.setString(3, homeNode);
      s.setString(4, envelope);
      s.setString(5, now);
      s.setString(6, now);
      s.executeUpdate();
    }
  }

  /** A write of this node whose origin signature is still to be made (V259): its event's canonical JSON. */
  record UnsignedWrite(String eventId, String boardId, String homeNode, String event, boolean pending) {}

  /** Puts a write in the outbox unsigned: {@link #signedWrites} stores its envelope in a later transaction. */
  static void insertUnsignedOutbox(Connection c, String eventId, String boardId, String homeNode, String event,
      String now, long writeOrder) throws SQLException {
    insertOutbox(c, eventId, boardId, homeNode, TeamLogSql.UNSIGNED, now);
    try (PreparedStatement s = c.prepareStatement(
        "insert into sync_outbox_unsigned (event_id, event, write_order) values (?, ?, ?)")) {
      s.setString(1, eventId);
      s.setString(2, event);
      s.setLong(3, writeOrder);
      s.executeUpdate();
    }
  }

  /**
   * The writes waiting for their origin signature that were written up to {@code writeOrder} (V278: those whose
   * transaction is acknowledged), oldest first.
   */
  static List<UnsignedWrite> unsignedWrites(Connection c, int limit, long writeOrder) throws SQLException {
    List<UnsignedWrite> writes = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select u.event_id, o.board_id, o.home_node, u.event, o.state"
        + " from sync_outbox_unsigned u join sync_outbox o on o.event_id = u.event_id"
        + " where u.write_order <= ? order by o.created_at, o.rowid limit ?")) {
      s.setLong(1, writeOrder);
      s.setInt(2, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          writes.add(new UnsignedWrite(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              "pending".equals(rs.getString(5))));
        }
      }
    }
    return writes;
  }

  /** Stores the origin envelopes made for unsigned writes (event id to envelope). */
  static void signedWrites(Connection c, java.util.Map<String, String> envelopes) throws SQLException {
    try (PreparedStatement update = c.prepareStatement(
        "update sync_outbox set envelope = ? where event_id = ? and envelope = ''");
        PreparedStatement done = c.prepareStatement("delete from sync_outbox_unsigned where event_id = ?")) {
      for (var entry : envelopes.entrySet()) {
        update.setString(1, entry.getValue());
        update.setString(2, entry.getKey());
        update.executeUpdate();
        done.setString(1, entry.getKey());
        done.executeUpdate();
      }
    }
  }

  /** The oldest pending writes to a home node, up to (not including) the first still unsigned. */
  static List<OutboxRow> pendingOutbox(Connection c, String homeNode, int limit) throws SQLException {
    List<OutboxRow> rows = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select event_id, board_id, home_node, envelope, attempts,"
        + " next_attempt_at, created_at from sync_outbox where home_node = ? and state = 'pending'"
        + " order by created_at, rowid limit ?")) {
      s.setString(1, homeNode);
      s.setInt(2, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          if (rs.getString(4).equals(TeamLogSql.UNSIGNED)) {
            break; // the writes after it wait too: the home node gets them in their order
          }
          rows.add(new OutboxRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
              rs.getString(6), rs.getString(7)));
        }
      }
    }
    return rows;
  }

  /** Whether writes of this node on a board still wait for its home node. */
  static boolean writesPending(Connection c, String boardId) throws SQLException {
    return TeamLogSql.text(c, "select event_id from sync_outbox where board_id = ? and state = 'pending' limit 1",
        boardId).isPresent();
  }

  static boolean inOutbox(Connection c, String eventId) throws SQLException {
    return TeamLogSql.text(c, "select event_id from sync_outbox where event_id = ?", eventId).isPresent();
  }

  /** Settles a waiting write; returns whether it was still pending. */
  static boolean settleOutbox(Connection c, String eventId, String state, String code, String now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update sync_outbox set state = ?, code = ?, settled_at = ?"
        + " where event_id = ? and state = 'pending'")) {
      s.setString(1, state);
      s.setString(2, code);
      s.setString(3, now);
      s.setString(4, eventId);
      return s.executeUpdate() == 1;
    }
  }

  static void retryOutboxLater(Connection c, String eventId, String nextAttemptAt) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update sync_outbox set attempts = attempts + 1,"
        + " next_attempt_at = ? where event_id = ?")) {
      s.setString(1, nextAttemptAt);
      s.setString(2, eventId);
      s.executeUpdate();
    }
  }

  /** This node's writes waiting for any home node. */
  static long outboxWaiting(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select count(*) from sync_outbox where state = 'pending'");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Writes waiting for a home node: how many, and since when (epoch millis, -1 for none). */
  static long[] outboxBacklog(Connection c, String homeNode) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select count(*), min(created_at) from sync_outbox"
        + " where home_node = ? and state = 'pending'")) {
      s.setString(1, homeNode);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        String oldest = rs.getString(2);
        return new long[] {rs.getLong(1), oldest == null ? -1 : java.time.Instant.parse(oldest).toEpochMilli()};
      }
    }
  }
}
