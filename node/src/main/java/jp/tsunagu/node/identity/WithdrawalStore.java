package jp.tsunagu.node.identity;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL for withdrawal applications (利用廃止申請) and their decisions. */
final class WithdrawalStore {

  /** One application with its facility's name; decision fields empty while pending. */
  record Application(String id, String facilityId, String facilityName, String reason, String requestedBy,
      Instant requestedAt, String status, Optional<String> decisionReason, Optional<String> mailStatus) {
    JsonObject toJson() {
      return new JsonObject().put("id", id).put("facilityId", facilityId).put("facilityName", facilityName)
          .put("reason", reason).put("requestedAt", requestedAt.toString()).put("status", status)
          .put("decisionReason", decisionReason.orElse(null)).put("mailStatus", mailStatus.orElse(null));
    }
  }

  private static final String SELECT = "select w.id, w.facility_id, f.name, w.reason, w.requested_by, w.requested_at,"
      + " w.status, w.decision_reason, w.mail_status from withdrawal_applications w"
      + " join facilities f on f.id = w.facility_id";

  private WithdrawalStore() {}

  static void insert(Connection c, String id, String facilityId, String reason, String userId, Instant now)
      throws SQLException {
    UserStore.update(c, "insert into withdrawal_applications (id, facility_id, reason, requested_by, requested_at,"
        + " status) values (?, ?, ?, ?, ?, 'pending')", id, facilityId, reason, userId, now.toString());
    UserStore.setFacilityStatus(c, facilityId, "withdrawal_requested");
  }

  static boolean pendingExists(Connection c, String facilityId) throws SQLException {
    return UserStore.exists(c, "select 1 from withdrawal_applications where facility_id = ? and status = 'pending'",
        facilityId);
  }

  static List<Application> pending(Connection c) throws SQLException {
    return query(c, SELECT + " where w.status = 'pending' order by w.requested_at");
  }

  /** Decided applications whose mail could not be sent. */
  static List<Application> mailFailed(Connection c) throws SQLException {
    return query(c, SELECT + " where w.mail_status = 'failed' order by w.decided_at");
  }

  static Optional<Application> byId(Connection c, String id) throws SQLException {
    return query(c, SELECT + " where w.id = ?", id).stream().findFirst();
  }

  /**
   * Decides a pending application; false when someone decided it first. The mail is "failed"
   * until it is known to have gone out.
   */
  static boolean decide(Connection c, String id, String status, String reason, String byUserId, Instant now)
      throws SQLException {
    return UserStore.update(c, "update withdrawal_applications set status = ?, decision_reason = ?, decided_by = ?,"
        + " decided_at = ?, mail_status = 'failed' where id = ? and status = 'pending'", status, reason, byUserId,
        now.toString(), id) == 1;
  }

  private static List<Application> query(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setString(i + 1, args[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        List<Application> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new Application(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              Instant.parse(rs.getString(6)), rs.getString(7), Optional.ofNullable(rs.getString(8)),
              Optional.ofNullable(rs.getString(9))));
        }
        return out;
      }
    }
  }
}
