package jp.tsunagu.node.care.patients;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.CareIds;

/**
 * Possible duplicate registrations (重複の可能性がある登録) and their SQL. A registration whose name
 * and birth date match a patient registered here whom the registrant cannot see goes in as her own
 * patient, answered exactly as any other, and each match is flagged here and audited; municipal staff
 * (行政) resolve it ({@link PatientDuplicateRoutes}).
 */
final class PatientDuplicates {

  /** A flagged pair: the new registration and the patient registered before it. */
  record Candidate(String id, String patientId, String existingId, String registeredBy, String teamRole,
      String status, String createdAt) {
    boolean open() {
      return "open".equals(status);
    }
  }

  private PatientDuplicates() {}

  /** Flags the new patient against every patient of this node with the same identity, each audited. */
  static void flag(Connection c, AuditLog audit, String patientId, Patient.Details details, String registrant,
      String teamRole, String now) throws SQLException {
    for (String existing : PatientSql.sameIdentity(c, details)) {
      if (existing.equals(patientId)) {
        continue;
      }
      String id = CareIds.next();
      try (PreparedStatement s = c.prepareStatement("insert into patient_duplicate_candidates (id, patient_id,"
          + " existing_id, registered_by, team_role, status, created_at) values (?, ?, ?, ?, ?, 'open', ?)")) {
        s.setString(1, id);
        s.setString(2, patientId);
        s.setString(3, existing);
        s.setString(4, registrant);
        s.setString(5, teamRole);
        s.setString(6, now);
        s.executeUpdate();
      }
      audit.append(c, AuditEvent.success(registrant, "care.patient.duplicate_suspected", "patient:" + patientId,
          new JsonObject().put("existing", existing).put("candidate", id)));
    }
  }

  static Optional<Candidate> byId(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select id, patient_id, existing_id, registered_by, team_role,"
        + " status, created_at from patient_duplicate_candidates where id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new Candidate(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7))) : Optional.empty();
      }
    }
  }

  /** Closes an open candidate; false when someone decided it first. */
  static boolean decide(Connection c, String id, String status, String staff, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update patient_duplicate_candidates set status = ?,"
        + " decided_by = ?, decided_at = ? where id = ? and status = 'open'")) {
      s.setString(1, status);
      s.setString(2, staff);
      s.setString(3, now);
      s.setString(4, id);
      return s.executeUpdate() == 1;
    }
  }

  /** The open candidates, oldest first, with what staff need to judge them: both records, who registered, the team. */
  static List<JsonObject> open(Connection c) throws SQLException {
    List<Candidate> candidates = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select id, patient_id, existing_id, registered_by, team_role,"
        + " status, created_at from patient_duplicate_candidates where status = 'open' order by created_at, id"
        + " limit 500")) {
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          candidates.add(new Candidate(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6), rs.getString(7)));
        }
      }
    }
    List<JsonObject> out = new ArrayList<>();
    for (Candidate candidate : candidates) {
      out.add(new JsonObject().put("id", candidate.id()).put("createdAt", candidate.createdAt())
          .put("teamRole", candidate.teamRole())
          .put("registrant", person(c, candidate.registeredBy()))
          .put("patient", summary(c, candidate.patientId()))
          .put("existing", summary(c, candidate.existingId())));
    }
    return out;
  }

  private static JsonObject summary(Connection c, String patientId) throws SQLException {
    Patient patient = PatientSql.byId(c, patientId).orElseThrow();
    Patient.Details d = patient.details();
    JsonArray team = new JsonArray();
    BoardSql.members(c, patientId).forEach(m -> team.add(m.toJson()));
    return new JsonObject().put("id", patientId).put("name", d.familyName() + " " + d.givenName())
        .put("kana", d.familyKana() + " " + d.givenKana()).put("birthDate", d.birthDate().toString())
        .put("municipality", ReferenceData.get().municipality(d.municipalityCode()).map(m -> m.nameJa())
            .orElse(d.municipalityCode()))
        .put("address", d.address()).put("status", patient.status()).put("createdAt", patient.createdAt())
        .put("team", team);
  }

  private static JsonObject person(Connection c, String userId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select u.family_name || ' ' || u.given_name, u.profession,"
        + " coalesce(f.name, '') from users u left join facilities f on f.id = u.facility_id where u.id = ?")) {
      s.setString(1, userId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new JsonObject().put("userId", userId).put("name", rs.getString(1))
            .put("professionName", ReferenceData.get().profession(rs.getString(2))
                .map(ReferenceData.Profession::nameJa).orElse(rs.getString(2)))
            .put("facility", rs.getString(3));
      }
    }
  }
}
