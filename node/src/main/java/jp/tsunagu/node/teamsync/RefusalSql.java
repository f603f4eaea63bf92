package jp.tsunagu.node.teamsync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The SQL of refusals (migrations V20 and V40): partners' submissions refused here, home nodes'
 * events a replica here skipped, and events of boards homed here that a partner answered as rejected.
 * Each keeps ids, codes, hashes and sizes, never the refused content.
 */
final class RefusalSql {

  private RefusalSql() {}

  /** The refusal kept for an event id: its code and message. */
  static Optional<String[]> rejection(Connection c, String eventId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select code, message from refused_events where event_id = ?")) {
      s.setString(1, eventId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : Optional.empty();
      }
    }
  }

  /** How many refusals of an origin were kept since a moment (the daily cap counts them). */
  static long refusalsSince(Connection c, String origin, String since) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "select count(*) from refused_events where origin = ? and refused_at >= ?")) {
      s.setString(1, origin);
      s.setString(2, since);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Keeps a refusal by id, origin, code, hash and size: never the refused content itself. */
  static void insertRejection(Connection c, String eventId, String origin, String boardId, String code,
      String message, String sha256, long size, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert or ignore into refused_events (event_id, origin, board_id,"
        + " code, message, sha256, size, refused_at) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, eventId);
      s.setString(2, origin);
      s.setString(3, boardId);
      s.setString(4, code);
      s.setString(5, message.length() > 200 ? message.substring(0, 200) : message);
      s.setString(6, sha256);
      s.setLong(7, size);
      s.setString(8, now);
      s.executeUpdate();
    }
  }

  /**
   * A home node's event this replica could not take: its seq is passed, and why is kept with the
   * event's id, hash and size (never its content: a home node cannot fill this node's disk with it).
   */
  static void insertSkipped(Connection c, String boardId, long seq, String eventId, String code, String message,
      String envelope, String now) throws SQLException {
    byte[] bytes = envelope.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (PreparedStatement s = c.prepareStatement("insert or ignore into replica_skipped_events (board_id, seq,"
        + " event_id, code, message, sha256, size, skipped_at) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, boardId);
      s.setLong(2, seq);
      s.setString(3, eventId == null || eventId.length() <= 100 ? eventId : eventId.substring(0, 100));
      s.setString(4, code);
      s.setString(5, message == null ? "" : message.length() > 200 ? message.substring(0, 200) : message);
      s.setString(6, jp.tsunagu.federation.crypto.Sha256.hex(bytes));
      s.setLong(7, bytes.length);
      s.setString(8, now);
      s.executeUpdate();
    }
  }

  /** An event of a board homed here that a partner answered as rejected; returns whether it is new. */
  static boolean insertPushRejection(Connection c, String peer, String boardId, long seq, String eventId, String code,
      String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert or ignore into sync_push_rejections (peer, board_id, seq,"
        + " event_id, code, rejected_at) values (?, ?, ?, ?, ?, ?)")) {
      s.setString(1, peer);
      s.setString(2, boardId);
      s.setLong(3, seq);
      s.setString(4, eventId);
      s.setString(5, code);
      s.setString(6, now);
      return s.executeUpdate() == 1;
    }
  }

  static long pushRejections(Connection c, String peer) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select count(*) from sync_push_rejections where peer = ?")) {
      s.setString(1, peer);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
