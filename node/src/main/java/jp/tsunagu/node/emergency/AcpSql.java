package jp.tsunagu.node.emergency;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The versions of each patient's 人生会議; a new version never changes an older one. */
final class AcpSql {

  /** One stored version: the plan, and who wrote it when. */
  record Version(int version, AdvanceCarePlan plan, boolean migrated, String writtenBy, String writtenByName,
      String writtenAt) {

    JsonObject toJson() {
      return plan.toJson().put("version", version).put("migrated", migrated).put("writtenBy", writtenByName)
          .put("writtenAt", writtenAt);
    }
  }

  private static final String COLUMNS = "select version, wishes, resuscitation, resuscitation_note, proxy_name,"
      + " proxy_relation, proxy_phone, participants, confirmed_on, migrated, written_by, written_by_name, written_at"
      + " from acp_versions where patient_id = ?";

  private AcpSql() {}

  static Optional<Version> current(Connection c, String patientId) throws SQLException {
    return read(c, COLUMNS + " order by version desc limit 1", patientId).stream().findFirst();
  }

  /** Every version, newest first. */
  static List<Version> versions(Connection c, String patientId) throws SQLException {
    return read(c, COLUMNS + " order by version desc", patientId);
  }

  /** Stores the plan as the patient's next version; returns its number. */
  static int insert(Connection c, String patientId, AdvanceCarePlan p, String userId, String userName, String now)
      throws SQLException {
    int version = current(c, patientId).map(v -> v.version() + 1).orElse(1);
    try (PreparedStatement s = c.prepareStatement("insert into acp_versions (patient_id, version, wishes,"
        + " resuscitation, resuscitation_note, proxy_name, proxy_relation, proxy_phone, participants, confirmed_on,"
        + " migrated, written_by, written_by_name, written_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)")) {
      s.setString(1, patientId);
      s.setInt(2, version);
      s.setString(3, p.wishes());
      s.setString(4, p.resuscitation());
      s.setString(5, p.resuscitationNote());
      s.setString(6, p.proxyName());
      s.setString(7, p.proxyRelation());
      s.setString(8, p.proxyPhone());
      s.setString(9, p.participants());
      s.setString(10, p.confirmedOn() == null ? null : p.confirmedOn().toString());
      s.setString(11, userId);
      s.setString(12, userName);
      s.setString(13, now);
      s.executeUpdate();
    }
    return version;
  }

  private static List<Version> read(Connection c, String sql, String patientId) throws SQLException {
    List<Version> versions = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, patientId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String confirmed = rs.getString(9);
          AdvanceCarePlan plan = new AdvanceCarePlan(rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
              confirmed == null ? null : LocalDate.parse(confirmed));
          versions.add(new Version(rs.getInt(1), plan, rs.getInt(10) == 1, rs.getString(11), rs.getString(12),
              rs.getString(13)));
        }
      }
    }
    return versions;
  }
}
