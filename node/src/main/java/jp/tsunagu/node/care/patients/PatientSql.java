package jp.tsunagu.node.care.patients;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.storage.SqlLike;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.teams.BoardKind;

/** The SQL of patients. */
public final class PatientSql {

  private static final String COLUMNS = "p.id, p.family_name, p.given_name, p.family_kana, p.given_kana,"
      + " p.birth_date, p.sex, p.address, p.municipality_code, p.phone, p.family_doctor, p.care_level,"
      + " p.emergency_contacts, p.acp_notes, p.remarks, p.status, p.created_at, p.updated_at";

  /** Posts on the board this user may see and has not read (their own posts count as read). */
  public static final String UNREAD = "(select count(*) from posts x where x.board_id = m.board_id and x.status = 'active'"
      + " and x.author_id <> m.user_id and (x.direct = 0 or exists (select 1 from post_recipients r"
      + " where r.post_id = x.id and r.user_id = m.user_id)) and not exists (select 1 from post_reads pr"
      + " where pr.post_id = x.id and pr.user_id = m.user_id))";

  private PatientSql() {}

  public static void insert(Connection c, String id, Patient.Details d, String createdBy, String now) throws SQLException {
    BoardSql.insertBoard(c, id, BoardKind.PATIENT, now);
    try (PreparedStatement s = c.prepareStatement("insert into patients (id, family_name, given_name, family_kana,"
        + " given_kana, birth_date, sex, address, municipality_code, phone, family_doctor, care_level,"
        + " emergency_contacts, acp_notes, remarks, status, created_by, created_at, updated_at)"
        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)")) {
      s.setString(1, id);
      int next = bindDetails(s, 2, d);
      s.setString(next, createdBy);
      s.setString(next + 1, now);
      s.setString(next + 2, now);
      s.executeUpdate();
    }
  }

