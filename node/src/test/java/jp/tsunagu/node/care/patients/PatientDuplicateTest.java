package jp.tsunagu.node.care.patients;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareApiTest;

/**
 * No answer to a professional outside a patient's team depends on whether that patient exists
 * (issue 15, item 1), on a real node over real TLS: registering, by form or CSV, a person another
 * team has registered is answered as any new registration; the pair goes to municipal staff (行政),
 * who invite the registrant into the existing team or dismiss it, and every hit and decision is audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatientDuplicateTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient outsider;
  CareClient staff;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-dup", "北原", "健一", "doctor", bed.clinic);
    outsider = bed.professional("cm-dup", "藤澤", "聡子", "care_manager", bed.nursingStation);
    staff = bed.municipalStaff("ina-fukushi-dup", "伊那", "福祉");
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private String registered(CareClient by, JsonObject patient) {
    CareClient.Reply reply = by.post("/api/v1/patients", patient);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  private static JsonObject person(String family, String kana, String birth) {
    return CareApiTest.patient(family, "ハナ", kana, "ハナ", birth);
  }

  /** A reply's fields with the values that are the registration's own (its id and times) blanked. */
  private static JsonObject shape(CareClient.Reply reply) {
    JsonObject json = reply.json().copy();
    for (String own : List.of("id", "createdAt", "updatedAt", "familyName", "familyKana")) {
      json.put(own, json.containsKey(own) ? "*" : null);
    }
    return json;
  }

  private JsonArray candidates() {
    CareClient.Reply reply = staff.get("/api/v1/municipal/patient-duplicates");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().getJsonArray("candidates");
  }

  private JsonObject candidateFor(String newPatient) {
    return candidates().stream().map(JsonObject.class::cast)
        .filter(c -> c.getJsonObject("patient").getString("id").equals(newPatient)).findFirst().orElseThrow();
  }

  @Test
  void an_outsider_registering_another_teams_patient_is_answered_as_for_a_new_person_and_staff_see_the_pair()
      throws Exception {
    String existing = registered(doctor, person("山田", "ヤマダ", "1930-01-01").put("teamRole", "主治医"));
    JsonObject repeat = person("山田", "ヤマダ", "1930-01-01").put("teamRole", "ケアマネジャー");
    JsonObject stranger = person("川田", "カワダ", "1930-01-01").put("teamRole", "ケアマネジャー");
    CareClient.Reply taken = outsider.post("/api/v1/patients", repeat);
    CareClient.Reply fresh = outsider.post("/api/v1/patients", stranger);
    assertThat(taken.status()).as(taken.body()).isEqualTo(201);
    assertThat(fresh.status()).isEqualTo(201);
    assertThat(shape(taken)).isEqualTo(shape(fresh));
    assertThat(taken.body()).doesNotContain(existing, doctor.userId, "duplicate", "重複");
    String duplicate = taken.json().getString("id");
    assertThat(outsider.get("/api/v1/patients/" + existing).code()).isEqualTo("care.not_found");
    assertThat(outsider.get("/api/v1/patients/" + duplicate).json().getString("myTeamRole")).isEqualTo("ケアマネジャー");

    assertThat(bed.auditDetails("care.patient.duplicate_suspected", "patient:" + duplicate)).singleElement()
        .asString().contains(existing);
    assertThat(bed.audited("care.patient.duplicate_suspected", "patient:" + fresh.json().getString("id"))).isZero();
    JsonObject pair = candidateFor(duplicate);
    assertThat(pair.getJsonObject("existing").getString("id")).isEqualTo(existing);
    assertThat(pair.getJsonObject("existing").getJsonArray("team").encode()).contains("北原");
    assertThat(pair.getJsonObject("registrant").getString("name")).isEqualTo("藤澤 聡子");
    assertThat(pair.getString("teamRole")).isEqualTo("ケアマネジャー");

    CareClient.Reply own = doctor.post("/api/v1/patients", person("山田", "ヤマダ", "1930-01-01"));
    assertThat(own.status()).as("her own patient she may be told of").isEqualTo(409);
    assertThat(own.code()).isEqualTo("care.patient_duplicate");
    assertThat(bed.auditDetails("care.patient.created", "user:" + doctor.userId)).as("every hit is audited")
        .anyMatch(detail -> detail.contains("duplicate_of_own"));
  }

  @Test
  void professionals_get_403_from_the_staff_list_and_decisions_and_change_nothing() {
    String existing = registered(doctor, person("森", "モリ", "1931-02-02"));
    String duplicate = registered(outsider, person("森", "モリ", "1931-02-02"));
    String candidate = candidateFor(duplicate).getString("id");
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    for (CareClient professional : List.of(doctor, outsider)) {
      for (CareClient.Reply reply : List.of(professional.get("/api/v1/municipal/patient-duplicates"),
          professional.post("/api/v1/municipal/patient-duplicates/" + candidate + "/invite", new JsonObject()),
          professional.post("/api/v1/municipal/patient-duplicates/" + candidate + "/dismiss", new JsonObject()))) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(403);
        assertThat(reply.code()).isEqualTo("auth.forbidden");
        assertThat(reply.json().fieldNames()).containsExactlyInAnyOrder("code", "message", "requestId");
        assertThat(reply.body()).doesNotContain(existing, duplicate, "森");
      }
    }
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
  }

  @Test
  void staff_invite_the_registrant_into_the_existing_team_and_archive_her_new_record() throws Exception {
    String existing = registered(doctor, person("林", "ハヤシ", "1932-03-03"));
    String duplicate = registered(outsider, person("林", "ハヤシ", "1932-03-03").put("teamRole", "ケアマネジャー"));
    String candidate = candidateFor(duplicate).getString("id");
    CareClient.Reply invited = staff.post("/api/v1/municipal/patient-duplicates/" + candidate + "/invite",
        new JsonObject());
    assertThat(invited.status()).as(invited.body()).isEqualTo(200);
    assertThat(outsider.get("/api/v1/patients/" + duplicate).json().getString("status")).isEqualTo("archived");
    assertThat(outsider.get("/api/v1/invitations").body()).contains(existing);
    assertThat(outsider.post("/api/v1/invitations/" + existing + "/accept", new JsonObject()).status()).isEqualTo(204);
    assertThat(outsider.get("/api/v1/patients/" + existing).json().getString("myTeamRole")).isEqualTo("ケアマネジャー");
    assertThat(bed.auditDetails("care.patient.duplicate_invited", "patient:" + existing)).singleElement()
        .asString().contains(duplicate);
    assertThat(candidates().stream().map(JsonObject.class::cast).map(c -> c.getString("id"))).doesNotContain(candidate);

    Map<String, Long> before = TestSql.rowCounts(bed.node);
    CareClient.Reply again = staff.post("/api/v1/municipal/patient-duplicates/" + candidate + "/dismiss",
        new JsonObject());
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.code()).isEqualTo("care.duplicate_not_found");
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
  }

  @Test
  void staff_dismiss_a_pair_of_different_people_and_both_records_stay() throws Exception {
    String existing = registered(doctor, person("松本", "マツモト", "1933-04-04"));
    String duplicate = registered(outsider, person("松本", "マツモト", "1933-04-04"));
    String candidate = candidateFor(duplicate).getString("id");
    assertThat(staff.post("/api/v1/municipal/patient-duplicates/" + candidate + "/dismiss", new JsonObject())
        .status()).isEqualTo(200);
    assertThat(candidates().stream().map(JsonObject.class::cast).map(c -> c.getString("id"))).doesNotContain(candidate);
    assertThat(outsider.get("/api/v1/patients/" + duplicate).json().getString("status")).isEqualTo("active");
    assertThat(doctor.get("/api/v1/patients/" + existing).json().getString("status")).isEqualTo("active");
    assertThat(bed.audited("care.patient.duplicate_dismissed", "patient:" + existing)).isEqualTo(1);
  }

  @Test
  void a_csv_naming_another_teams_patient_is_imported_like_any_other_and_the_hit_is_flagged() throws Exception {
    String existing = registered(doctor, person("小林", "コバヤシ", "1934-05-05").put("givenName", "花子")
        .put("givenKana", "ハナコ"));
    byte[] csv = (PatientCsvImportTest.HEADER + PatientCsvImportTest.row("小林", "コバヤシ", "1934-05-05", "202096")
        + PatientCsvImportTest.row("中村", "ナカムラ", "1934-05-06", "202096")).getBytes(StandardCharsets.UTF_8);
    CareClient.Reply reply = outsider.postBytes(PatientCsvImportTest.PATH, csv, "text/csv");
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    assertThat(reply.json().getInteger("imported")).isEqualTo(2);
    assertThat(reply.body()).doesNotContain(existing, "duplicate", "rows");
    String imported = reply.json().getJsonArray("patients").getString(0);
    assertThat(bed.auditDetails("care.patient.duplicate_suspected", "patient:" + imported)).singleElement()
        .asString().contains(existing);
    assertThat(candidateFor(imported).getJsonObject("existing").getString("id")).isEqualTo(existing);

    CareClient.Reply own = doctor.postBytes(PatientCsvImportTest.PATH, csv, "text/csv");
    assertThat(own.status()).as("the doctor's own patient may be reported to her").isEqualTo(422);
    assertThat(own.json().getJsonArray("rows")).hasSize(1);
    assertThat(bed.auditDetails("care.patient.imported", "user:" + doctor.userId))
        .anyMatch(detail -> detail.contains("duplicate_of_own"));
  }
}
