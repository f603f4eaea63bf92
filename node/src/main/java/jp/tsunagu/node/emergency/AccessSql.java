package jp.tsunagu.node.emergency;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Emergency accesses and the accounts flagged for asking too many in an hour. */
final class AccessSql {

  /** One access: who opened whose record, why, under which 出場番号, until when. */
  record Access(String id, String responderId, String responderName, String patientId, String reason,
      String dispatchNumber, String openedAt, String expiresAt) {

    JsonObject toJson() {
      return new JsonObject().put("id", id).put("patientId", patientId).put("responder", responderName)
          .put("reason", reason).put("dispatchNumber", dispatchNumber).put("openedAt", openedAt)
          .put("expiresAt", expiresAt);
    }
  }

  private static final String COLUMNS = "select id, responder_id, responder_name, patient_id, reason, dispatch_number,"
      + " opened_at, expires_at from emergency_accesses";

  private AccessSql() {}

  static void insert(Connection c, Access a) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into emergency_accesses (id, responder_id, responder_name,"
        + " patient_id, reason, dispatch_number, opened_at, expires_at) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, a.id());
      s.setString(2, a.responderId());
      s.setString(3, a.responderName());
      s.setString(4, a.patientId());
      s.setString(5, a.reason());
      s.setString(6, a.dispatchNumber());
      s.setString(7, a.openedAt());
      s.setString(8, a.expiresAt());
      s.executeUpdate();
    }
  }

  static Optional<Access> byId(Connection c, String id) throws SQLException {
    return read(c, COLUMNS + " where id = ?", id).stream().findFirst();
  }

  /** How many accesses the account opened at or after {@code since} (an ISO instant; they sort as text). */
  static int openedSince(Connection c, String responderId, String since) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select count(*) from emergency_accesses"
        + " where responder_id = ? and opened_at >= ?")) {
      s.setString(1, responderId);
      s.setString(2, since);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** The newest accesses first, for 行政's review. */
  static List<Access> recent(Connection c, int limit) throws SQLException {
    return read(c, COLUMNS + " order by opened_at desc, id limit ?", limit);
  }

  static void flag(Connection c, String id, String responderId, String responderName, String now, int accesses)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into emergency_access_flags (id, responder_id,"
        + " responder_name, flagged_at, accesses) values (?, ?, ?, ?, ?)")) {
      s.setString(1, id);
      s.setString(2, responderId);
      s.setString(3, responderName);
      s.setString(4, now);
      s.setInt(5, accesses);
      s.executeUpdate();
    }
  }

  /** Refused attempts of flagged accounts, newest first. */
  static List<JsonObject> flags(Connection c, int limit) throws SQLException {
    List<JsonObject> flags = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select id, responder_name, flagged_at, accesses"
        + " from emergency_access_flags order by flagged_at desc, id limit ?")) {
      s.setInt(1, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          flags.add(new JsonObject().put("id", rs.getString(1)).put("responder", rs.getString(2))
              .put("flaggedAt", rs.getString(3)).put("accessesInHour", rs.getInt(4)));
        }
      }
    }
    return flags;
  }

  private static List<Access> read(Connection c, String sql, Object... values) throws SQLException {
    List<Access> found = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        s.setObject(i + 1, values[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(new Access(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), rs.getString(7), rs.getString(8)));
        }
      }
    }
    return found;
  }
}
