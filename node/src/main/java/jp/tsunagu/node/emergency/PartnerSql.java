package jp.tsunagu.node.emergency;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Partners' request ids (replay protection) and this node's responders' accesses on partners' patients. */
final class PartnerSql {

  /** An access opened on a partner's patient, as the responder's node keeps it. */
  record PartnerAccess(String id, String responderId, String node, String remoteAccessId, String patientId,
      String reason, String dispatchNumber, String openedAt, String expiresAt) {

    JsonObject toJson() {
      return new JsonObject().put("id", id).put("node", node).put("patientId", patientId).put("reason", reason)
          .put("dispatchNumber", dispatchNumber).put("openedAt", openedAt).put("expiresAt", expiresAt);
    }
  }

  private PartnerSql() {}

  /** Keeps a request id; false when it was already kept (the request is a replay). */
  static boolean rememberRequest(Connection c, String requestId, String node, String at) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into emergency_partner_requests (request_id, node,"
        + " received_at) values (?, ?, ?) on conflict (request_id) do nothing")) {
      s.setString(1, requestId);
      s.setString(2, node);
      s.setString(3, at);
      return s.executeUpdate() == 1;
    }
  }

  /** Deletes the request ids received before a time (stamped as stored); returns how many. */
  static int forgetRequestsBefore(Connection c, String before) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("delete from emergency_partner_requests where received_at < ?")) {
      s.setString(1, before);
      return s.executeUpdate();
    }
  }

  static void insert(Connection c, PartnerAccess a) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into emergency_partner_accesses (id, responder_id, node,"
        + " remote_access_id, patient_id, reason, dispatch_number, opened_at, expires_at)"
        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, a.id());
      s.setString(2, a.responderId());
      s.setString(3, a.node());
      s.setString(4, a.remoteAccessId());
      s.setString(5, a.patientId());
      s.setString(6, a.reason());
      s.setString(7, a.dispatchNumber());
      s.setString(8, a.openedAt());
      s.setString(9, a.expiresAt());
      s.executeUpdate();
    }
  }

  static Optional<PartnerAccess> byId(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select id, responder_id, node, remote_access_id, patient_id,"
        + " reason, dispatch_number, opened_at, expires_at from emergency_partner_accesses where id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new PartnerAccess(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)))
            : Optional.empty();
      }
    }
  }
}
