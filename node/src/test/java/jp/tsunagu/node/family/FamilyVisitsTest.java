package jp.tsunagu.node.family;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * 訪問予定: the team plans visits, the family sees the coming ones in its notebook (and nothing of
 * another patient's), a cancelled visit disappears; every bad plan is refused with its stable code
 * and changes nothing but the audit log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FamilyVisitsTest {

  @TempDir
  static Path dir;
  FamilyTestbed bed;
  CareClient phone;

  @BeforeAll
  void start() {
    bed = new FamilyTestbed(dir);
    phone = bed.loggedIn(bed.invited(bed.doctor, bed.patient, "visits@example.jp"), 0);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  static JsonObject visit(LocalDate day, String from, String to, String profession) {
    return new JsonObject().put("date", day.toString()).put("from", from).put("to", to).put("profession", profession);
  }

  private static LocalDate inDays(int days) {
    return LocalDate.now(FamilyContext.JAPAN).plusDays(days);
  }

  private JsonArray notebookVisits() {
    return phone.get("/api/v1/family/notebook").json().getJsonArray("visits");
  }

  @Test
  void the_team_plans_visits_the_family_sees_the_coming_ones_soonest_first_and_a_cancelled_one_goes() {
    String base = "/api/v1/patients/" + bed.patient + "/family/visits";
    CareClient.Reply later = bed.nurse.post(base, visit(inDays(3), "10:00", "11:00", "visiting_nurse"));
    assertThat(later.status()).as(later.body()).isEqualTo(201);
    CareClient.Reply sooner = bed.doctor.post(base, visit(inDays(1), "14:00", "14:30", "doctor"));
    assertThat(sooner.status()).as(sooner.body()).isEqualTo(201);
    assertThat(bed.otherDoctor.post("/api/v1/patients/" + bed.otherPatient + "/family/visits",
        visit(inDays(1), "09:00", "09:30", "doctor")).status()).isEqualTo(201);

    JsonArray seen = notebookVisits();
    assertThat(seen.stream().map(v -> ((JsonObject) v).getString("id")).toList())
        .containsExactly(sooner.json().getString("id"), later.json().getString("id"));
    assertThat(seen.getJsonObject(1).getString("professionLabel")).isEqualTo("訪問看護師");
    assertThat(seen.getJsonObject(0).getString("from")).isEqualTo("14:00");
    assertThat(bed.doctor.get(base).json().getJsonArray("visits")).hasSize(2);

    CareClient.Reply cancelled = bed.nurse.delete(base + "/" + sooner.json().getString("id"));
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(204);
    assertThat(notebookVisits().stream().map(v -> ((JsonObject) v).getString("id")).toList())
        .containsExactly(later.json().getString("id"));
    assertThat(TestSql.count(bed.bed.node, "select count(*) from audit_log where action = 'family.visit.planned'"
        + " and target = ?", "patient:" + bed.patient)).isEqualTo(2);
    assertThat(TestSql.count(bed.bed.node, "select count(*) from audit_log where action = 'family.visit.cancelled'"))
        .isEqualTo(1);
  }

  @Test
  void a_bad_plan_another_teams_doctor_and_another_patients_visit_are_refused_and_change_nothing() {
    String base = "/api/v1/patients/" + bed.patient + "/family/visits";
    String others = bed.otherDoctor.post("/api/v1/patients/" + bed.otherPatient + "/family/visits",
        visit(inDays(2), "09:00", "09:30", "doctor")).json().getString("id");
    Map<String, Long> before = TestSql.rowCounts(bed.bed.node);
    before.remove("audit_log");
    Map<String, JsonObject> bad = Map.of(
        "family.visit_date_invalid", visit(inDays(-1), "10:00", "11:00", "nurse"),
        "family.visit_time_invalid", visit(inDays(2), "11:00", "10:00", "nurse"),
        "family.visit_profession_unknown", visit(inDays(2), "10:00", "11:00", "wizard"));
    bad.forEach((code, body) -> {
      CareClient.Reply reply = bed.doctor.post(base, body);
      assertThat(reply.status()).as(code + ": " + reply.body()).isEqualTo(400);
      assertThat(reply.code()).isEqualTo(code);
    });
    for (JsonObject body : new JsonObject[] {visit(inDays(400), "10:00", "11:00", "nurse"),
        new JsonObject().put("date", "来週").put("from", "10:00").put("to", "11:00").put("profession", "nurse")}) {
      assertThat(bed.doctor.post(base, body).code()).isEqualTo("family.visit_date_invalid");
    }
    assertThat(bed.doctor.post(base, visit(inDays(2), "9:00", "10:00", "nurse")).code())
        .isEqualTo("family.visit_time_invalid");
    assertThat(bed.otherDoctor.post(base, visit(inDays(2), "10:00", "11:00", "nurse")).status()).isEqualTo(404);
    assertThat(bed.otherDoctor.get(base).status()).isEqualTo(404);
    CareClient.Reply crossed = bed.doctor.delete(base + "/" + others);
    assertThat(crossed.status()).isEqualTo(404);
    assertThat(crossed.code()).isEqualTo("family.visit_not_found");
    Map<String, Long> after = TestSql.rowCounts(bed.bed.node);
    after.remove("audit_log");
    assertThat(after).isEqualTo(before);
    assertThat(notebookVisits().encode()).doesNotContain(others);
  }
}
