package jp.tsunagu.node.disaster;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The register's imports, people and patient matches, as plain SQL. */
final class RegisterSql {

  /** One uploaded file: pending until confirmed, then a version of the register. */
  record Import(String id, String status, Integer version, Integer baseVersion, int rows, String uploadedBy,
      String uploadedAt, String confirmedBy, String confirmedAt) {

    JsonObject toJson() {
      return new JsonObject().put("id", id).put("status", status).put("version", version)
          .put("baseVersion", baseVersion).put("rows", rows).put("uploadedBy", uploadedBy).put("uploadedAt", uploadedAt)
          .put("confirmedBy", confirmedBy).put("confirmedAt", confirmedAt);
    }
  }

  private static final String IMPORT_COLUMNS = "id, status, version, base_version, row_count, uploaded_by,"
      + " uploaded_at, confirmed_by, confirmed_at";
  private static final String PERSON_COLUMNS = "person_key, name, kana, birth_date, sex, address, municipality_code,"
      + " district, phone, reasons, care_level, supporter_name, supporter_contact, consent, plan, evacuation_site,"
      + " latitude, longitude, approximate";

  private RegisterSql() {}

  static void insertImport(Connection c, String id, Integer baseVersion, int rows, String by, String at)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into disaster_register_imports (id, status, base_version,"
        + " row_count, uploaded_by, uploaded_at) values (?, 'pending', ?, ?, ?, ?)")) {
      s.setString(1, id);
      if (baseVersion == null) {
        s.setNull(2, Types.INTEGER);
      } else {
        s.setInt(2, baseVersion);
      }
      s.setInt(3, rows);
      s.setString(4, by);
      s.setString(5, at);
      s.executeUpdate();
    }
  }

  /** An earlier pending file is replaced by a newer one: only the newest upload can be confirmed. */
  static void discardPending(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "update disaster_register_imports set status = 'discarded' where status = 'pending'")) {
      s.executeUpdate();
    }
  }

  static void insertPeople(Connection c, String importId, List<RegisterPerson> people) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into disaster_register_people (import_id, " + PERSON_COLUMNS
        + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      int batched = 0;
      for (RegisterPerson p : people) {
        s.setString(1, importId);
        s.setString(2, p.key());
        s.setString(3, p.name());
        s.setString(4, p.kana());
        s.setString(5, p.birthDate());
        s.setString(6, p.sex());
        s.setString(7, p.address());
        s.setString(8, p.municipalityCode());
        s.setString(9, p.district());
        s.setString(10, p.phone());
        s.setString(11, String.join(",", p.reasons().stream().map(Reason::code).toList()));
        s.setString(12, p.careLevel());
        s.setString(13, p.supporterName());
        s.setString(14, p.supporterContact());
        s.setInt(15, p.consent() ? 1 : 0);
        s.setInt(16, p.plan() ? 1 : 0);
        s.setString(17, p.evacuationSite());
        s.setDouble(18, p.latitude());
        s.setDouble(19, p.longitude());
        s.setInt(20, p.approximate() ? 1 : 0);
        s.addBatch();
        if (++batched % 1000 == 0) {
          s.executeBatch();
        }
      }
      s.executeBatch();
    }
  }

  static Optional<Import> byId(Connection c, String id) throws SQLException {
    return first(c, "select " + IMPORT_COLUMNS + " from disaster_register_imports where id = ?", id);
  }

  static Optional<Import> byVersion(Connection c, int version) throws SQLException {
    return first(c, "select " + IMPORT_COLUMNS + " from disaster_register_imports where version = ?",
        String.valueOf(version));
  }

  /** The confirmed import that is the register now. */
  static Optional<Import> current(Connection c) throws SQLException {
    return first(c, "select " + IMPORT_COLUMNS + " from disaster_register_imports where status = 'confirmed'"
        + " order by version desc limit 1");
  }

  /** Every import, newest first (the history of the register). */
  static List<Import> all(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select " + IMPORT_COLUMNS
        + " from disaster_register_imports order by uploaded_at desc, rowid desc limit 200")) {
      return imports(s);
    }
  }

  static void confirm(Connection c, String id, int version, String by, String at) throws SQLException {
    try (PreparedStatement old = c.prepareStatement(
        "update disaster_register_imports set status = 'superseded' where status = 'confirmed'");
        PreparedStatement s = c.prepareStatement("update disaster_register_imports set status = 'confirmed',"
            + " version = ?, confirmed_by = ?, confirmed_at = ? where id = ? and status = 'pending'")) {
      old.executeUpdate();
      s.setInt(1, version);
      s.setString(2, by);
      s.setString(3, at);
      s.setString(4, id);
      s.executeUpdate();
    }
  }

  static List<RegisterPerson> people(Connection c, String importId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select " + PERSON_COLUMNS
        + " from disaster_register_people where import_id = ? order by kana, birth_date")) {
      s.setString(1, importId);
      try (ResultSet rs = s.executeQuery()) {
        List<RegisterPerson> people = new ArrayList<>();
        while (rs.next()) {
          people.add(person(rs));
        }
        return people;
      }
    }
  }

  private static RegisterPerson person(ResultSet rs) throws SQLException {
    List<Reason> reasons = Arrays.stream(rs.getString(10).split(",")).filter(code -> !code.isEmpty())
        .map(code -> Reason.fromCode(code).orElseThrow()).toList();
    return new RegisterPerson(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), reasons, rs.getString(11),
        rs.getString(12), rs.getString(13), rs.getInt(14) == 1, rs.getInt(15) == 1, rs.getString(16),
        rs.getDouble(17), rs.getDouble(18), rs.getInt(19) == 1);
  }

  private static Optional<Import> first(Connection c, String sql, String... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setString(i + 1, params[i]);
      }
      return imports(s).stream().findFirst();
    }
  }

  private static List<Import> imports(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      List<Import> found = new ArrayList<>();
      while (rs.next()) {
        found.add(new Import(rs.getString(1), rs.getString(2), (Integer) rs.getObject(3),
            (Integer) rs.getObject(4), rs.getInt(5), rs.getString(6), rs.getString(7), rs.getString(8),
            rs.getString(9)));
      }
      return found;
    }
  }

  // matches

  /** A match proposal, unless the pair was proposed (or decided) before. */
  static boolean propose(Connection c, String id, String personKey, String patientId, boolean addressMatches,
      String at) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into disaster_register_matches (id, person_key, patient_id,"
        + " address_matches, status, proposed_at) values (?, ?, ?, ?, 'proposed', ?)"
        + " on conflict (person_key, patient_id) do nothing")) {
      s.setString(1, id);
      s.setString(2, personKey);
      s.setString(3, patientId);
      s.setInt(4, addressMatches ? 1 : 0);
      s.setString(5, at);
      return s.executeUpdate() == 1;
    }
  }

  /** A match of the register and a patient. */
  record Match(String id, String personKey, String patientId, boolean addressMatches, String status,
      String proposedAt, String decidedBy, String decidedAt) {}

  static List<Match> matches(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select id, person_key, patient_id, address_matches, status,"
        + " proposed_at, decided_by, decided_at from disaster_register_matches order by status = 'proposed' desc,"
        + " proposed_at, person_key")) {
      try (ResultSet rs = s.executeQuery()) {
        List<Match> found = new ArrayList<>();
        while (rs.next()) {
          found.add(new Match(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4) == 1,
              rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
        }
        return found;
      }
    }
  }

  /** Decides a proposed match; false when there is no such proposal open. */
  static boolean decide(Connection c, String id, String status, String by, String at) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update disaster_register_matches set status = ?, decided_by = ?,"
        + " decided_at = ? where id = ? and status = 'proposed'")) {
      s.setString(1, status);
      s.setString(2, by);
      s.setString(3, at);
      s.setString(4, id);
      return s.executeUpdate() == 1;
    }
  }
}
