package jp.tsunagu.node.family;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of family accounts' passkeys and of the challenges handed out for them. */
final class PasskeySql {

  private static final String COLUMNS = "p.id, p.credential_id, p.account_id, a.login_id, p.public_key, p.sign_count,"
      + " p.aaguid, p.format, p.flags, p.created_at, p.last_used_at";

  private PasskeySql() {}

  /** A stored passkey, with the login id of its account (the name WebAuthn knows the account by). */
  record Passkey(String id, String credentialId, String accountId, String loginId, String publicKey, long signCount,
      String aaguid, String format, int flags, String createdAt, Optional<String> lastUsedAt) {}

  static void insertChallenge(Connection c, String hash, String purpose, String accountId, String expires, String now)
      throws SQLException {
    // Expired challenges go with every new one: an anonymous caller asking again and again keeps only a few minutes' worth.
    FamilySql.update(c, "delete from family_passkey_challenges where expires_at <= ?", now);
    FamilySql.update(c, "insert into family_passkey_challenges (challenge_hash, purpose, account_id, expires_at)"
        + " values (?, ?, ?, ?)", hash, purpose, accountId, expires);
  }

  static void forgetExpired(Connection c, String now) throws SQLException {
    FamilySql.update(c, "delete from family_passkey_challenges where expires_at <= ?", now);
  }

  /** Unexpired login challenges: the node's all, or those handed to one address. */
  static int outstandingLogins(Connection c, String address, String now) throws SQLException {
    return address == null
        ? FamilySql.count(c, "select count(*) from family_passkey_challenges where purpose = 'login'"
            + " and expires_at > ?", now)
        : FamilySql.count(c, "select count(*) from family_passkey_challenges where client_address = ?"
            + " and purpose = 'login' and expires_at > ?", address, now);
  }

  static int outstandingRegistrations(Connection c, String accountId, String now) throws SQLException {
    return FamilySql.count(c, "select count(*) from family_passkey_challenges where account_id = ?"
        + " and purpose = 'register' and expires_at > ?", accountId, now);
  }

  static void insertLoginChallenge(Connection c, String hash, String address, String expires) throws SQLException {
    FamilySql.update(c, "insert into family_passkey_challenges (challenge_hash, purpose, account_id, expires_at,"
        + " client_address) values (?, 'login', null, ?, ?)", hash, expires, address);
  }

  /** Uses up a challenge: true once for an unexpired challenge of this purpose and account (null: a login). */
  static boolean consumeChallenge(Connection c, String hash, String purpose, String accountId, String now)
      throws SQLException {
    return FamilySql.update(c, "delete from family_passkey_challenges where challenge_hash = ? and purpose = ?"
        + " and account_id is ? and expires_at > ?", hash, purpose, accountId, now) == 1;
  }

  static Optional<Passkey> byCredential(Connection c, String credentialId) throws SQLException {
    return passkeys(c, "where p.credential_id = ?", credentialId).stream().findFirst();
  }

  static List<Passkey> ofLoginId(Connection c, String loginId) throws SQLException {
    return passkeys(c, "where a.login_id = ? order by p.created_at", loginId);
  }

  static List<Passkey> ofAccount(Connection c, String accountId) throws SQLException {
    return passkeys(c, "where p.account_id = ? order by p.created_at", accountId);
  }

  static int countOfAccount(Connection c, String accountId) throws SQLException {
    return FamilySql.count(c, "select count(*) from family_passkeys where account_id = ?", accountId);
  }

  static void insert(Connection c, String id, String credentialId, String accountId, String publicKey, long signCount,
      String aaguid, String format, int flags, String now) throws SQLException {
    FamilySql.update(c, "insert into family_passkeys (id, credential_id, account_id, public_key, sign_count, aaguid,"
        + " format, flags, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", id, credentialId, accountId, publicKey,
        signCount, aaguid, format, flags, now);
  }

  static void used(Connection c, String credentialId, long signCount, String now) throws SQLException {
    FamilySql.update(c, "update family_passkeys set sign_count = ?, last_used_at = ? where credential_id = ?",
        signCount, now, credentialId);
  }

  /** Removes one of the account's passkeys; false when it has none of that id. */
  static boolean remove(Connection c, String id, String accountId) throws SQLException {
    return FamilySql.update(c, "delete from family_passkeys where id = ? and account_id = ?", id, accountId) == 1;
  }

  /** A login with a passkey: the failures so far are forgotten, the TOTP step is left as it was. */
  static void loginSucceeded(Connection c, String accountId, String now) throws SQLException {
    FamilySql.update(c, "update family_accounts set failed_logins = 0, locked_until = null, last_login_at = ?"
        + " where id = ?", now, accountId);
  }

  private static List<Passkey> passkeys(Connection c, String where, Object... args) throws SQLException {
    List<Passkey> found = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from family_passkeys p join family_accounts a"
        + " on a.id = p.account_id " + where)) {
      FamilySql.bind(s, args);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(new Passkey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getLong(6), rs.getString(7), rs.getString(8), rs.getInt(9), rs.getString(10),
              Optional.ofNullable(rs.getString(11))));
        }
      }
    }
    return found;
  }
}
