package jp.tsunagu.node.vaccination;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The node's list of vaccines (COVID-19, インフルエンザ, 肺炎球菌, 帯状疱疹, and what 行政 adds). */
final class VaccineSql {

  record Vaccine(String code, String nameJa) {}

  private VaccineSql() {}

  static List<Vaccine> all(Connection c) throws SQLException {
    List<Vaccine> all = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select code, name_ja from vaccination_vaccines order by position");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        all.add(new Vaccine(rs.getString(1), rs.getString(2)));
      }
    }
    return all;
  }

  static Optional<Vaccine> byCode(Connection c, String code) throws SQLException {
    return all(c).stream().filter(v -> v.code().equals(code)).findFirst();
  }

  static boolean nameTaken(Connection c, String nameJa) throws SQLException {
    return all(c).stream().anyMatch(v -> v.nameJa().equals(nameJa));
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
