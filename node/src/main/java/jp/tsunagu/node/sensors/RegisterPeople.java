package jp.tsunagu.node.sensors;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The 要援護者台帳 as enrolment needs it: a person of the register's current version, found by ふりがな and
 * birth date. The disaster feature keeps the register; the composition root adapts its published
 * lookup to this, so that neither feature imports the other.
 */
@FunctionalInterface
public interface RegisterPeople {

  /** The register's record of the resident: its key, and what enrolment takes from it. */
  record Resident(String key, String name, String address, String district, String phone, int version,
      String municipalityCode) {}

  /**
   * @param kana the ふりがな as typed (hiragana or katakana, with or without spaces)
   * @param birthDate YYYY-MM-DD
   * @return the person in the register's current version, if there is one
   */
  Optional<Resident> find(Connection c, String kana, String birthDate) throws SQLException;
}
