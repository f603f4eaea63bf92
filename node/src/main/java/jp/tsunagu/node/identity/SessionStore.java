package jp.tsunagu.node.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** The SQL for web sessions. */
final class SessionStore {

  private SessionStore() {}

  static void insert(Connection c, Session s) throws SQLException {
    UserStore.update(c, "insert into sessions (id_hash, user_id, certificate_id, csrf_token, created_at, last_seen_at)"
        + " values (?, ?, ?, ?, ?, ?)", s.idHash(), s.userId(), s.certificateId().orElse(null), s.csrfToken(),
        s.createdAt().toString(), s.lastSeenAt().toString());
  }

  static Optional<Session> byIdHash(Connection c, String idHash) throws SQLException {
    String sql = "select id_hash, user_id, certificate_id, csrf_token, created_at, last_seen_at from sessions"
        + " where id_hash = ?";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, idHash);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new Session(rs.getString(1), rs.getString(2),
            Optional.ofNullable(rs.getString(3)), rs.getString(4), Instant.parse(rs.getString(5)),
            Instant.parse(rs.getString(6)))) : Optional.empty();
      }
    }
  }

  static void touch(Connection c, String idHash, Instant now) throws SQLException {
    UserStore.update(c, "update sessions set last_seen_at = ? where id_hash = ?", now.toString(), idHash);
  }

  static void delete(Connection c, String idHash) throws SQLException {
    UserStore.update(c, "delete from sessions where id_hash = ?", idHash);
  }

  /** Ends every session of a user (password change or reset, disabling). */
  static void deleteAllOf(Connection c, String userId) throws SQLException {
    UserStore.update(c, "delete from sessions where user_id = ?", userId);
  }
}
