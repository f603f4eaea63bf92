package jp.tsunagu.node.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Slows and then stops password guessing per login id: each failure adds delay to the answer, and
 * {@value #LOCK_AFTER} failures in a row lock the id for {@link #LOCK_FOR}. Known and unknown ids
 * are treated alike, so neither the delay nor the lock tells whether an id exists. The failures
 * are kept in the database (table {@code login_failures}), so restarting the node does not lift
 * a lock; they run inside the login's own read or write.
 */
final class LoginThrottle {

  static final int LOCK_AFTER = 5;
  static final Duration LOCK_FOR = Duration.ofMinutes(15);
  private static final long STEP_MILLIS = 250;
  private static final long MAX_DELAY_MILLIS = 4_000;

  private LoginThrottle() {}

  static boolean locked(Connection c, String loginId, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select locked_until from login_failures where login_key = ?")) {
      s.setString(1, key(loginId));
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getString(1) != null && now.isBefore(Instant.parse(rs.getString(1)));
      }
    }
  }

  /** Records a failure; returns how long to wait before answering. */
  static long fail(Connection c, String loginId, Instant now) throws SQLException {
    // Forget ids that stopped failing, so a flood of made-up ids cannot grow the table for ever.
    String stale = now.minus(LOCK_FOR).toString();
    UserStore.update(c, "delete from login_failures where last_failure_at < ?"
        + " and (locked_until is null or locked_until < ?)", stale, now.toString());
    int count = 1;
    try (PreparedStatement s = c.prepareStatement(
        "select failures, locked_until from login_failures where login_key = ?")) {
      s.setString(1, key(loginId));
      try (ResultSet rs = s.executeQuery()) {
        // A lock that has run out starts the count afresh.
        if (rs.next() && (rs.getString(2) == null || now.isBefore(Instant.parse(rs.getString(2))))) {
          count = rs.getInt(1) + 1;
        }
      }
    }
    UserStore.update(c, "insert into login_failures (login_key, failures, locked_until, last_failure_at)"
        + " values (?, ?, ?, ?) on conflict (login_key) do update set failures = excluded.failures,"
        + " locked_until = excluded.locked_until, last_failure_at = excluded.last_failure_at", key(loginId), count,
        count >= LOCK_AFTER ? now.plus(LOCK_FOR).toString() : null, now.toString());
    return Math.min(MAX_DELAY_MILLIS, STEP_MILLIS * count);
  }

  static void succeed(Connection c, String loginId) throws SQLException {
    UserStore.update(c, "delete from login_failures where login_key = ?", key(loginId));
  }

  private static String key(String loginId) {
    return loginId.toLowerCase(Locale.ROOT);
  }
}
