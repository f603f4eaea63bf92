package jp.tsunagu.node.emergency;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Emergency access end to end on a real node: a 救急・消防 account searches, opens with a reason and
 * the 出場番号, reads the limited view until it expires; the team reads the notice on its timeline;
 * 行政 reviews every access. Each misuse gets its stable code and changes nothing but the audit log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmergencyAccessApiTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient staff;
  String hoshino;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-emergency", "北原", "健一", "doctor", bed.clinic);
    staff = bed.municipalStaff("gyosei-emergency", "田中", "明子");
    hoshino = EmergencyBed.patient(doctor, EmergencyBed.person("星野", "ハル", "ホシノ", "ハル", "1935-02-20",
        "長野県伊那市手良沢岡1200-3", "0265-78-1234"));
    assertThat(doctor.put("/api/v1/patients/" + hoshino + "/acp", EmergencyBed.plan()).status()).isEqualTo(200);
    assertThat(doctor.put("/api/v1/patients/" + hoshino + "/medical", new JsonObject()
        .put("medicalHistory", "心不全、2型糖尿病").put("medications", "フロセミド 20mg 朝")
        .put("allergies", "ペニシリン")).status()).isEqualTo(200);
    assertThat(doctor.post("/api/v1/patients/" + hoshino + "/vitals", new JsonObject()
        .put("measuredAt", "2025-01-20T01:00:00Z").put("systolic", 132).put("diastolic", 78).put("pulse", 72))
        .status()).isEqualTo(201);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void a_responder_finds_by_kana_or_kanji_and_birth_date_by_phone_or_by_address() throws Exception {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-search", "宮坂", "翔");
    for (JsonObject query : new JsonObject[] {
        new JsonObject().put("name", "ほしの はる").put("birthDate", "1935-02-20"),
        new JsonObject().put("name", "星野").put("birthDate", "1935-02-20"),
        new JsonObject().put("phone", "０２６５７８１２３４"),
        new JsonObject().put("address", "手良沢岡1200")}) {
      CareClient.Reply found = crew.post("/api/v1/emergency/search", query);
      assertThat(found.status()).as(query + " " + found.body()).isEqualTo(200);
      JsonArray people = found.json().getJsonArray("patients");
      assertThat(people).as(query.encode()).hasSize(1);
      assertThat(people.getJsonObject(0).getString("id")).isEqualTo(hoshino);
    }
    // The audit log names the people each search showed.
    assertThat(bed.auditDetails("emergency.search", "patients")).anyMatch(d -> d.contains(hoshino));
    CareClient.Reply wrongBirthday = crew.post("/api/v1/emergency/search",
        new JsonObject().put("name", "星野 ハル").put("birthDate", "1935-02-21"));
    assertThat(wrongBirthday.json().getJsonArray("patients")).isEmpty();
    assertThat(crew.post("/api/v1/emergency/search", new JsonObject().put("name", "星野")).code())
        .isEqualTo("emergency.birth_date_required");
    assertThat(crew.post("/api/v1/emergency/search", new JsonObject()).code()).isEqualTo("emergency.search_empty");
  }

  @Test
  void an_access_shows_the_limited_view_and_posts_a_notice_to_the_team_and_is_audited() throws Exception {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-open", "丸山", "大輔");
    long viewedBefore = bed.audited("emergency.access.viewed", "patient:" + hoshino);
    CareClient.Reply opened = crew.post("/api/v1/emergency/accesses", EmergencyBed.access(hoshino));
    assertThat(opened.status()).as(opened.body()).isEqualTo(201);
    String access = opened.json().getString("id");
    assertThat(opened.json().getString("expiresAt")).isNotEmpty();
    // Opening answers with the view itself (one round trip fewer in the ambulance), audited as read.
    assertThat(opened.json().getJsonObject("view").getJsonObject("patient").getString("name")).isEqualTo("星野 ハル");
    assertThat(opened.json().getJsonObject("view").getJsonObject("access").getString("id")).isEqualTo(access);
    assertThat(bed.audited("emergency.access.viewed", "patient:" + hoshino)).isEqualTo(viewedBefore + 1);

    CareClient.Reply view = crew.get("/api/v1/emergency/accesses/" + access);
    assertThat(view.status()).as(view.body()).isEqualTo(200);
    JsonObject patient = view.json().getJsonObject("patient");
    assertThat(patient.getString("name")).isEqualTo("星野 ハル");
    assertThat(patient.getString("familyDoctor")).contains("北原");
    assertThat(patient.getString("careLevel")).isEqualTo("要介護2");
    assertThat(patient.getString("medicalHistory")).isEqualTo("心不全、2型糖尿病");
    assertThat(patient.getString("medications")).contains("フロセミド");
    assertThat(patient.getString("allergies")).isEqualTo("ペニシリン");
    assertThat(patient.getString("emergencyContacts")).contains("090-0000-0000");
    assertThat(patient.getJsonArray("team").getJsonObject(0).getString("teamRole")).isEqualTo("主治医");
    assertThat(patient.getJsonObject("latestVitals").getInteger("systolic")).isEqualTo(132);
    assertThat(view.json().getJsonObject("acp").getString("resuscitation")).isEqualTo("dnar");
    assertThat(view.json().getJsonObject("consent").getString("label")).isEqualTo("不明（記録がありません）");
    assertThat(view.json().getJsonArray("calls").stream().map(c -> ((JsonObject) c).getString("number")))
        .contains("0265781234", "09000000000", "09011112222");
    // Never the timeline: no post's text is in the view.
    assertThat(view.body()).doesNotContain("posts").doesNotContain("バイタル");

    JsonArray posts = doctor.get("/api/v1/patients/" + hoshino + "/posts").json().getJsonArray("posts");
    String notice = posts.stream().map(p -> ((JsonObject) p).getString("body"))
        .filter(b -> b.startsWith("救急隊が緊急閲覧しました")).findFirst().orElseThrow();
    assertThat(notice).contains("丸山 大輔", "意識障害で救急要請", "R7-01234", "日時");
    assertThat(bed.audited("emergency.access.opened", "patient:" + hoshino)).isGreaterThanOrEqualTo(1);
    assertThat(bed.audited("emergency.access.viewed", "patient:" + hoshino)).isGreaterThanOrEqualTo(1);

    JsonObject review = staff.get("/api/v1/municipal/emergency-accesses").json();
    assertThat(review.getJsonArray("accesses").stream().map(a -> (JsonObject) a)
        .filter(a -> a.getString("id").equals(access)).findFirst().orElseThrow().getString("patientName"))
        .isEqualTo("星野 ハル");
  }

  @Test
  void an_access_sent_again_with_its_idempotency_key_opens_nothing_more_and_posts_no_second_notice() {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-retry", "藤沢", "修");
    byte[] body = EmergencyBed.access(hoshino).encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Map<String, String> key = Map.of("Idempotency-Key", "b3a1c0de-0000-4000-8000-000000000001");
    var first = crew.postWith("/api/v1/emergency/accesses", body, "application/json", key);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    long accesses = TestSql.count(bed.node, "select count(*) from emergency_accesses");
    long posts = TestSql.count(bed.node, "select count(*) from posts");
    var again = crew.postWith("/api/v1/emergency/accesses", body, "application/json", key);
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(new JsonObject(again.body()).getString("id")).isEqualTo(new JsonObject(first.body()).getString("id"));
    assertThat(TestSql.count(bed.node, "select count(*) from emergency_accesses")).isEqualTo(accesses);
    assertThat(TestSql.count(bed.node, "select count(*) from posts")).isEqualTo(posts);
  }

  @Test
  void an_access_without_reason_or_dispatch_number_is_refused_and_changes_nothing_but_the_audit_log() throws Exception {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-noreason", "浦野", "拓也");
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    long refusedBefore = bed.audited("emergency.access.open", "patient:" + hoshino);
    CareClient.Reply noReason = crew.post("/api/v1/emergency/accesses", EmergencyBed.access(hoshino).put("reason", " "));
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.code()).isEqualTo("emergency.reason_required");
    CareClient.Reply noDispatch = crew.post("/api/v1/emergency/accesses",
        EmergencyBed.access(hoshino).put("dispatchNumber", ""));
    assertThat(noDispatch.status()).isEqualTo(400);
    assertThat(noDispatch.code()).isEqualTo("emergency.dispatch_number_required");
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
    assertThat(bed.audited("emergency.access.open", "patient:" + hoshino)).isEqualTo(refusedBefore + 2);
  }

  @Test
  void an_expired_access_gets_404_access_expired_and_a_new_access_needs_a_new_reason() {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-expiry", "小池", "勇");
    String access = crew.post("/api/v1/emergency/accesses", EmergencyBed.access(hoshino)).json().getString("id");
    // Thirty minutes have passed.
    bed.node.services().database().submitWrite(c -> {
      try (var s = c.prepareStatement("update emergency_accesses set expires_at = '2000-01-01T00:00:00.000Z'"
          + " where id = ?")) {
        s.setString(1, access);
        return s.executeUpdate();
      }
    }).join();
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    CareClient.Reply expired = crew.get("/api/v1/emergency/accesses/" + access);
    assertThat(expired.status()).isEqualTo(404);
    assertThat(expired.code()).isEqualTo("emergency.access_expired");
    assertThat(expired.body()).doesNotContain("星野");
    assertThat(crew.post("/api/v1/emergency/accesses", new JsonObject().put("patientId", hoshino)
        .put("dispatchNumber", "R7-01234")).code()).isEqualTo("emergency.reason_required");
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
  }

  @Test
  void another_responders_access_or_a_made_up_one_is_404() {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-owner", "中島", "隆");
    CareClient other = EmergencyBed.responder(bed, "kyukyu-other", "北沢", "博");
    String access = crew.post("/api/v1/emergency/accesses", EmergencyBed.access(hoshino)).json().getString("id");
    assertThat(other.get("/api/v1/emergency/accesses/" + access).code()).isEqualTo("emergency.not_found");
    assertThat(other.get("/api/v1/emergency/accesses/nope").code()).isEqualTo("emergency.not_found");
    assertThat(crew.post("/api/v1/emergency/accesses", EmergencyBed.access("0000")).code())
        .isEqualTo("emergency.not_found");
  }

  @Test
  void an_archived_patient_cannot_be_opened() {
    String archived = EmergencyBed.patient(doctor, EmergencyBed.person("登録", "終了", "トウロク", "シュウリョウ",
        "1930-01-01", "長野県伊那市西箕輪9999-1", "0265-70-9999"));
    assertThat(doctor.post("/api/v1/patients/" + archived + "/archive", new JsonObject()).status()).isEqualTo(200);
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-archived", "池上", "守");
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    CareClient.Reply refused = crew.post("/api/v1/emergency/accesses", EmergencyBed.access(archived));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.code()).isEqualTo("emergency.patient_archived");
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
  }

  @Test
  void a_search_matching_too_many_people_asks_for_more_and_shows_none() {
    for (int i = 0; i < 6; i++) {
      EmergencyBed.patient(doctor, EmergencyBed.person("箕輪", "太郎" + i, "ミノワ", "タロウ", "1940-04-0" + (i + 1),
          "長野県伊那市美篶団地" + (100 + i), "0265-72-000" + i));
    }
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-broad", "原", "聡");
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    CareClient.Reply broad = crew.post("/api/v1/emergency/search", new JsonObject().put("address", "美篶団地"));
    assertThat(broad.status()).isEqualTo(422);
    assertThat(broad.code()).isEqualTo("emergency.search_too_broad");
    assertThat(broad.body()).doesNotContain("箕輪");
    assertThat(crew.post("/api/v1/emergency/search", new JsonObject().put("address", "伊那")).code())
        .isEqualTo("emergency.search_too_broad");
    assertThat(crew.post("/api/v1/emergency/search", new JsonObject().put("address", "美篶団地103"))
        .json().getJsonArray("patients")).hasSize(1);
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
  }

  @Test
  void more_accesses_in_an_hour_than_allowed_are_refused_and_flagged_to_municipal_staff() {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-rate", "早川", "剛");
    for (int i = 0; i < 10; i++) {
      assertThat(crew.post("/api/v1/emergency/accesses", EmergencyBed.access(hoshino)).status()).isEqualTo(201);
    }
    long accesses = TestSql.count(bed.node, "select count(*) from emergency_accesses");
    long posts = TestSql.count(bed.node, "select count(*) from posts");
    CareClient.Reply refused = crew.post("/api/v1/emergency/accesses", EmergencyBed.access(hoshino));
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.code()).isEqualTo("emergency.too_many_accesses");
    assertThat(TestSql.count(bed.node, "select count(*) from emergency_accesses")).isEqualTo(accesses);
    assertThat(TestSql.count(bed.node, "select count(*) from posts")).isEqualTo(posts);
    JsonArray flags = staff.get("/api/v1/municipal/emergency-accesses").json().getJsonArray("flags");
    assertThat(flags.stream().map(f -> ((JsonObject) f).getString("responder"))).contains("早川 剛");
  }

  @Test
  void professionals_and_municipal_staff_get_403_on_the_responders_routes_and_responders_on_the_review() {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-roles", "吉田", "学");
    String access = crew.post("/api/v1/emergency/accesses", EmergencyBed.access(hoshino)).json().getString("id");
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    for (CareClient other : new CareClient[] {doctor, staff}) {
      assertThat(other.post("/api/v1/emergency/search", new JsonObject().put("phone", "0265781234")).status())
          .isEqualTo(403);
      assertThat(other.post("/api/v1/emergency/accesses", EmergencyBed.access(hoshino)).status()).isEqualTo(403);
      assertThat(other.get("/api/v1/emergency/accesses/" + access).status()).isEqualTo(403);
    }
    assertThat(crew.get("/api/v1/municipal/emergency-accesses").status()).isEqualTo(403);
    assertThat(doctor.get("/api/v1/municipal/emergency-accesses").status()).isEqualTo(403);
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
  }
}
