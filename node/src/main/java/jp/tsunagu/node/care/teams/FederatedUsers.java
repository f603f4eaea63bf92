package jp.tsunagu.node.care.teams;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.care.replication.SyncRejection;

/**
 * People across nodes. A team event names people by federated id, {@code loginId@node}; on each
 * node that id maps to a {@code users} row: the node's own user (by login id) or a shadow row for a
 * partner's professional, whose id is the federated id itself and which has no password, so it can
 * never log in. Shadow rows keep the existing foreign keys and member code working unchanged.
 */
public final class FederatedUsers {

  private final String localNode;

  public FederatedUsers(String localNode) {
    this.localNode = localNode;
  }

  public String localNode() {
    return localNode;
  }

  /** The federated id of a users row: its own id for a shadow, login id @ this node otherwise. */
  public String federatedId(Connection c, String userId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select login_id, home_node from users where id = ?")) {
      s.setString(1, userId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no user " + userId);
        }
        return federatedId(userId, rs.getString(1), rs.getString(2));
      }
    }
  }

  private String federatedId(String userId, String loginId, String homeNode) {
    return homeNode != null ? userId : loginId + "@" + localNode;
  }

  /** Who a person is, as events carry it: federated id, name, kana, profession, facility. */
  public JsonObject profile(Connection c, String userId) throws SQLException {
    // the federated id from the same row: every event a shared board logs carries its author's profile, made on
    // the database writer
    try (PreparedStatement s = c.prepareStatement("select u.family_name, u.given_name, u.family_kana, u.given_kana,"
        + " u.profession, coalesce(f.name, u.remote_facility, ''), u.login_id, u.home_node from users u"
        + " left join facilities f on f.id = u.facility_id where u.id = ?")) {
      s.setString(1, userId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no user " + userId);
        }
        return new JsonObject().put("id", federatedId(userId, rs.getString(7), rs.getString(8))).put("familyName", rs.getString(1))
            .put("givenName", rs.getString(2)).put("familyKana", rs.getString(3)).put("givenKana", rs.getString(4))
            .put("profession", rs.getString(5)).put("facility", rs.getString(6));
      }
    }
  }

  /**
   * The users row for a federated id: this node's own user, or the shadow of a partner's user
   * (created, or its name and facility refreshed, when a profile comes with it).
   */
  public String localUser(Connection c, String federatedId, JsonObject profile) throws SQLException {
    FederatedId id = FederatedId.tryParse(federatedId).orElseThrow(() -> SyncRejection.malformed(
        "'" + federatedId + "' is not a federated id"));
    if (id.node().equals(localNode)) {
      try (PreparedStatement s = c.prepareStatement(
          "select id from users where login_id = ? and home_node is null")) {
        s.setString(1, id.loginId());
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            throw new SyncRejection("sync.user_unknown", federatedId + " is not a user of " + localNode);
          }
          return rs.getString(1);
        }
      }
    }
    upsertShadow(c, id, profile);
    return id.toString();
  }

  /** Whether the id names a user of this node that does not exist (a partner may name anyone). */
  public boolean unknownLocal(Connection c, String federatedId) throws SQLException {
    var id = FederatedId.tryParse(federatedId);
    if (id.isEmpty() || !id.get().node().equals(localNode)) {
      return false;
    }
    try (PreparedStatement s = c.prepareStatement("select 1 from users where login_id = ? and home_node is null")) {
      s.setString(1, id.get().loginId());
      try (ResultSet rs = s.executeQuery()) {
        return !rs.next();
      }
    }
  }

  /** A shadow row; without a profile an existing row is kept and a new one named by its login id. */
  public void upsertShadow(Connection c, FederatedId id, JsonObject profile) throws SQLException {
    JsonObject p = profile == null ? new JsonObject() : profile;
    boolean known = exists(c, id.toString());
    if (known && (profile == null || sameProfile(c, id.toString(), p))) {
      return;
    }
    String sql = known
        ? "update users set family_name = ?, given_name = ?, family_kana = ?, given_kana = ?, profession = ?,"
            + " remote_facility = ? where id = ?"
        : "insert into users (family_name, given_name, family_kana, given_kana, profession, remote_facility, id,"
            + " login_id, email, role, password_hash, status, created_at, home_node)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'professional', '!', 'active', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, text(p, "familyName", id.loginId(), 40));
      s.setString(2, text(p, "givenName", "", 40));
      s.setString(3, text(p, "familyKana", "", 40));
      s.setString(4, text(p, "givenKana", "", 40));
      s.setString(5, text(p, "profession", "other", 40));
      s.setString(6, text(p, "facility", "", 200));
      s.setString(7, id.toString());
      if (!known) {
        s.setString(8, id.toString());
        s.setString(9, id + ".invalid");
        s.setString(10, id.node());
      }
      s.executeUpdate();
    }
  }

  /** Whether the shadow row already shows this profile (most events of a person repeat it). */
  private static boolean sameProfile(Connection c, String id, JsonObject p) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select family_name, given_name, family_kana, given_kana,"
        + " profession, coalesce(remote_facility, '') from users where id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getString(1).equals(p.getString("familyName", ""))
            && rs.getString(2).equals(p.getString("givenName", ""))
            && rs.getString(3).equals(p.getString("familyKana", ""))
            && rs.getString(4).equals(p.getString("givenKana", ""))
            && rs.getString(5).equals(p.getString("profession", "other"))
            && rs.getString(6).equals(p.getString("facility", ""));
      }
    }
  }

  private static boolean exists(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select 1 from users where id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The node a users row belongs to: its home node for a shadow, this node otherwise. */
  public String nodeOf(Connection c, String userId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select home_node from users where id = ?")) {
      s.setString(1, userId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getString(1) != null ? rs.getString(1) : localNode;
      }
    }
  }

  private static String text(JsonObject json, String key, String fallback, int max) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s) || s.length() > max) {
      throw SyncRejection.malformed(key + " is not a short text");
    }
    return s;
  }

  static CodedException notInvitable() {
    return CodedException.invalid("care.invitee_unknown", "招待できる専門職が見つかりません。");
  }
}
