package jp.tsunagu.node.disaster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** 安否確認 records and the register's confirmed patient matches they are checked against, as plain SQL. */
final class SafetySql {

  /** One record: the latest of a person is their status. */
  record Check(String id, String declarationId, String personKey, String district, String status, String shelter,
      String note, String recordedBy, String recordedAt) {}

  private SafetySql() {}

  /**
   * Records a check in the person's municipality as the register holds them, for the usage report's
   * per-municipality figures (the node of a joint council serves several).
   */
  static void insert(Connection c, Check check, String municipalityCode) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into disaster_safety_checks (id, declaration_id, person_key,"
        + " district, status, shelter, note, recorded_by, recorded_at, municipality_code)"
        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, check.id());
      s.setString(2, check.declarationId());
      s.setString(3, check.personKey());
      s.setString(4, check.district());
      s.setString(5, check.status());
      s.setString(6, check.shelter());
      s.setString(7, check.note());
      s.setString(8, check.recordedBy());
      s.setString(9, check.recordedAt());
      s.setString(10, municipalityCode);
      s.executeUpdate();
    }
  }

  /** The latest record of each person checked in a declaration, by person key. */
  static Map<String, Check> latest(Connection c, String declarationId) throws SQLException {
    Map<String, Check> latest = new LinkedHashMap<>();
    try (PreparedStatement s = c.prepareStatement("select id, declaration_id, person_key, district, status, shelter,"
        + " note, recorded_by, recorded_at from disaster_safety_checks where declaration_id = ?"
        + " order by recorded_at, rowid")) {
      s.setString(1, declarationId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          latest.put(rs.getString(3), new Check(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
        }
      }
    }
    return latest;
  }

  /** The patient staff confirmed as this register person, if any. */
  static Optional<String> confirmedPatient(Connection c, String personKey) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select patient_id from disaster_register_matches"
        + " where person_key = ? and status = 'confirmed' order by decided_at limit 1")) {
      s.setString(1, personKey);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** The register person staff confirmed as this patient, if any (the earliest decision holds). */
  static Optional<String> personOfPatient(Connection c, String patientId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select person_key from disaster_register_matches"
        + " where patient_id = ? and status = 'confirmed' order by decided_at limit 1")) {
      s.setString(1, patientId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** A person of the register's current version, by key. */
  static Optional<RegisterPerson> currentPerson(Connection c, String personKey) throws SQLException {
    Optional<RegisterSql.Import> current = RegisterSql.current(c);
    return current.isEmpty() ? Optional.empty() : RegisterSql.people(c, current.get().id()).stream()
        .filter(p -> p.key().equals(personKey)).findFirst();
  }
}
