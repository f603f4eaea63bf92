package jp.tsunagu.node.vaccination;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The node's list of vaccines (COVID-19, インフルエンザ, 肺炎球菌, 帯状疱疹, and what 行政 adds), and the
 * vaccines partners defined that reached this node with a dose (V231): those name and count their
 * doses but are not offered to this node's own staff.
 */
final class VaccineSql {

  record Vaccine(String code, String nameJa) {}

  private VaccineSql() {}

  /** This node's own list: what its staff choose from. */
  static List<Vaccine> all(Connection c) throws SQLException {
    return select(c, "where defined_by is null");
  }

  /** Every vaccine this node knows, its own and those partners defined: for names and counts. */
  static List<Vaccine> known(Connection c) throws SQLException {
    return select(c, "");
  }

  /** A vaccine of this node's own list. */
  static Optional<Vaccine> own(Connection c, String code) throws SQLException {
    return all(c).stream().filter(v -> v.code().equals(code)).findFirst();
  }

  /** Any vaccine this node knows by its code (a partner's too): a dose's name. */
  static Optional<Vaccine> byCode(Connection c, String code) throws SQLException {
    return known(c).stream().filter(v -> v.code().equals(code)).findFirst();
  }

  /** The partners' vaccines a patient has doses of (shown with the patient's statuses). */
  static List<Vaccine> partnersOf(Connection c, String patientId) throws SQLException {
    List<Vaccine> found = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select code, name_ja from vaccination_vaccines where defined_by"
        + " is not null and code in (select vaccine from vaccination_doses where patient_id = ?) order by position")) {
      s.setString(1, patientId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(new Vaccine(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return found;
  }

  /**
   * Keeps a vaccine a partner's dose names and this node does not know, as the partner defined it;
   * under its own name, or with the partner's node added when this node has a vaccine of that name.
   */
  static Vaccine insertPartners(Connection c, String code, String nameJa, String node, String at)
      throws SQLException {
    String name = nameTaken(c, nameJa) ? nameJa + "（" + node + "）" : nameJa;
    try (PreparedStatement s = c.prepareStatement("insert into vaccination_vaccines (code, name_ja, position,"
        + " added_by, added_at, defined_by) values (?, ?, (select coalesce(max(position), 0) + 1"
        + " from vaccination_vaccines), null, ?, ?)")) {
      s.setString(1, code);
      s.setString(2, name);
      s.setString(3, at);
      s.setString(4, node);
      s.executeUpdate();
    }
    return new Vaccine(code, name);
  }

  private static List<Vaccine> select(Connection c, String where) throws SQLException {
    List<Vaccine> all = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select code, name_ja from vaccination_vaccines " + where
        + " order by position");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        all.add(new Vaccine(rs.getString(1), rs.getString(2)));
      }
    }
    return all;
  }

  static boolean nameTaken(Connection c, String nameJa) throws SQLException {
    return known(c).stream().anyMatch(v -> v.nameJa().equals(nameJa));
  }

  static void insert(Connection c, Vaccine vaccine, String by, String at) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into vaccination_vaccines (code, name_ja, position,"
        + " added_by, added_at) values (?, ?, (select coalesce(max(position), 0) + 1 from vaccination_vaccines), ?, ?)")) {
      s.setString(1, vaccine.code());
      s.setString(2, vaccine.nameJa());
      s.setString(3, by);
      s.setString(4, at);
      s.executeUpdate();
    }
  }
}
