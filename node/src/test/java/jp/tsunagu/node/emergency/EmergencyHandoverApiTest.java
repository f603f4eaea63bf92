package jp.tsunagu.node.emergency;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.testing.TestSql;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handover to the receiving hospital end to end on a real node: the crew makes the sheet from
 * an open access (a PDF, a one-time link and a spoken code), the hospital opens it once without an
 * account, the team reads a notice, 行政 lists and revokes. Each misuse gets its stable code and
 * changes nothing but the audit log (and, for a wrong code, the link's count of wrong codes).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmergencyHandoverApiTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient staff;
  String hoshino;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-handover", "北原", "健一", "doctor", bed.clinic);
    staff = bed.municipalStaff("gyosei-handover", "田中", "明子");
    hoshino = EmergencyBed.patient(doctor, EmergencyBed.person("星野", "ハル", "ホシノ", "ハル", "1935-02-20",
        "長野県伊那市手良沢岡1200-3", "0265-78-1234"));
    assertThat(doctor.put("/api/v1/patients/" + hoshino + "/acp", EmergencyBed.plan()).status()).isEqualTo(200);
    assertThat(doctor.put("/api/v1/patients/" + hoshino + "/medical", new JsonObject()
        .put("medicalHistory", "心不全、2型糖尿病").put("medications", "フロセミド 20mg 朝")
        .put("allergies", "ペニシリン")).status()).isEqualTo(200);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private String access(CareClient crew) {
    CareClient.Reply opened = crew.post("/api/v1/emergency/accesses", EmergencyBed.access(hoshino));
    assertThat(opened.status()).as(opened.body()).isEqualTo(201);
    return opened.json().getString("id");
  }

  private static JsonObject make(CareClient crew, String access) {
    CareClient.Reply made = crew.post("/api/v1/emergency/accesses/" + access + "/handovers",
        new JsonObject().put("hospital", "伊那中央病院"));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    return made.json();
  }

  private static String token(JsonObject made) {
    return made.getString("link").replaceAll(".*/handover/", "");
  }

  private CareClient.Reply open(String token, String code) {
    return new CareClient(bed.node, null).anonymous().post("/api/v1/handovers/open",
        new JsonObject().put("token", token).put("code", code));
  }

  private void sql(String update, String id) {
    bed.node.services().database().submitWrite(c -> {
      try (var s = c.prepareStatement(update)) {
        s.setString(1, id);
        return s.executeUpdate();
      }
    }).join();
  }

  /** The link's state as stored: a refusal must leave it as it was. */
  private String state(String handover) {
    return bed.node.services().database().submitRead(c -> {
      try (var s = c.prepareStatement("select coalesce(opened_at, '-') || coalesce(revoked_at, '-') || failed_codes"
          + " || coalesce(locked_at, '-') || length(sheet) from emergency_handovers where id = ?")) {
        s.setString(1, handover);
        try (var rs = s.executeQuery()) {
          return rs.next() ? rs.getString(1) : "";
        }
      }
    }).join();
  }

  @Test
  void the_crew_makes_a_sheet_and_pdf_the_team_is_told_and_the_hospital_opens_it_once_without_an_account()
      throws Exception {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-handover", "丸山", "大輔");
    JsonObject made = make(crew, access(crew));
    assertThat(made.getString("code")).matches("[0-9]{6}");
    assertThat(made.getString("link")).startsWith("/#/handover/");
    assertThat(made.getString("status")).isEqualTo("active");
    assertThat(made.getString("hospital")).isEqualTo("伊那中央病院");

    var pdf = crew.download(made.getString("pdf"));
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
    try (PDDocument document = Loader.loadPDF(pdf.body())) {
      assertThat(new PDFTextStripper().getText(document)).contains("救急隊からの引き継ぎ情報", "伊那中央病院", "星野 ハル",
          "R7-01234", "ペニシリン", "フロセミド", "心不全", "心肺蘇生を希望しない", "星野 和子", "要介護2", "北原", "丸山 大輔");
    }

    String notice = doctor.get("/api/v1/patients/" + hoshino + "/posts").json().getJsonArray("posts").stream()
        .map(p -> ((JsonObject) p).getString("body")).filter(b -> b.startsWith("救急隊が搬送先への引き継ぎ情報を作成しました"))
        .findFirst().orElseThrow();
    assertThat(notice).contains("丸山 大輔", "伊那中央病院", "R7-01234", "日時");

    CareClient.Reply sheet = open(token(made), " " + made.getString("code").substring(0, 3) + "-"
        + made.getString("code").substring(3));
    assertThat(sheet.status()).as(sheet.body()).isEqualTo(200);
    assertThat(sheet.json().getString("hospital")).isEqualTo("伊那中央病院");
    assertThat(sheet.json().getJsonObject("patient").getString("name")).isEqualTo("星野 ハル");
    assertThat(sheet.json().getJsonObject("patient").getString("allergies")).isEqualTo("ペニシリン");
    assertThat(sheet.json().getJsonObject("acp").getString("resuscitation")).isEqualTo("dnar");
    assertThat(sheet.json().getJsonObject("access").getString("dispatchNumber")).isEqualTo("R7-01234");
    assertThat(sheet.body()).doesNotContain("posts");
    assertThat(bed.audited("emergency.handover.made", "patient:" + hoshino)).isGreaterThanOrEqualTo(1);
    assertThat(bed.audited("emergency.handover.opened", "patient:" + hoshino)).isGreaterThanOrEqualTo(1);

    Map<String, Long> before = TestSql.rowCounts(bed.node);
    String id = made.getString("id");
    String stored = state(id);
    CareClient.Reply again = open(token(made), made.getString("code"));
    assertThat(again.status()).isEqualTo(410);
    assertThat(again.code()).isEqualTo("handover.used");
    assertThat(again.body()).doesNotContain("星野");
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
    assertThat(state(id)).isEqualTo(stored);
    assertThat(bed.auditDetails("emergency.handover.open", "emergency_handover:" + id))
        .anyMatch(d -> d.contains("handover.used"));
  }

  @Test
  void a_sheet_sent_again_with_its_idempotency_key_makes_no_second_sheet_and_shows_the_code_only_once() {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-ho-retry", "藤沢", "修");
    String path = "/api/v1/emergency/accesses/" + access(crew) + "/handovers";
    byte[] body = new JsonObject().put("hospital", "伊那中央病院").encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Map<String, String> key = Map.of("Idempotency-Key", "b3a1c0de-0000-4000-8000-0000000000f6");
    var first = crew.postWith(path, body, "application/json", key);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    long sheets = TestSql.count(bed.node, "select count(*) from emergency_handovers");
    long posts = TestSql.count(bed.node, "select count(*) from posts");
    var again = crew.postWith(path, body, "application/json", key);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(new JsonObject(again.body()).getString("code")).isEqualTo("idempotency.completed");
    assertThat(again.body()).doesNotContain("link").doesNotContain("/#/handover/");
    assertThat(TestSql.count(bed.node, "select count(*) from emergency_handovers")).isEqualTo(sheets);
    assertThat(TestSql.count(bed.node, "select count(*) from posts")).isEqualTo(posts);
  }

  @Test
  void a_sheet_without_a_hospital_name_is_refused_and_changes_nothing_but_the_audit_log() throws Exception {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-nohospital", "浦野", "拓也");
    String access = access(crew);
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    long refused = bed.audited("emergency.handover.make", "emergency_access:" + access);
    CareClient.Reply none = crew.post("/api/v1/emergency/accesses/" + access + "/handovers",
        new JsonObject().put("hospital", "  "));
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.code()).isEqualTo("handover.hospital_required");
    assertThat(crew.post("/api/v1/emergency/accesses/" + access + "/handovers", new JsonObject()).code())
        .isEqualTo("handover.hospital_required");
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
    assertThat(bed.audited("emergency.handover.make", "emergency_access:" + access)).isEqualTo(refused + 2);
  }

  @Test
  void a_sheet_after_the_access_expired_or_of_another_responders_access_is_refused() throws Exception {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-late", "小池", "勇");
    CareClient other = EmergencyBed.responder(bed, "kyukyu-notmine", "北沢", "博");
    String access = access(crew);
    String made = make(crew, access).getString("id");
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    CareClient.Reply notMine = other.post("/api/v1/emergency/accesses/" + access + "/handovers",
        new JsonObject().put("hospital", "伊那中央病院"));
    assertThat(notMine.status()).isEqualTo(404);
    assertThat(notMine.code()).isEqualTo("emergency.not_found");
    assertThat(other.get("/api/v1/emergency/handovers/" + made + "/pdf").code()).isEqualTo("emergency.not_found");
    // Thirty minutes have passed.
    sql("update emergency_accesses set expires_at = '2000-01-01T00:00:00.000Z' where id = ?", access);
    CareClient.Reply late = crew.post("/api/v1/emergency/accesses/" + access + "/handovers",
        new JsonObject().put("hospital", "伊那中央病院"));
    assertThat(late.status()).isEqualTo(404);
    assertThat(late.code()).isEqualTo("emergency.access_expired");
    assertThat(crew.get("/api/v1/emergency/handovers/" + made + "/pdf").code()).isEqualTo("emergency.access_expired");
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
    assertThat(bed.auditDetails("emergency.handover.make", "emergency_access:" + access))
        .anyMatch(d -> d.contains("emergency.access_expired")).anyMatch(d -> d.contains("emergency.not_found"));
  }

  @Test
  void a_link_after_24_hours_is_gone_with_its_own_code() {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-24h", "中島", "隆");
    JsonObject made = make(crew, access(crew));
    // A day has passed.
    sql("update emergency_handovers set expires_at = '2000-01-01T00:00:00.000Z' where id = ?", made.getString("id"));
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    String stored = state(made.getString("id"));
    CareClient.Reply expired = open(token(made), made.getString("code"));
    assertThat(expired.status()).isEqualTo(410);
    assertThat(expired.code()).isEqualTo("handover.expired");
    assertThat(expired.body()).doesNotContain("星野");
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
    assertThat(state(made.getString("id"))).isEqualTo(stored);
  }

  @Test
  void municipal_staff_list_the_sheets_and_a_revoked_link_opens_nothing() throws Exception {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-revoke", "吉田", "学");
    JsonObject made = make(crew, access(crew));
    String id = made.getString("id");
    JsonObject listed = staff.get("/api/v1/municipal/emergency-handovers").json().getJsonArray("handovers").stream()
        .map(h -> (JsonObject) h).filter(h -> h.getString("id").equals(id)).findFirst().orElseThrow();
    assertThat(listed.getString("patientName")).isEqualTo("星野 ハル");
    assertThat(listed.getString("hospital")).isEqualTo("伊那中央病院");
    assertThat(listed.getString("responder")).isEqualTo("吉田 学");
    assertThat(listed.getString("status")).isEqualTo("active");
    assertThat(listed.encode()).doesNotContain(made.getString("code")).doesNotContain(token(made));

    CareClient.Reply revoked = staff.post("/api/v1/municipal/emergency-handovers/" + id + "/revoke", new JsonObject());
    assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
    assertThat(revoked.json().getString("status")).isEqualTo("revoked");
    assertThat(bed.audited("emergency.handover.revoked", "patient:" + hoshino)).isGreaterThanOrEqualTo(1);

    Map<String, Long> before = TestSql.rowCounts(bed.node);
    String stored = state(id);
    CareClient.Reply gone = open(token(made), made.getString("code"));
    assertThat(gone.status()).isEqualTo(410);
    assertThat(gone.code()).isEqualTo("handover.revoked");
    assertThat(crew.get(made.getString("pdf")).code()).isEqualTo("handover.revoked");
    CareClient.Reply twice = staff.post("/api/v1/municipal/emergency-handovers/" + id + "/revoke", new JsonObject());
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.code()).isEqualTo("handover.already_revoked");
    assertThat(staff.post("/api/v1/municipal/emergency-handovers/nope/revoke", new JsonObject()).code())
        .isEqualTo("handover.not_found");
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
    assertThat(state(id)).isEqualTo(stored);
  }

  @Test
  void wrong_codes_get_the_same_answer_as_no_link_and_five_of_them_lock_the_link() throws Exception {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-guess", "早川", "剛");
    JsonObject made = make(crew, access(crew));
    String right = made.getString("code");
    String wrong = right.equals("000000") ? "111111" : "000000";
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    CareClient.Reply noLink = open("made-up-token", right);
    for (int i = 0; i < HandoverOpenRoutes.CODE_GUESSES; i++) {
      CareClient.Reply guess = open(token(made), wrong);
      assertThat(guess.status()).isEqualTo(404);
      assertThat(guess.code()).isEqualTo(noLink.code()).isEqualTo("handover.not_found");
      assertThat(guess.json().getString("message")).isEqualTo(noLink.json().getString("message"));
    }
    CareClient.Reply locked = open(token(made), right);
    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.code()).isEqualTo("handover.locked");
    assertThat(locked.body()).doesNotContain("星野");
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
    assertThat(bed.auditDetails("emergency.handover.open", "emergency_handover:" + made.getString("id")))
        .hasSize(HandoverOpenRoutes.CODE_GUESSES + 1);
    JsonArray listed = staff.get("/api/v1/municipal/emergency-handovers").json().getJsonArray("handovers");
    assertThat(listed.stream().map(h -> (JsonObject) h).filter(h -> h.getString("id").equals(made.getString("id")))
        .findFirst().orElseThrow().getString("status")).isEqualTo("locked");
  }

  @Test
  void the_public_route_reveals_nothing_without_both_link_and_code() {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-public", "原", "聡");
    JsonObject made = make(crew, access(crew));
    for (JsonObject body : new JsonObject[] {new JsonObject(), new JsonObject().put("token", token(made)),
        new JsonObject().put("code", made.getString("code")), new JsonObject().put("token", "").put("code", "")}) {
      CareClient.Reply refused = new CareClient(bed.node, null).anonymous().post("/api/v1/handovers/open", body);
      assertThat(refused.status()).as(body.encode()).isEqualTo(404);
      assertThat(refused.code()).isEqualTo("handover.not_found");
      assertThat(refused.body()).doesNotContain("星野").doesNotContain("伊那中央病院");
    }
    // Still unopened: the right pair opens it.
    assertThat(open(token(made), made.getString("code")).status()).isEqualTo(200);
  }
}
