package jp.tsunagu.node.sensors;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The gateways a node issued a credential to, and the devices registered to each, as plain SQL. */
final class GatewaySql {

  /** A gateway; {@code publicKey} is its public JWK as JSON text. */
  record Gateway(String id, String name, String provider, String publicKey, String status, int ratePerMinute,
      String issuedBy, String issuedAt, String revokedBy, String revokedAt, Long lastSeenMs, int devices) {

    boolean active() {
      return "active".equals(status);
    }

    JsonObject toJson() {
      return new JsonObject().put("id", id).put("name", name).put("provider", provider)
          .put("publicKey", new JsonObject(publicKey)).put("status", status).put("ratePerMinute", ratePerMinute)
          .put("issuedAt", issuedAt).put("revokedAt", revokedAt).put("lastSeenMs", lastSeenMs).put("devices", devices);
    }
  }

  /** A device registered to a gateway, as the simulator needs it. */
  record Device(String id, String householdId, String place, String kind, String householdStatus) {

    JsonObject toJson() {
      return new JsonObject().put("id", id).put("household", householdId).put("place", place).put("kind", kind)
          .put("householdStatus", householdStatus);
    }
  }

  private static final String SELECT = "select g.id, g.name, g.provider, g.public_key, g.status, g.rate_per_minute,"
      + " g.issued_by, g.issued_at, g.revoked_by, g.revoked_at, g.last_seen_ms,"
      + " (select count(*) from sensor_devices d where d.gateway_id = g.id) from sensor_gateways g";

  private GatewaySql() {}

  static Optional<Gateway> byId(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(SELECT + " where g.id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  static List<Gateway> all(Connection c) throws SQLException {
    List<Gateway> gateways = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(SELECT + " order by g.issued_at desc, g.id");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        gateways.add(row(rs));
      }
    }
    return gateways;
  }

  static void insert(Connection c, Gateway g) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into sensor_gateways (id, name, provider, public_key, status,"
        + " rate_per_minute, issued_by, issued_at) values (?, ?, ?, ?, 'active', ?, ?, ?)")) {
      s.setString(1, g.id());
      s.setString(2, g.name());
      s.setString(3, g.provider());
      s.setString(4, g.publicKey());
      s.setInt(5, g.ratePerMinute());
      s.setString(6, g.issuedBy());
      s.setString(7, g.issuedAt());
      s.executeUpdate();
    }
  }

  /** @return whether an active gateway was revoked (false: none, or revoked before) */
  static boolean revoke(Connection c, String id, String by, String at) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update sensor_gateways set status = 'revoked', revoked_by = ?,"
        + " revoked_at = ? where id = ? and status = 'active'")) {
      s.setString(1, by);
      s.setString(2, at);
      s.setString(3, id);
      return s.executeUpdate() == 1;
    }
  }

  static List<Device> devices(Connection c, String gatewayId) throws SQLException {
    List<Device> devices = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select d.id, d.household_id, d.place, d.kind, h.status"
        + " from sensor_devices d join sensor_households h on h.id = d.household_id where d.gateway_id = ?"
        + " order by d.household_id, d.id")) {
      s.setString(1, gatewayId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          devices.add(new Device(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
        }
      }
    }
    return devices;
  }

  /**
   * The account an operator names as the one issuing or revoking from the admin CLI: an active node
   * operator or municipal staff account (a gateway's record names a person, not a machine).
   */
  static Optional<String> operatorAccount(Connection c, String loginId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select id from users where login_id = ? and status = 'active'"
        + " and role in ('node_operator', 'municipal_staff')")) {
      s.setString(1, loginId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private static Gateway row(ResultSet rs) throws SQLException {
    long seen = rs.getLong(11);
    Long lastSeen = rs.wasNull() ? null : seen;
    return new Gateway(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getInt(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), lastSeen, rs.getInt(12));
  }
}
