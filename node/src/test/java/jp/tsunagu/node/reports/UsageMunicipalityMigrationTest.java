package jp.tsunagu.node.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration that records the municipality of disaster and sensor use, on a real SQLite file that
 * holds rows from before it: each row gets the municipality its record states without doubt (the
 * patient's; a register person's when every version of the register agrees), and 不明 (null) otherwise,
 * never a guess.
 */
class UsageMunicipalityMigrationTest {

  @TempDir
  Path dir;

  @Test
  void existing_checks_and_households_get_the_municipality_on_record_and_the_rest_stays_unknown() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("before.db");
    migrate(url, lastBefore255(url));
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.executeUpdate("insert into disaster_register_imports (id, status, version, row_count, uploaded_by, uploaded_at)"
          + " values ('v1', 'superseded', 1, 2, 'u', '2026-01-01T00:00:00Z'),"
          + " ('v2', 'confirmed', 2, 2, 'u', '2026-06-01T00:00:00Z')");
      person(c, "v1", "ステイ/1930-01-01", "202096");
      person(c, "v2", "ステイ/1930-01-01", "202096");
      person(c, "v1", "ヒッコシ/1931-01-01", "202096");
      person(c, "v2", "ヒッコシ/1931-01-01", "203858");
      person(c, "v2", "ミナミ/1932-01-01", "203858");
      s.executeUpdate("insert into disaster_declarations (id, kind, districts, started_at, declared_by, declared_at)"
          + " values ('d1', '地震', '[]', '2026-07-01T00:00:00Z', 'u', '2026-07-01T00:00:00Z')");
      check(c, "c-stay", "ステイ/1930-01-01");
      check(c, "c-moved", "ヒッコシ/1931-01-01");
      check(c, "c-minami", "ミナミ/1932-01-01");
      check(c, "c-gone", "キエタ/1933-01-01");
      s.executeUpdate("insert into care_boards (id, kind, created_at) values"
          + " ('p1', 'patient', '2026-01-01T00:00:00Z')");
      s.executeUpdate("insert into patients (id, family_name, given_name, family_kana, given_kana, birth_date, sex,"
          + " address, municipality_code, phone, family_doctor, care_level, emergency_contacts, acp_notes, remarks,"
          + " status, created_by, created_at, updated_at) values ('p1', '春日', '八重', 'カスガ', 'ヤエ', '1938-04-02',"
          + " 'female', '南箕輪村北殿1', '203858', '', '', '', '', '', '', 'active', 'u', '2026-01-01T00:00:00Z',"
          + " '2026-01-01T00:00:00Z')");
      household(c, "h-patient", "p1", null);
      household(c, "h-person", null, "ステイ/1930-01-01");
      household(c, "h-moved", null, "ヒッコシ/1931-01-01");
    }

    migrate(url, null);
    try (Connection c = DriverManager.getConnection(url)) {
      Map<String, String> checks = codes(c, "select id, municipality_code from disaster_safety_checks");
      assertThat(checks).containsEntry("c-stay", "202096").containsEntry("c-minami", "203858")
          .containsEntry("c-moved", null).containsEntry("c-gone", null);
      Map<String, String> homes = codes(c, "select id, municipality_code from sensor_households");
      assertThat(homes).containsEntry("h-patient", "203858").containsEntry("h-person", "202096")
          .containsEntry("h-moved", null);
    }
  }

  private static void person(Connection c, String importId, String key, String municipality) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into disaster_register_people (import_id, person_key, name,"
        + " kana, birth_date, sex, address, municipality_code, district, phone, reasons, care_level, supporter_name,"
        + " supporter_contact, consent, plan, evacuation_site, latitude, longitude, approximate) values"
        + " (?, ?, '某', ?, '1930-01-01', 'female', '', ?, '西箕輪', '', '', '', '', '', 1, 0, '', 35.8, 137.9, 1)")) {
      s.setString(1, importId);
      s.setString(2, key);
      s.setString(3, key.substring(0, key.indexOf('/')));
      s.setString(4, municipality);
      s.executeUpdate();
    }
  }

  private static void check(Connection c, String id, String key) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into disaster_safety_checks (id, declaration_id, person_key,"
        + " district, status, shelter, note, recorded_by, recorded_at) values (?, 'd1', ?, '西箕輪', 'safe', '', '',"
        + " 'u', '2026-07-01T01:00:00Z')")) {
      s.setString(1, id);
      s.setString(2, key);
      s.executeUpdate();
    }
  }

  private static void household(Connection c, String id, String patient, String person) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into sensor_households (id, patient_id, register_person_key,"
        + " resident_name, address, district, phone, status, consent_by, consent_relation, consent_at, enrolled_by,"
        + " enrolled_at) values (?, ?, ?, '某', '', '西箕輪', '', 'active', '本人', '本人', '2026-01-01', 'u',"
        + " '2026-01-01T00:00:00Z')")) {
      s.setString(1, id);
      s.setString(2, patient);
      s.setString(3, person);
      s.executeUpdate();
    }
  }

  private static Map<String, String> codes(Connection c, String sql) throws SQLException {
    Map<String, String> out = new HashMap<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  /** The newest migration before V255 (whatever other features add below it). */
  private static String lastBefore255(String url) {
    return java.util.Arrays.stream(Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration")
        .table("schema_history").load().info().all()).map(info -> info.getVersion())
        .filter(v -> v.compareTo(MigrationVersion.fromVersion("255")) < 0).max(Comparable::compareTo).orElseThrow()
        .getVersion();
  }

  private static void migrate(String url, String target) {
    var configuration = Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration")
        .table("schema_history");
    (target == null ? configuration : configuration.target(target)).load().migrate();
  }
}
