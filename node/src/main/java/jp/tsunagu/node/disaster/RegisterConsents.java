package jp.tsunagu.node.disaster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * 情報提供への同意 as the 要援護者台帳 records it, for a patient whom staff matched to a person of the
 * register's current version (a proposed or rejected match says nothing about the patient).
 */
public final class RegisterConsents {

  /** The register's answer for a patient, and which version of it says so. */
  public record Consent(boolean consented, int version) {

    /** Where the answer is recorded, as a screen says it. */
    public String source() {
      return "要援護者台帳 第" + version + "版";
    }
  }

  RegisterConsents() {}

  /** The consent of the patient's matched person in the register's current version, if any. */
  public Optional<Consent> of(Connection c, String patientId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select p.consent, i.version from disaster_register_matches m"
        + " join disaster_register_people p on p.person_key = m.person_key"
        + " join disaster_register_imports i on i.id = p.import_id and i.status = 'confirmed'"
        + " where m.patient_id = ? and m.status = 'confirmed'")) {
      s.setString(1, patientId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new Consent(rs.getInt(1) == 1, rs.getInt(2))) : Optional.empty();
      }
    }
  }
}
