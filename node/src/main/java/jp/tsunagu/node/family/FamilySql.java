package jp.tsunagu.node.family;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The family notebook's SQL: accounts, their sessions and the entries they write. */
final class FamilySql {

  private static final String ACCOUNT_COLUMNS = "id, patient_id, login_id, email, display_name, relation, consent_by,"
      + " consent_at, invited_by, invited_at, status, password_hash, totp_secret, totp_last_step, failed_logins,"
      + " locked_until, last_login_at";

  private FamilySql() {}

  record Entry(String id, String accountId, String kind, String body, String createdAt) {}

  static void insertAccount(Connection c, FamilyAccount a, String activationHash, String activationExpires)
      throws SQLException {
    update(c, "insert into family_accounts (id, patient_id, login_id, email, display_name, relation, consent_by,"
        + " consent_at, invited_by, invited_at, activation_hash, activation_expires, status) values"
        + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'invited')", a.id(), a.patientId(), a.loginId(), a.email(),
        a.displayName(), a.relation(), a.consentBy(), a.consentAt(), a.invitedBy(), a.invitedAt(), activationHash,
        activationExpires);
  }

  static boolean loginIdTaken(Connection c, String loginId) throws SQLException {
    return byLoginId(c, loginId).isPresent();
  }

  static Optional<FamilyAccount> byLoginId(Connection c, String loginId) throws SQLException {
    List<FamilyAccount> found = accounts(c, "where login_id = ?", loginId);
    return found.stream().findFirst();
  }

  static Optional<FamilyAccount> byId(Connection c, String id) throws SQLException {
    return accounts(c, "where id = ?", id).stream().findFirst();
  }

  static List<FamilyAccount> ofPatient(Connection c, String patientId) throws SQLException {
    return accounts(c, "where patient_id = ? order by invited_at", patientId);
  }

  /** The account an unexpired activation code opens. */
  static Optional<FamilyAccount> byActivation(Connection c, String hash, String now) throws SQLException {
    return accounts(c, "where activation_hash = ? and activation_expires > ? and status <> 'revoked'", hash, now)
        .stream().findFirst();
  }

  static void activate(Connection c, String id, String passwordHash, String totpSecret) throws SQLException {
    update(c, "update family_accounts set password_hash = ?, totp_secret = ?, totp_last_step = 0,"
        + " activation_hash = null, activation_expires = null, status = 'active', failed_logins = 0,"
        + " locked_until = null where id = ?", passwordHash, totpSecret, id);
  }

  /** A recovery by the team: the old password, TOTP secret and sessions stop working; a new code is issued. */
  static void reissue(Connection c, String id, String activationHash, String expires) throws SQLException {
    update(c, "update family_accounts set password_hash = null, totp_secret = null, status = 'invited',"
        + " activation_hash = ?, activation_expires = ? where id = ?", activationHash, expires, id);
    update(c, "delete from family_sessions where account_id = ?", id);
    update(c, "delete from family_passkeys where account_id = ?", id);
  }

  /** The team stops the account: it can no longer log in, and its sessions end now. */
  static void revoke(Connection c, String id) throws SQLException {
    update(c, "update family_accounts set status = 'revoked', activation_hash = null, activation_expires = null"
        + " where id = ?", id);
    update(c, "delete from family_sessions where account_id = ?", id);
  }

  static void loginSucceeded(Connection c, String id, long step, String now) throws SQLException {
    update(c, "update family_accounts set totp_last_step = ?, failed_logins = 0, locked_until = null,"
        + " last_login_at = ? where id = ?", step, now, id);
  }

  static void loginFailed(Connection c, String id, int failures, String lockedUntil) throws SQLException {
    update(c, "update family_accounts set failed_logins = ?, locked_until = ? where id = ?", failures, lockedUntil, id);
  }

  static void insertSession(Connection c, String idHash, String accountId, String csrf, String now)
      throws SQLException {
    update(c, "insert into family_sessions (id_hash, account_id, csrf_token, created_at, last_seen_at)"
        + " values (?, ?, ?, ?, ?)", idHash, accountId, csrf, now, now);
  }

  record SessionRow(String accountId, String csrfToken, String createdAt, String lastSeenAt) {}

  static Optional<SessionRow> session(Connection c, String idHash) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select account_id, csrf_token, created_at, last_seen_at"
        + " from family_sessions where id_hash = ?")) {
      s.setString(1, idHash);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new SessionRow(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getString(4))) : Optional.empty();
      }
    }
  }

  static void touchSession(Connection c, String idHash, String now) throws SQLException {
    update(c, "update family_sessions set last_seen_at = ? where id_hash = ?", now, idHash);
  }

  static void deleteSession(Connection c, String idHash) throws SQLException {
    update(c, "delete from family_sessions where id_hash = ?", idHash);
  }

  static void insertEntry(Connection c, String id, String accountId, String patientId, String kind, String body,
      String now, String postId) throws SQLException {
    update(c, "insert into family_entries (id, account_id, patient_id, kind, body, created_at, post_id)"
        + " values (?, ?, ?, ?, ?, ?, ?)", id, accountId, patientId, kind, body, now, postId);
  }

  /** How many entries the account wrote since the instant (stored times compare as text). */
  static int entriesSince(Connection c, String accountId, String since) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select count(*) from family_entries where account_id = ?"
        + " and created_at >= ?")) {
      s.setString(1, accountId);
      s.setString(2, since);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  /** The patient's notebook entries, newest first, by every family account of the patient. */
  static List<Entry> entries(Connection c, String patientId, int limit) throws SQLException {
    List<Entry> entries = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select id, account_id, kind, body, created_at from family_entries"
        + " where patient_id = ? order by created_at desc, id desc limit ?")) {
      s.setString(1, patientId);
      s.setInt(2, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          entries.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
        }
      }
    }
    return entries;
  }

  /** An entry of the patient's notebook and its notice on the timeline (null when none was written). */
  record EntryOf(String id, String patientId, String postId) {}

  static Optional<EntryOf> entryOfPatient(Connection c, String entryId, String patientId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select id, patient_id, post_id from family_entries"
        + " where id = ? and patient_id = ?")) {
      bind(s, entryId, patientId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new EntryOf(rs.getString(1), rs.getString(2), rs.getString(3)))
            : Optional.empty();
      }
    }
  }

  static void insertPhoto(Connection c, String attachmentId, String entryId, String accountId, String patientId,
      String now) throws SQLException {
    update(c, "insert into family_entry_photos (attachment_id, entry_id, account_id, patient_id, created_at)"
        + " values (?, ?, ?, ?, ?)", attachmentId, entryId, accountId, patientId, now);
  }

  static int count(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  static int photosOfEntry(Connection c, String entryId) throws SQLException {
    return count(c, "select count(*) from family_entry_photos where entry_id = ?", entryId);
  }

  static int photosSince(Connection c, String accountId, String since) throws SQLException {
    return count(c, "select count(*) from family_entry_photos where account_id = ? and created_at >= ?",
        accountId, since);
  }

  /** The photos of the patient's entries, by entry, oldest first. */
  static java.util.Map<String, List<String>> photosByEntry(Connection c, String patientId) throws SQLException {
    java.util.Map<String, List<String>> out = new java.util.HashMap<>();
    try (PreparedStatement s = c.prepareStatement("select entry_id, attachment_id from family_entry_photos"
        + " where patient_id = ? order by created_at, attachment_id")) {
      bind(s, patientId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        }
      }
    }
    return out;
  }

  /** The notice a photo of the patient's notebook is tied to; empty for any other photo. */
  static Optional<String> photoNotice(Connection c, String attachmentId, String patientId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select e.post_id from family_entry_photos p join family_entries e"
        + " on e.id = p.entry_id where p.attachment_id = ? and p.patient_id = ? and e.post_id is not null")) {
      bind(s, attachmentId, patientId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private static List<FamilyAccount> accounts(Connection c, String where, Object... args) throws SQLException {
    List<FamilyAccount> found = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select " + ACCOUNT_COLUMNS + " from family_accounts " + where)) {
      bind(s, args);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(new FamilyAccount(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
              rs.getString(11), Optional.ofNullable(rs.getString(12)), Optional.ofNullable(rs.getString(13)),
              rs.getLong(14), rs.getInt(15), Optional.ofNullable(rs.getString(16)),
              Optional.ofNullable(rs.getString(17))));
        }
      }
    }
    return found;
  }

  static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      return s.executeUpdate();
    }
  }

  static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      s.setObject(i + 1, args[i]);
    }
  }
}
