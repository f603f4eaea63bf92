package jp.tsunagu.node.disaster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import jp.tsunagu.node.errors.CodedException;

/**
 * A person of the 要援護者台帳 as the register's current (confirmed) version records them, found by the
 * register's own key (ふりがな and birth date, {@code カスガトメ/1931-05-12}) or by ふりがな and birth date
 * as typed (hiragana or katakana, spaces or not). A person only in an older version, or only in an
 * upload not confirmed yet, is not found: another feature acts on the register staff confirmed.
 */
public final class RegisterLookup {

  /** The register's record of one person, and which version says so. */
  public record Person(String key, String name, String kana, String birthDate, String address, String district,
      String phone, int version, String municipalityCode) {}

  RegisterLookup() {}

  /** The person with this key in the current version, if any. */
  public Optional<Person> byKey(Connection c, String personKey) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select p.person_key, p.name, p.kana, p.birth_date, p.address,"
        + " p.district, p.phone, i.version, p.municipality_code from disaster_register_people p join disaster_register_imports i"
        + " on i.id = p.import_id and i.status = 'confirmed' where p.person_key = ?")) {
      s.setString(1, personKey);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new Person(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9))) : Optional.empty();
      }
    }
  }

  /** The person with this ふりがな and birth date (YYYY-MM-DD) in the current version; odd kana finds nobody. */
  public Optional<Person> byKanaAndBirthDate(Connection c, String kana, String birthDate) throws SQLException {
    try {
      return byKey(c, RegisterCsv.kana(kana) + "/" + birthDate);
    } catch (CodedException notKana) {
      return Optional.empty();
    }
  }
}