  /** The patient row of a replica board (its board row already made), as the home node registered it. */
  public static void insertReplica(Connection c, String id, Patient.Details d, String status, String createdBy, String at)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into patients (id, family_name, given_name, family_kana,"
        + " given_kana, birth_date, sex, address, municipality_code, phone, family_doctor, care_level,"
        + " emergency_contacts, acp_notes, remarks, status, created_by, created_at, updated_at)"
        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing")) {
      s.setString(1, id);
      int next = bindDetails(s, 2, d);
      s.setString(next, status);
      s.setString(next + 1, createdBy);
      s.setString(next + 2, at);
      s.setString(next + 3, at);
      s.executeUpdate();
    }
  }

  public static void update(Connection c, String id, Patient.Details d, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update patients set family_name = ?, given_name = ?,"
        + " family_kana = ?, given_kana = ?, birth_date = ?, sex = ?, address = ?, municipality_code = ?, phone = ?,"
        + " family_doctor = ?, care_level = ?, emergency_contacts = ?, acp_notes = ?, remarks = ?, updated_at = ?"
        + " where id = ?")) {
      int next = bindDetails(s, 1, d);
      s.setString(next, now);
      s.setString(next + 1, id);
      s.executeUpdate();
    }
  }

  private static int bindDetails(PreparedStatement s, int at, Patient.Details d) throws SQLException {
    String[] values = {d.familyName(), d.givenName(), d.familyKana(), d.givenKana(), d.birthDate().toString(), d.sex(),
        d.address(), d.municipalityCode(), d.phone(), d.familyDoctor(), d.careLevel(), d.emergencyContacts(),
        d.acpNotes(), d.remarks()};
    for (int i = 0; i < values.length; i++) {
      s.setString(at + i, values[i]);
    }
    return at + values.length;
  }

  public static void setStatus(Connection c, String id, String status, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update patients set status = ?, updated_at = ? where id = ?")) {
      s.setString(1, status);
      s.setString(2, now);
      s.setString(3, id);
      s.executeUpdate();
    }
  }

  public static Optional<Patient> byId(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from patients p where p.id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(patient(rs)) : Optional.empty();
      }
    }
  }

  /**
   * Whether a patient with this name and birthday is in a team the user is an active member of: she
   * sees that patient already, so telling her that the registration repeats it discloses nothing.
   */
  static boolean visibleDuplicate(Connection c, Patient.Details d, String userId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select 1 from patients p join board_members m on m.board_id = p.id"
        + " where p.family_name = ? and p.given_name = ? and p.birth_date = ? and m.user_id = ?"
        + " and m.status = 'active'")) {
      s.setString(1, d.familyName());
      s.setString(2, d.givenName());
      s.setString(3, d.birthDate().toString());
      s.setString(4, userId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The patients registered on this node (not partners' replicas) with this name and birthday. */
  static List<String> sameIdentity(Connection c, Patient.Details d) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select p.id from patients p join care_boards b on b.id = p.id"
        + " where p.family_name = ? and p.given_name = ? and p.birth_date = ? and b.home_node is null"
        + " order by p.created_at")) {
      s.setString(1, d.familyName());
      s.setString(2, d.givenName());
      s.setString(3, d.birthDate().toString());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /**
   * The active patients registered on this node (not partners' replicas), for municipal staff, who see
   * the node's patients (matching the disaster-assistance register).
   */
  /** Who registered the patient on this node (a users row), when the patient is here. */
  public static java.util.Optional<String> createdBy(Connection c, String patientId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select created_by from patients where id = ?")) {
      s.setString(1, patientId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? java.util.Optional.ofNullable(rs.getString(1)) : java.util.Optional.empty();
      }
    }
  }

  public static List<Patient> registeredHere(Connection c) throws SQLException {
    List<Patient> found = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from patients p join care_boards b"
        + " on b.id = p.id where b.home_node is null and p.status = 'active' order by p.created_at")) {
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(patient(rs));
        }
      }
    }
    return found;
  }

  /** The caller's patients, searched by name or kana (spaces ignored), with their unread counts. */
  static List<JsonObject> mine(Connection c, String userId, String query, boolean archived) throws SQLException {
    String like = SqlLike.contains(query);
    List<JsonObject> found = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + ", m.team_role, " + UNREAD + ", b.home_node"
        + " from board_members m join patients p on p.id = m.board_id join care_boards b on b.id = p.id"
        + " where m.user_id = ? and m.status = 'active' and coalesce(b.replica_state, 'live') = 'live'"
        + " and p.status = ? and (p.family_name || p.given_name like ?" + SqlLike.ESCAPE
        + " or p.family_kana || p.given_kana like ?" + SqlLike.ESCAPE + ")"
        + " order by p.family_kana, p.given_kana limit 500")) {
      s.setString(1, userId);
      s.setString(2, archived ? "archived" : "active");
      s.setString(3, like);
      s.setString(4, like);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          JsonObject patient = patient(rs).toJson().put("teamRole", rs.getString(19)).put("unread", rs.getInt(20));
          found.add(rs.getString(21) == null ? patient : homedElsewhere(patient, rs.getString(21)));
        }
      }
    }
    return found;
  }

  /**
   * A patient of a partner node, as a remote member sees them in their own list: marked with the
   * municipality they live in (their home node's), which registers and changes them.
   */
  static JsonObject homedElsewhere(JsonObject patient, String homeNode) {
    String municipality = jp.tsunagu.node.reference.ReferenceData.get().municipality(
        patient.getString("municipalityCode")).map(m -> m.nameJa()).orElse(patient.getString("municipalityCode"));
    return patient.put("homeNode", homeNode).put("homeMunicipality", municipality);
  }

  private static Patient patient(ResultSet rs) throws SQLException {
    Patient.Details d = new Patient.Details(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        LocalDate.parse(rs.getString(6)), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
        rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15));
    return new Patient(rs.getString(1), d, rs.getString(16), rs.getString(17), rs.getString(18));
  }
}
