package jp.tsunagu.node.disaster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * 安否確認 through the API: only while a disaster is declared; staff record anyone, a professional only
 * a person staff confirmed as a patient of her own team; every record is kept, the latest is shown in
 * the list, and the progress board per 地区 counts it and is told at once over its live stream.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DisasterSafetyTest {

  @TempDir
  static Path dir;
  static DisasterNode ina;
  static String kasugaPatient;
  static final String KASUGA_KEY = "カスガトメ/1931-05-12";
  static final String KITAZAWA_KEY = "キタザワマサオ/1939-11-03";

  @BeforeAll
  static void start() throws Exception {
    ina = new DisasterNode(dir);
    HttpResponse<String> patient = ina.nurse.postJson("/api/v1/patients", new JsonObject().put("familyName", "春日")
        .put("givenName", "トメ").put("familyKana", "カスガ").put("givenKana", "トメ").put("birthDate", "1931-05-12")
        .put("sex", "female").put("address", "伊那市西箕輪3000-1").put("municipalityCode", "202096").put("phone", "")
        .put("familyDoctor", "").put("careLevel", "").put("emergencyContacts", "").put("acpNotes", "")
        .put("remarks", "").put("teamRole", "訪問看護"));
    assertThat(patient.statusCode()).as(patient.body()).isEqualTo(201);
    kasugaPatient = new JsonObject(patient.body()).getString("id");
    ina.importAndConfirm(DisasterNode.csv(DisasterRegisterTest.KASUGA, DisasterRegisterTest.KITAZAWA,
        DisasterRegisterTest.KOIKE));
    String match = new JsonObject(ina.staff.get("/api/v1/disaster/register/matches").body()).getJsonArray("matches")
        .getJsonObject(0).getString("id");
    assertThat(ina.staff.postJson("/api/v1/disaster/register/matches/" + match + "/confirm", new JsonObject())
        .statusCode()).isEqualTo(200);
  }

  @AfterAll
  static void stop() throws Exception {
    ina.close();
  }

  @Test
  @Order(1)
  void nothing_is_recorded_while_no_disaster_is_declared() {
    Map<String, Long> before = TestSql.rowCounts(ina.node);
    HttpResponse<String> refused = ina.staff.postJson("/api/v1/disaster/safety-checks", check(KASUGA_KEY, "safe"));
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("disaster.not_declared");
    assertThat(TestSql.rowCounts(ina.node)).isEqualTo(before);
    assertThat(new JsonObject(ina.staff.get("/api/v1/disaster/safety-board").body()).getBoolean("declared")).isFalse();
  }

  @Test
  @Order(2)
  void staff_record_safety_the_board_counts_it_and_its_live_stream_is_told_at_once() throws Exception {
    assertThat(ina.staff.postJson("/api/v1/disaster/declarations", new JsonObject().put("kind", "風水害")
        .put("districts", new JsonArray().add("西箕輪").add("美篶"))).statusCode()).isEqualTo(201);
    CompletableFuture<String> told = ina.staff.firstEvent("/api/v1/disaster/safety-board/live");
    Thread.sleep(500); // the stream is open before the record is made

    HttpResponse<String> recorded = ina.staff.postJson("/api/v1/disaster/safety-checks",
        check(KITAZAWA_KEY, "shelter").put("shelter", "美篶小学校体育館").put("note", "長男と避難"));
    assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);
    assertThat(told.get(15, TimeUnit.SECONDS)).contains("美篶");

    JsonObject board = new JsonObject(ina.staff.get("/api/v1/disaster/safety-board").body());
    JsonObject misuzu = board.getJsonArray("districts").stream().map(JsonObject.class::cast)
        .filter(d -> d.getString("district").equals("美篶")).findFirst().orElseThrow();
    assertThat(misuzu.getInteger("checked")).isEqualTo(1);
    assertThat(misuzu.getInteger("total")).isEqualTo(1);
    assertThat(misuzu.getJsonObject("statuses").getInteger("shelter")).isEqualTo(1);
    assertThat(board.getJsonArray("districts")).hasSize(2); // only the declared 地区

    JsonObject kitazawa = new JsonObject(ina.staff.get("/api/v1/disaster/people?district=%E7%BE%8E%E7%AF%B6").body())
        .getJsonArray("people").getJsonObject(0);
    assertThat(kitazawa.getJsonObject("safety").getString("statusLabel")).isEqualTo("避難所");
    assertThat(kitazawa.getJsonObject("safety").getString("shelter")).isEqualTo("美篶小学校体育館");
  }

  @Test
  @Order(3)
  void a_professional_records_her_own_confirmed_patient_and_nobody_else() {
    HttpResponse<String> own = ina.nurse.postJson("/api/v1/disaster/safety-checks", check(KASUGA_KEY, "safe"));
    assertThat(own.statusCode()).as(own.body()).isEqualTo(201);

    Map<String, Long> before = TestSql.rowCounts(ina.node);
    assertThat(ina.nurse.postJson("/api/v1/disaster/safety-checks", check(KITAZAWA_KEY, "safe")).statusCode())
        .isEqualTo(404); // not a patient of hers
    assertThat(ina.facilityAdmin.postJson("/api/v1/disaster/safety-checks", check(KASUGA_KEY, "safe")).statusCode())
        .isEqualTo(404); // a patient, but not of a team she is in
    assertThat(ina.nurse.postJson("/api/v1/disaster/safety-checks", check("ダレ/1900-01-01", "safe")).statusCode())
        .isEqualTo(404);
    assertThat(ina.responder.postJson("/api/v1/disaster/safety-checks", check(KASUGA_KEY, "safe")).statusCode())
        .isEqualTo(403);
    assertThat(ina.staff.postJson("/api/v1/disaster/safety-checks", check(KASUGA_KEY, "shelter")).statusCode())
        .isEqualTo(400); // 避難所 without its name
    assertThat(ina.staff.postJson("/api/v1/disaster/safety-checks", check(KASUGA_KEY, "fine")).statusCode())
        .isEqualTo(400);
    assertThat(TestSql.rowCounts(ina.node)).isEqualTo(before);
    assertThat(ina.nurse.get("/api/v1/disaster/safety-board").statusCode()).isEqualTo(403);
  }

  @Test
  @Order(4)
  void a_record_of_a_confirmed_patient_is_posted_on_the_team_timeline_with_who_and_when_in_its_transaction() {
    HttpResponse<String> recorded = ina.nurse.postJson("/api/v1/disaster/safety-checks",
        check(KASUGA_KEY, "shelter").put("shelter", "西箕輪小学校"));
    assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);
    String noticeId = new JsonObject(recorded.body()).getString("noticeId");
    JsonObject notice = post(noticeId);
    assertThat(notice.getString("body")).startsWith("安否確認: 避難所（西箕輪小学校）— 記録: ")
        .contains("伊那市 看護師 伊那 太郎").matches("(?s).*, 20\\d\\d-\\d\\d-\\d\\d \\d\\d:\\d\\d$");

    // by the patient instead of the register's key: the person staff confirmed as her
    HttpResponse<String> byPatient = ina.nurse.postJson("/api/v1/disaster/safety-checks", new JsonObject()
        .put("patientId", kasugaPatient).put("status", "injured").put("shelter", "").put("note", "左足を打撲"));
    assertThat(byPatient.statusCode()).as(byPatient.body()).isEqualTo(201);
    assertThat(new JsonObject(byPatient.body()).getString("personKey")).isEqualTo(KASUGA_KEY);
    assertThat(post(new JsonObject(byPatient.body()).getString("noticeId")).getString("body"))
        .startsWith("安否確認: 負傷 — 記録: ").endsWith("メモ: 左足を打撲");

    // a person who is no patient: recorded, and no timeline is written
    HttpResponse<String> staffOnly = ina.staff.postJson("/api/v1/disaster/safety-checks", check(KITAZAWA_KEY, "safe"));
    assertThat(staffOnly.statusCode()).isEqualTo(201);
    assertThat(new JsonObject(staffOnly.body()).getValue("noticeId")).isNull();
  }

  private static JsonObject post(String postId) {
    return new JsonObject(ina.nurse.get("/api/v1/patients/" + kasugaPatient + "/posts").body()).getJsonArray("posts")
        .stream().map(JsonObject.class::cast).filter(p -> p.getString("id").equals(postId)).findFirst().orElseThrow();
  }

  private static JsonObject check(String personKey, String status) {
    return new JsonObject().put("personKey", personKey).put("status", status).put("shelter", "").put("note", "");
  }
}
