package jp.tsunagu.node.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Supplier;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.attachments.AttachmentFiles;
import jp.tsunagu.node.care.forms.FormSamples;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secretariat picks the applicant for a 主治医意見書 from the platform by name and birth date (only
 * patients homed here who have one, the minimum shown, every search audited), previews the opinion as
 * the reviewers will read it, and redacts its free text for their copy while the form stays as written.
 */
class ReviewFormPickerTest {

  static final String NAMED_REMARKS = "長男の春日 一郎さん（090-1234-5678）が週末に訪問。";
  static final String REDACTED = "長男が週末に訪問。";

  @TempDir
  static Path dir;
  static ReviewBed bed;
  static String caseId;
  static String withForm;
  static String withoutForm;
  static String formPost;

  @BeforeAll
  static void start() {
    bed = new ReviewBed(dir);
    CareClient doctor = bed.outsider;
    withForm = doctor.post("/api/v1/patients", CareApiTest.patient("春日", "八重", "カスガ", "ヤエ", "1938-04-02"))
        .json().getString("id");
    CareClient.Reply form = doctor.post("/api/v1/patients/" + withForm + "/forms", new JsonObject()
        .put("template", FormSamples.IKENSHO).put("values", FormSamples.ikensho().put("remarks", NAMED_REMARKS)));
    assertThat(form.status()).as(form.body()).isEqualTo(201);
    formPost = form.json().getString("id");
    // The same birth date and family name, no 主治医意見書: never answered.
    withoutForm = doctor.post("/api/v1/patients", CareApiTest.patient("春日", "ハナ", "カスガ", "ハナ", "1938-04-02"))
        .json().getString("id");
    caseId = bed.addCase(bed.session(Duration.ofDays(1)), "K-001", "care_1");
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static CareClient.Reply search(CareClient who, String name, String birthDate) {
    StringBuilder q = new StringBuilder("/api/v1/review/patients?");
    if (name != null) {
      q.append("name=").append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('&');
    }
    if (birthDate != null) {
      q.append("birthDate=").append(birthDate);
    }
    return who.get(q.toString());
  }

  private static CareClient.Reply preview(String patient, String consentOn) {
    return bed.secretariat.get("/api/v1/review/cases/" + caseId + "/form-preview?patientId=" + patient
        + "&consentOn=" + consentOn);
  }

  private static String yesterday() {
    return LocalDate.now().minusDays(1).toString();
  }

  @Test
  void the_search_answers_only_patients_homed_here_with_a_form_and_only_their_name_birth_date_and_form_dates() {
    long audited = TestSql.count(bed.node, "select count(*) from audit_log where action = 'review.patient_search'"
        + " and outcome = 'success'");
    for (String name : new String[] {"かすが やえ", "カスガヤエ", "春日 八重", "春日", "ｶｽｶﾞ"}) {
      CareClient.Reply reply = search(bed.secretariat, name, "1938-04-02");
      assertThat(reply.status()).as(name + ": " + reply.body()).isEqualTo(200);
      JsonArray patients = reply.json().getJsonArray("patients");
      assertThat(patients).as(name).hasSize(1);
      JsonObject p = patients.getJsonObject(0);
      assertThat(p.fieldNames()).containsExactlyInAnyOrder("patientId", "name", "birthDate", "formDates");
      assertThat(p.getString("patientId")).isEqualTo(withForm);
      assertThat(p.getString("name")).isEqualTo("春日 八重");
      assertThat(p.getJsonArray("formDates")).containsExactly("2025-06-02");
      assertThat(reply.body()).doesNotContain(withoutForm, "荒井", "090");
    }
    assertThat(search(bed.secretariat, "かすが やえ", "1938-04-03").json().getJsonArray("patients")).isEmpty();
    assertThat(search(bed.secretariat, "カスガハナ", "1938-04-02").json().getJsonArray("patients")).isEmpty();
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'review.patient_search'"
        + " and outcome = 'success'")).isEqualTo(audited + 7);
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'review.patient_search'"
        + " and detail like ?", "%" + withForm + "%")).isGreaterThanOrEqualTo(5);
  }

  @Test
  void a_search_without_both_keys_or_with_a_bad_date_is_refused_audited_and_other_roles_get_403() {
    refused(() -> search(bed.secretariat, "かすが", null), 400, "review.search_incomplete");
    refused(() -> search(bed.secretariat, null, "1938-04-02"), 400, "review.search_incomplete");
    refused(() -> search(bed.secretariat, "  ", "1938-04-02"), 400, "review.search_incomplete");
    refused(() -> search(bed.secretariat, "かすが", "1938-02-30"), 400, "review.invalid_search");
    refused(() -> search(bed.secretariat, "かすが", "昭和13年"), 400, "review.invalid_search");
    refused(() -> search(bed.secretariat, "か".repeat(81), "1938-04-02"), 400, "validation.too_long");
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'review.patient_search'"
        + " and outcome = 'refused'")).isGreaterThanOrEqualTo(6);
    for (Map.Entry<String, CareClient> other : bed.others().entrySet()) {
      assertThat(search(other.getValue(), "かすが やえ", "1938-04-02").status()).as(other.getKey()).isEqualTo(403);
    }
    assertThat(search(bed.chair(), "かすが やえ", "1938-04-02").status()).isEqualTo(403);
    assertThat(search(new CareClient(bed.node, "").anonymous(), "かすが やえ", "1938-04-02").status()).isEqualTo(401);
  }

  @Test
  void the_preview_shows_the_opinion_without_the_patient_or_writer_and_its_free_text_apart_audited() {
    CareClient.Reply reply = preview(withForm, yesterday());
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonObject p = reply.json();
    assertThat(p.getString("postId")).isEqualTo(formPost);
    JsonObject remarks = freeText(p, "remarks");
    assertThat(remarks.getString("text")).isEqualTo(NAMED_REMARKS);
    assertThat(remarks.getString("label")).isEqualTo("特記すべき事項");
    // The patient's family name in the son's is marked; the son's own phone is not one the node knows.
    assertThat(remarks.getJsonArray("marks")).containsExactly(new JsonObject().put("start", 3).put("end", 5)
        .put("kind", "patient_name"));
    assertThat(freeText(p, "course_and_treatment").getString("text")).startsWith("令和3年より物忘れ");
    assertThat(freeText(p, "course_and_treatment").getJsonArray("marks")).isEmpty();
    String sections = p.getJsonArray("sections").encode();
    assertThat(freeText(p, "diagnosis_1").getString("text")).isEqualTo("アルツハイマー型認知症");
    assertThat(sections).contains("褥瘡の処置").doesNotContain(NAMED_REMARKS, "春日", "カスガ", "1938", "原",
        "伊那審査会テスト診療所", "ドネペジル");
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'review.form_previewed'"
        + " and outcome = 'success' and target = ?", "patient:" + withForm)).isGreaterThanOrEqualTo(1);
    refused(() -> preview(withForm, ""), 400, "review.consent_missing");
    refused(() -> preview(withoutForm, yesterday()), 404, "review.form_not_found");
    assertThat(bed.staff.get("/api/v1/review/cases/" + caseId + "/form-preview?patientId=" + withForm
        + "&consentOn=" + yesterday()).status()).isEqualTo(403);
  }

  @Test
  void the_reviewers_copy_carries_the_edited_free_text_the_form_keeps_its_own_and_the_edit_is_audited()
      throws Exception {
    JsonObject shown = preview(withForm, yesterday()).json();
    CareClient.Reply reply = bed.secretariat.post("/api/v1/review/cases/" + caseId + "/materials/from-form",
        new JsonObject().put("patientId", withForm).put("consentOn", yesterday()).put("postId", shown.getString("postId"))
            .put("version", shown.getInteger("version")).put("freeTexts", new JsonObject().put("remarks", REDACTED)));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    String material = reply.json().getString("id");
    String text = ReviewBed.text(Files.readAllBytes(new AttachmentFiles(bed.node.services().config().dataDir()
        .resolve("review")).file(sha256(material))));
    assertThat(text).contains(REDACTED.substring(0, 4)).doesNotContain("一郎", "090-1234");
    // The form as the doctor wrote it.
    assertThat(bed.outsider.get("/api/v1/posts/" + formPost + "/form").body()).contains("一郎");
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'review.form_free_text_edited'"
        + " and actor = ? and target = ? and detail like ? and detail not like '%一郎%'"
        + " and detail like '%\"field\":\"remarks\"%' and detail like '%\"charactersInCopy\":9%'",
        bed.secretariat.userId, "patient:" + withForm, "%" + material + "%")).isEqualTo(1);
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'review.material_from_form'"
        + " and detail like '%\"freeText\":\"edited\"%' and detail like ?", "%" + material + "%")).isEqualTo(1);
  }

  @Test
  void a_form_changed_since_the_preview_or_an_overlong_free_text_is_refused_and_nothing_changes() {
    JsonObject stale = new JsonObject().put("patientId", withForm).put("consentOn", yesterday())
        .put("postId", formPost).put("version", 99).put("freeText", REDACTED);
    refused(() -> bed.secretariat.post("/api/v1/review/cases/" + caseId + "/materials/from-form", stale), 409,
        "review.form_changed");
    refused(() -> bed.secretariat.post("/api/v1/review/cases/" + caseId + "/materials/from-form", stale.copy()
        .put("postId", "another-post").put("version", 1)), 409, "review.form_changed");
    refused(() -> bed.secretariat.post("/api/v1/review/cases/" + caseId + "/materials/from-form", stale.copy()
        .put("version", 1).put("freeText", "あ".repeat(4001))), 400, "validation.too_long");
  }

  @Test
  void a_copy_naming_the_patient_or_the_facility_in_any_free_text_is_refused_until_the_secretariat_removes_it()
      throws Exception {
    String named = bed.outsider.post("/api/v1/patients", CareApiTest.patient("竜田", "ミツ", "タツタ", "ミツ",
        "1940-01-05")).json().getString("id");
    String course = "竜田 ミツ様。令和3年より伊那審査会テスト診療所に通院。";
    String physical = "たつたさんは自宅（長野県伊那市荒井3500-1）で右膝の痛みのため歩行が不安定。";
    CareClient.Reply form = bed.outsider.post("/api/v1/patients/" + named + "/forms", new JsonObject()
        .put("template", FormSamples.IKENSHO).put("values", FormSamples.ikensho().put("course_and_treatment", course)
            .put("physical_state", physical).put("remarks", "被保険者番号 0001234567。独居。")));
    assertThat(form.status()).as(form.body()).isEqualTo(201);
    String post = form.json().getString("id");
    String k = bed.addCase(bed.session(Duration.ofHours(30)), "K-022", "care_1");
    CareClient.Reply preview = bed.secretariat.get("/api/v1/review/cases/" + k + "/form-preview?patientId=" + named
        + "&consentOn=" + yesterday());
    assertThat(preview.status()).as(preview.body()).isEqualTo(200);
    JsonObject shown = preview.json();
    assertThat(freeText(shown, "course_and_treatment").getJsonArray("marks")).containsExactly(
        new JsonObject().put("start", 0).put("end", 5).put("kind", "patient_name"),
        new JsonObject().put("start", 13).put("end", 24).put("kind", "facility_name"));
    assertThat(freeText(shown, "physical_state").getJsonArray("marks").stream().map(m -> ((JsonObject) m)
        .getString("kind"))).containsExactly("patient_name", "address");
    // The insured number is the case's own (the form holds none): marked all the same.
    assertThat(freeText(shown, "remarks").getJsonArray("marks")).containsExactly(new JsonObject().put("start", 7)
        .put("end", 17).put("kind", "insured_number"));
    JsonObject body = new JsonObject().put("patientId", named).put("consentOn", yesterday()).put("postId", post)
        .put("version", shown.getInteger("version"));
    String path = "/api/v1/review/cases/" + k + "/materials/from-form";
    CareClient.Reply asWritten = refused(() -> bed.secretariat.post(path, body), 422, "review.identifying_text");
    assertThat(asWritten.json().getJsonArray("fields").stream().map(f -> ((JsonObject) f).getString("field")))
        .containsExactly("course_and_treatment", "physical_state", "remarks");
    assertThat(asWritten.body()).contains("経過及び治療内容").doesNotContain("竜田", "たつた", "荒井", "テスト診療所");
    CareClient.Reply half = refused(() -> bed.secretariat.post(path, body.copy().put("freeTexts",
        new JsonObject().put("course_and_treatment", "令和3年より通院。").put("remarks", "独居。"))), 422,
        "review.identifying_text");
    assertThat(half.json().getJsonArray("fields").stream().map(f -> ((JsonObject) f).getString("field")))
        .containsExactly("physical_state");
    // A free text that is not a text is refused by the route's schema.
    refused(() -> bed.secretariat.post(path, body.copy().put("freeTexts",
        new JsonObject().put("course_and_treatment", 5))), 400, "validation.malformed");
    refused(() -> bed.secretariat.post(path, body.copy().put("freeTexts", new JsonObject()
        .put("course_and_treatment", "あ".repeat(4001)))), 400, "validation.too_long");
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'review.material_from_form'"
        + " and outcome = 'refused' and detail like '%identifying_text%' and target = ?", "patient:" + named))
        .isEqualTo(2);

    CareClient.Reply taken = bed.secretariat.post(path, body.copy().put("freeTexts", new JsonObject()
        .put("course_and_treatment", "令和3年より通院。").put("physical_state", "右膝の痛みで歩行が不安定。")
        .put("remarks", "独居。")));
    assertThat(taken.status()).as(taken.body()).isEqualTo(201);
    String material = taken.json().getString("id");
    String text = ReviewBed.text(Files.readAllBytes(new AttachmentFiles(bed.node.services().config().dataDir()
        .resolve("review")).file(sha256(material))));
    assertThat(text).contains("右膝の痛みで歩行が不安定", "令和3年より通院").doesNotContain("竜田", "タツタ", "たつた",
        "ミツ", "伊那審査会テスト診療所", "荒井", "0265-78-0000", "原 太郎", "0001234567");
    assertThat(bed.outsider.get("/api/v1/posts/" + post + "/form").body()).contains(course, "たつたさんは");
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'review.form_free_text_edited'"
        + " and detail like ? and detail like '%course_and_treatment%' and detail like '%physical_state%'"
        + " and detail not like '%竜田%' and detail not like '%通院%'", "%" + material + "%")).isEqualTo(1);
  }

  private static JsonObject freeText(JsonObject preview, String key) {
    return preview.getJsonArray("freeTexts").stream().map(JsonObject.class::cast)
        .filter(f -> f.getString("key").equals(key)).findFirst().orElseThrow();
  }

  private static String sha256(String material) {
    return bed.node.services().database().submitRead(c -> {
      try (java.sql.PreparedStatement s = c.prepareStatement("select sha256 from review_materials where id = ?")) {
        s.setString(1, material);
        try (java.sql.ResultSet rs = s.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
    }).join();
  }

  private static CareClient.Reply refused(Supplier<CareClient.Reply> request, int status, String code) {
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    before.remove("audit_log");
    CareClient.Reply reply = request.get();
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.code()).as(reply.body()).isEqualTo(code);
    Map<String, Long> after = TestSql.rowCounts(bed.node);
    after.remove("audit_log");
    assertThat(after).isEqualTo(before);
    return reply;
  }
}
