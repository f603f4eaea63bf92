package jp.tsunagu.node.web.idempotency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;

/** The {@code idempotency_keys} table (migration V120). Times are epoch milliseconds of the node's clock. */
final class IdempotencySql {

  private static final String FIND = "select fingerprint, answer_kept, answer_status, answer_type, answer_body"
      + " from idempotency_keys where scope = ? and request_key = ? and created_ms >= ?";
  /**
   * The key, with the create's answer when it is kept in the create's own transaction
   * (KeyedRequest#keepWithCreate). An expired row of the same key that pruning has not removed yet
   * gives way in the same statement (it was a delete and then an insert: two statements in the
   * single writer on every keyed create, for a row that is almost never there); a live row stays
   * as it is and nothing is changed, which tells that another attempt got there first.
   */
  private static final String INSERT = "insert into idempotency_keys (scope, request_key, fingerprint, created_ms,"
      + " answer_kept, answer_status, answer_type, answer_body) values (?, ?, ?, ?, 1, ?, ?, ?)"
      + " on conflict (scope, request_key) do update set fingerprint = excluded.fingerprint,"
      + " created_ms = excluded.created_ms, answer_kept = excluded.answer_kept,"
      + " answer_status = excluded.answer_status, answer_type = excluded.answer_type,"
      + " answer_body = excluded.answer_body where idempotency_keys.created_ms < ?";
  private static final String ANSWER = "update idempotency_keys set answer_kept = ?, answer_status = ?,"
      + " answer_type = ?, answer_body = ? where scope = ? and request_key = ?";
  private static final String PRUNE = "delete from idempotency_keys where created_ms < ?";
  /** Writes the key's row as it is: a write after the create's, for a replay to wait on (IdempotencyKeys). */
  private static final String CONFIRM = "update idempotency_keys set answer_kept = answer_kept"
      + " where scope = ? and request_key = ?";

  private IdempotencySql() {}

  /** The key's row if made at or after {@code keptSinceMs}; an older one counts as gone. */
  static Optional<StoredKey> find(Connection c, String scope, String key, long keptSinceMs) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(FIND)) {
      s.setString(1, scope);
      s.setString(2, key);
      s.setLong(3, keptSinceMs);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        int status = rs.getInt(3);
        Optional<StoredKey.Answer> answer = rs.wasNull() ? Optional.empty()
            : Optional.of(new StoredKey.Answer(status, rs.getString(4), rs.getString(5)));
        return Optional.of(new StoredKey(rs.getString(1), rs.getInt(2) == 1, answer));
      }
    }
  }

  /**
   * Records the key in the create's own transaction (an expired row of the same key, not yet pruned,
   * gives way). A row that is there already means another attempt with this key got there first.
   * With {@code answer}, the create's answer is kept in the same row; null, it is kept afterwards.
   */
  static void insert(Connection c, String scope, String key, String fingerprint, long nowMs, long keptSinceMs,
      StoredKey.Answer answer) throws SQLException {
    int changed;
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      s.setString(1, scope);
      s.setString(2, key);
      s.setString(3, fingerprint);
      s.setLong(4, nowMs);
      if (answer == null) {
        s.setNull(5, Types.INTEGER);
        s.setNull(6, Types.VARCHAR);
        s.setNull(7, Types.VARCHAR);
      } else {
        s.setInt(5, answer.status());
        s.setString(6, answer.contentType());
        s.setString(7, answer.body());
      }
      s.setLong(8, keptSinceMs);
      changed = s.executeUpdate();
    }
    if (changed == 0) {
      throw IdempotencyErrors.inProgress();
    }
  }

  /** Keeps the route's answer for retries; {@code kept} false keeps only that it was answered. */
  static void answer(Connection c, String scope, String key, StoredKey.Answer answer, boolean kept)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(ANSWER)) {
      s.setInt(1, kept ? 1 : 0);
      s.setInt(2, answer.status());
      s.setString(3, kept ? answer.contentType() : null);
      s.setString(4, kept ? answer.body() : null);
      s.setString(5, scope);
      s.setString(6, key);
      s.executeUpdate();
    }
  }

  /** Removes the keys made before {@code keptSinceMs}; returns how many. */
  static Void confirm(Connection c, String scope, String key) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(CONFIRM)) {
      s.setString(1, scope);
      s.setString(2, key);
      s.executeUpdate();
    }
    return null;
  }

  static int prune(Connection c, long keptSinceMs) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(PRUNE)) {
      s.setLong(1, keptSinceMs);
      return s.executeUpdate();
    }
  }
}
