package jp.tsunagu.node.emergency;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.testing.TestSql;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 人生会議 as the team keeps it: each save that changes something is a new version, every version
 * stays readable, wrong input is named per field, an archived patient's plan is read only, and the
 * free-text notes of older registrations became the first version.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdvanceCarePlanApiTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient nurse;
  CareClient outsider;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir.resolve("node"));
    doctor = bed.professional("dr-acp", "北原", "健一", "doctor", bed.clinic);
    nurse = bed.professional("ns-acp", "宮下", "さくら", "nurse", bed.nursingStation);
    outsider = bed.professional("dr-acp-outside", "小松", "誠", "doctor", bed.clinic);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private String patientWithNurse(String family, String birth) {
    String id = EmergencyBed.patient(doctor, EmergencyBed.person(family, "ハル", "カナ", "ハル", birth,
        "長野県伊那市荒井1-2", "0265-11-2222"));
    doctor.post("/api/v1/patients/" + id + "/team/invitations",
        new JsonObject().put("userId", nurse.userId).put("teamRole", "訪問看護"));
    assertThat(nurse.post("/api/v1/invitations/" + id + "/accept", new JsonObject()).status()).isEqualTo(204);
    return id;
  }

  @Test
  void each_changed_save_is_a_new_version_and_every_version_stays_readable() {
    String id = patientWithNurse("春日", "1931-05-12");
    assertThat(doctor.get("/api/v1/patients/" + id + "/acp").json().getValue("current")).isNull();
    CareClient.Reply first = doctor.put("/api/v1/patients/" + id + "/acp", EmergencyBed.plan());
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(first.json().getInteger("versions")).isEqualTo(1);
    // The same plan again (a retry) adds nothing.
    assertThat(doctor.put("/api/v1/patients/" + id + "/acp", EmergencyBed.plan()).json().getInteger("versions"))
        .isEqualTo(1);
    CareClient.Reply second = nurse.put("/api/v1/patients/" + id + "/acp", EmergencyBed.plan()
        .put("resuscitation", "limited").put("confirmedOn", "2025-02-01"));
    assertThat(second.json().getInteger("versions")).isEqualTo(2);
    JsonObject current = second.json().getJsonObject("current");
    assertThat(current.getString("resuscitationLabel")).startsWith("一部の治療のみ");
    assertThat(current.getString("writtenBy")).isEqualTo("宮下 さくら");
    JsonArray versions = doctor.get("/api/v1/patients/" + id + "/acp/versions").json().getJsonArray("versions");
    assertThat(versions).hasSize(2);
    assertThat(versions.getJsonObject(0).getInteger("version")).isEqualTo(2);
    assertThat(versions.getJsonObject(1).getString("resuscitation")).isEqualTo("dnar");
    assertThat(versions.getJsonObject(1).getString("writtenBy")).isEqualTo("北原 健一");
  }

  @Test
  void medical_facts_are_saved_on_the_patient_and_the_text_before_goes_to_the_audit_log() throws Exception {
    String id = patientWithNurse("北沢", "1939-11-03");
    nurse.put("/api/v1/patients/" + id + "/medical", new JsonObject().put("medicalHistory", "COPD")
        .put("medications", "チオトロピウム").put("allergies", "なし"));
    CareClient.Reply changed = doctor.put("/api/v1/patients/" + id + "/medical", new JsonObject()
        .put("medicalHistory", "COPD、在宅酸素").put("medications", "チオトロピウム").put("allergies", "なし"));
    assertThat(changed.json().getJsonObject("medical").getString("medicalHistory")).isEqualTo("COPD、在宅酸素");
    assertThat(bed.auditDetails("emergency.medical.updated", "patient:" + id).get(1)).contains("COPD");
  }

  @Test
  void wrong_input_is_named_per_field_and_changes_nothing() {
    String id = patientWithNurse("竹松", "1935-02-20");
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    CareClient.Reply wrong = doctor.put("/api/v1/patients/" + id + "/acp", EmergencyBed.plan()
        .put("resuscitation", "maybe").put("confirmedOn", "2999-01-01").put("proxyPhone", "call me"));
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.body()).contains("resuscitation", "confirmedOn", "proxyPhone");
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
  }

  @Test
  void a_non_member_gets_404_and_an_archived_patients_plan_is_read_only() {
    String id = patientWithNurse("清水", "1933-09-27");
    doctor.put("/api/v1/patients/" + id + "/acp", EmergencyBed.plan());
    CareClient.Reply read = outsider.get("/api/v1/patients/" + id + "/acp");
    assertThat(read.status()).isEqualTo(404);
    assertThat(read.code()).isEqualTo("care.not_found");
    assertThat(outsider.put("/api/v1/patients/" + id + "/acp", EmergencyBed.plan().put("wishes", "x")).status())
        .isEqualTo(404);
    assertThat(doctor.post("/api/v1/patients/" + id + "/archive", new JsonObject()).status()).isEqualTo(200);
    CareClient.Reply archived = doctor.put("/api/v1/patients/" + id + "/acp", EmergencyBed.plan().put("wishes", "x"));
    assertThat(archived.status()).isEqualTo(409);
    assertThat(archived.code()).isEqualTo("care.archived");
    assertThat(doctor.get("/api/v1/patients/" + id + "/acp").json().getJsonObject("current").getString("wishes"))
        .isEqualTo("自宅で最期まで過ごしたい。");
  }

  @Test
  void free_text_acp_notes_of_an_older_database_become_the_first_version_and_the_old_field_is_emptied()
      throws Exception {
    Path file = dir.resolve("old.db");
    String url = "jdbc:sqlite:" + file;
    Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").table("schema_history")
        .target("122").load().migrate();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.executeUpdate("insert into users (id, login_id, email, family_name, given_name, family_kana, given_kana,"
          + " profession, role, password_hash, status, created_at) values ('u1', 'dr', 'dr@example.jp', '北原', '健一',"
          + " 'キタハラ', 'ケンイチ', 'doctor', 'professional', 'x', 'active', '2024-01-01T00:00:00Z')");
      for (String[] p : new String[][] {{"p1", "自宅で看取りを希望。延命は望まない。"}, {"p2", ""}}) {
        s.executeUpdate("insert into care_boards (id, kind, created_at) values ('" + p[0] + "', 'patient',"
            + " '2024-01-01T00:00:00Z')");
        s.executeUpdate("insert into patients (id, family_name, given_name, family_kana, given_kana, birth_date, sex,"
            + " address, municipality_code, phone, family_doctor, care_level, emergency_contacts, acp_notes, remarks,"
            + " status, created_by, created_at, updated_at) values ('" + p[0] + "', '星野', 'ハル', 'ホシノ', 'ハル',"
            + " '1935-02-20', 'female', '伊那市', '202096', '', '', '', '', '" + p[1] + "', '', 'active', 'u1',"
            + " '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z')");
      }
    }
    Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").table("schema_history")
        .load().migrate();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("select patient_id, version, wishes, resuscitation, migrated, written_by_name"
          + " from acp_versions")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("p1");
        assertThat(rs.getInt(2)).isEqualTo(1);
        assertThat(rs.getString(3)).isEqualTo("自宅で看取りを希望。延命は望まない。");
        assertThat(rs.getString(4)).isEqualTo("undecided");
        assertThat(rs.getInt(5)).isEqualTo(1);
        assertThat(rs.getString(6)).isEqualTo("北原 健一");
        assertThat(rs.next()).as("no version for a patient without notes").isFalse();
      }
      try (ResultSet rs = s.executeQuery("select count(*) from patients where acp_notes <> ''")) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
    }
  }
}
