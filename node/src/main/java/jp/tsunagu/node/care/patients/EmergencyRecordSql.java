package jp.tsunagu.node.care.patients;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The patient's data an emergency access reads and the team edits beside the 人生会議: the search of
 * this node's own patients (partners' replicas are their home node's to answer), and the medical
 * facts (病歴・既往歴, medication, allergies) kept on the patient record.
 */
public final class EmergencyRecordSql {

  /** A patient the search found, with whether they are archived (told apart, never shown as active). */
  public record Found(String id, String familyName, String givenName, String familyKana, String givenKana,
      String birthDate, String address, String status) {}

  /** 病歴・既往歴, current medication and allergies, as the team last wrote them. */
  public record Medical(String history, String medications, String allergies) {}

  /**
   * Spaces of either width are ignored in names and addresses; hyphens and spaces in phone numbers.
   * {@code DIGITS} is also the expression of the index {@code patients_phone_digits}: change both together.
   */
  private static final String NAME = "replace(replace(%s, ' ', ''), '　', '')";
  private static final String DIGITS = "replace(replace(replace(replace(p.phone, '-', ''), ' ', ''), '　', ''), 'ー', '')";
  private static final String FOUND = "select p.id, p.family_name, p.given_name, p.family_kana, p.given_kana,"
      + " p.birth_date, p.address, p.status from patients p join care_boards b on b.id = p.id"
      + " where b.home_node is null and ";

  private EmergencyRecordSql() {}

  /** By the whole name or the family name, in kanji or katakana, and the birth date. */
  public static List<Found> byName(Connection c, String name, String kana, String birthDate, int limit)
      throws SQLException {
    String full = NAME.formatted("p.family_name || p.given_name");
    String fullKana = NAME.formatted("p.family_kana || p.given_kana");
    return found(c, FOUND + "p.birth_date = ? and (" + full + " = ? or p.family_name = ? or " + fullKana
        + " = ? or p.family_kana = ?) order by p.family_kana, p.given_kana, p.id limit ?",
        birthDate, name, name, kana, kana, limit);
  }

  /** By the patient's phone number, digits only. */
  public static List<Found> byPhone(Connection c, String digits, int limit) throws SQLException {
    return found(c, FOUND + DIGITS + " = ? order by p.family_kana, p.given_kana, p.id limit ?", digits, limit);
  }

  /** By a part of the address (spaces ignored); the caller asks for enough of it. */
  public static List<Found> byAddress(Connection c, String part, int limit) throws SQLException {
    String like = "%" + part.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    return found(c, FOUND + NAME.formatted("p.address") + " like ? escape '\\'"
        + " order by p.family_kana, p.given_kana, p.id limit ?", like, limit);
  }

  public static Optional<Found> byId(Connection c, String id) throws SQLException {
    return found(c, FOUND + "p.id = ? limit ?", id, 1).stream().findFirst();
  }

  public static Medical medical(Connection c, String patientId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select medical_history, medications, allergies from patients"
        + " where id = ?")) {
      s.setString(1, patientId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? new Medical(rs.getString(1), rs.getString(2), rs.getString(3)) : new Medical("", "", "");
      }
    }
  }

  public static void updateMedical(Connection c, String patientId, Medical m, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update patients set medical_history = ?, medications = ?,"
        + " allergies = ?, updated_at = ? where id = ?")) {
      s.setString(1, m.history());
      s.setString(2, m.medications());
      s.setString(3, m.allergies());
      s.setString(4, now);
      s.setString(5, patientId);
      s.executeUpdate();
    }
  }

  /** Each of this node's active patients with the 主治医 of their team: patient id, user id, name. */
  public static List<String[]> leads(Connection c) throws SQLException {
    List<String[]> leads = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select p.id, u.id, u.family_name || ' ' || u.given_name"
        + " from patients p join care_boards b on b.id = p.id join board_members m on m.board_id = p.id"
        + " join users u on u.id = m.user_id where b.home_node is null and p.status = 'active'"
        + " and m.status = 'active' and m.team_role = '主治医' order by p.family_kana, p.given_kana, p.id")) {
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          leads.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        }
      }
    }
    return leads;
  }

  private static List<Found> found(Connection c, String sql, Object... values) throws SQLException {
    List<Found> found = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        s.setObject(i + 1, values[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(new Found(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), rs.getString(7), rs.getString(8)));
        }
      }
    }
    return found;
  }
}
