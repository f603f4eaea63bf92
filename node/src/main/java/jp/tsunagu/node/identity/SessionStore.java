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

  /** A session with its user and the device certificate it was made with (none for a password-only one). */
  record Found(Session session, User user, Optional<DeviceCertificate> certificate) {}

  private static final String FOUND = "select " + UserStore.columns("u") + ", s.id_hash, s.user_id,"
      + " s.certificate_id, s.csrf_token, s.created_at, s.last_seen_at, " + CertificateStore.columns("k")
      + " from sessions s join users u on u.id = s.user_id left join device_certificates k on k.id = s.certificate_id"
      + " where s.id_hash = ?";

  /**
   * The session, its user and its certificate in one statement: every request with a session cookie
   * reads all three, and as three statements (two without a certificate) they were most of the work of
   * the node's cheapest request. A session whose user is gone is no session; a certificate that is
   * gone is none, as before.
   */
  static Optional<Found> found(Connection c, String idHash) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(FOUND)) {
      s.setString(1, idHash);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        int at = UserStore.COLUMN_COUNT;
        Session session = new Session(rs.getString(at + 1), rs.getString(at + 2),
            Optional.ofNullable(rs.getString(at + 3)), rs.getString(at + 4), Instant.parse(rs.getString(at + 5)),
            Instant.parse(rs.getString(at + 6)));
        Optional<DeviceCertificate> certificate = rs.getString(at + 7) == null ? Optional.empty()
            : Optional.of(CertificateStore.read(rs, at + 6));
        return Optional.of(new Found(session, UserStore.read(rs), certificate));
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
