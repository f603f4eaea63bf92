package jp.tsunagu.node.emergency;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Handover sheets for the receiving hospital: made from an access, opened once by link and code. */
final class HandoverSql {

  /** One sheet; {@code sheet} is the JSON as made (emptied once revoked). Stamps are ISO instants or null. */
  record Handover(String id, String accessId, String responderId, String responderName, String patientId,
      String hospital, String tokenHash, String codeHash, String sheet, String madeAt, String expiresAt,
      String openedAt, int failedCodes, String lockedAt, String revokedAt) {

    /** What the sheet's state is now, in the order a hospital's open is refused. */
    String status(String now) {
      if (revokedAt != null) {
        return "revoked";
      }
      if (lockedAt != null) {
        return "locked";
      }
      if (openedAt != null) {
        return "used";
      }
      return now.compareTo(expiresAt) >= 0 ? "expired" : "active";
    }

    /** For the crew and 行政: never the token or code, never the sheet's content. */
    JsonObject summary(String now) {
      return new JsonObject().put("id", id).put("accessId", accessId).put("responder", responderName)
          .put("hospital", hospital).put("madeAt", madeAt).put("expiresAt", expiresAt).put("openedAt", openedAt)
          .put("failedCodes", failedCodes).put("revokedAt", revokedAt).put("status", status(now));
    }
  }

  private static final String COLUMNS = "select id, access_id, responder_id, responder_name, patient_id, hospital,"
      + " token_hash, code_hash, sheet, made_at, expires_at, opened_at, failed_codes, locked_at, revoked_at"
      + " from emergency_handovers";

  private HandoverSql() {}

  static void insert(Connection c, Handover h) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into emergency_handovers (id, access_id, responder_id,"
        + " responder_name, patient_id, hospital, token_hash, code_hash, sheet, made_at, expires_at)"
        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      Object[] values = {h.id(), h.accessId(), h.responderId(), h.responderName(), h.patientId(), h.hospital(),
          h.tokenHash(), h.codeHash(), h.sheet(), h.madeAt(), h.expiresAt()};
      for (int i = 0; i < values.length; i++) {
        s.setObject(i + 1, values[i]);
      }
      s.executeUpdate();
    }
  }

  static Optional<Handover> byId(Connection c, String id) throws SQLException {
    return read(c, COLUMNS + " where id = ?", id).stream().findFirst();
  }

  static Optional<Handover> byTokenHash(Connection c, String tokenHash) throws SQLException {
    return read(c, COLUMNS + " where token_hash = ?", tokenHash).stream().findFirst();
  }

  /** The newest sheets first, for 行政's review. */
  static List<Handover> recent(Connection c, int limit) throws SQLException {
    return read(c, COLUMNS + " order by made_at desc, id limit ?", limit);
  }

  static void opened(Connection c, String id, String now) throws SQLException {
    update(c, "update emergency_handovers set opened_at = ? where id = ? and opened_at is null", now, id);
  }

  /** Counts a wrong code; at {@code limit} the link is locked in the same write. */
  static void wrongCode(Connection c, String id, int failedCodes, int limit, String now) throws SQLException {
    update(c, "update emergency_handovers set failed_codes = ?, locked_at = ? where id = ?", failedCodes,
        failedCodes >= limit ? now : null, id);
  }

  /** Revoked: the stored sheet is emptied, since nobody may open it any more. */
  static void revoke(Connection c, String id, String userId, String now) throws SQLException {
    update(c, "update emergency_handovers set revoked_at = ?, revoked_by = ?, sheet = '{}' where id = ?", now,
        userId, id);
  }

  private static void update(Connection c, String sql, Object... values) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        s.setObject(i + 1, values[i]);
      }
      s.executeUpdate();
    }
  }

  private static List<Handover> read(Connection c, String sql, Object... values) throws SQLException {
    List<Handover> found = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        s.setObject(i + 1, values[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(new Handover(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
              rs.getString(11), rs.getString(12), rs.getInt(13), rs.getString(14), rs.getString(15)));
        }
      }
    }
    return found;
  }
}
