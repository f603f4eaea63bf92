package jp.tsunagu.node.web.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.attachments.AttachmentTest;
import jp.tsunagu.node.care.forms.FormSamples;
import jp.tsunagu.node.testing.LostAnswers;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answer of a keyed create is kept in the create's own transaction, on every family of the care
 * routes: with the write that would keep it afterwards refused by the real database (what a crash or
 * a failover right after the commit leaves), a retry with the same key still gets the first answer,
 * byte for byte, with {@code Idempotent-Replayed: true}, and nothing is created twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnswerKeptWithCreateTest {

  private static final String JSON = "application/json";

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient nurse;
  CareClient doctor;
  CareClient therapist;
  CareClient staff;
  String patient;
  String group;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    nurse = bed.professional("ns-kept", "宮坂", "由美", "nurse", bed.nursingStation);
    doctor = bed.professional("dr-kept", "北原", "健一", "doctor", bed.clinic);
    therapist = bed.professional("pt-kept", "春日", "翔", "physical_therapist", bed.nursingStation);
    staff = bed.municipalStaff("ina-kept", "伊那", "花子");
    patient = FormSamples.patientWithNurse(doctor, nurse,
        CareApiTest.patient("保持", "ハナ", "ホジ", "ハナ", "1932-02-02"));
    group = nurse.post("/api/v1/groups", new JsonObject().put("name", "答えを保つ会")).json().getString("id");
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void a_post_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    replayed(nurse, "/api/v1/patients/" + patient + "/posts", note("保持された答え"));

    assertThat(TestSql.count(bed.node, "select count(*) from posts where body = '保持された答え'")).isEqualTo(1);
  }

  @Test
  void a_direct_post_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    replayed(nurse, "/api/v1/patients/" + patient + "/posts", note("特別便の答え")
        .put("recipients", new JsonArray().add(doctor.userId)));

    assertThat(TestSql.count(bed.node, "select count(*) from posts where body = '特別便の答え'")).isEqualTo(1);
  }

  @Test
  void a_group_post_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    replayed(nurse, "/api/v1/groups/" + group + "/posts", note("グループの答え"));

    assertThat(TestSql.count(bed.node, "select count(*) from posts where body = 'グループの答え'")).isEqualTo(1);
  }

  @Test
  void a_comment_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    String post = nurse.post("/api/v1/patients/" + patient + "/posts", note("コメントの先")).json().getString("id");

    replayed(doctor, "/api/v1/posts/" + post + "/comments", new JsonObject().put("body", "承知しました。"));

    assertThat(TestSql.count(bed.node, "select count(*) from comments where post_id = ?", post)).isEqualTo(1);
  }

  @Test
  void an_upload_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    replayed(nurse, "/api/v1/uploads", AttachmentTest.png(40, 30), "image/png", Map.of("X-File-Name", "hozon.png"));

    assertThat(TestSql.count(bed.node, "select count(*) from attachments where file_name = 'hozon.png'"))
        .isEqualTo(1);
  }

  @Test
  void a_form_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    long before = TestSql.count(bed.node, "select count(*) from posts where kind = 'form'");

    replayed(nurse, "/api/v1/patients/" + patient + "/forms", new JsonObject().put("template", FormSamples.HOUKOKUSHO)
        .put("values", FormSamples.houkokusho()));

    assertThat(TestSql.count(bed.node, "select count(*) from posts where kind = 'form'")).isEqualTo(before + 1);
  }

  @Test
  void vitals_are_answered_again_after_their_answer_kept_afterwards_was_lost() {
    replayed(nurse, "/api/v1/patients/" + patient + "/vitals", new JsonObject().put("measuredAt", "2025-02-03T01:30:00Z")
        .put("systolic", 131).put("diastolic", 84).put("pulse", 76).put("temperature", 36.8).put("spo2", 96));

    assertThat(TestSql.count(bed.node, "select count(*) from posts where kind = 'vitals' and board_id = ?", patient))
        .isEqualTo(1);
  }

  @Test
  void a_patient_is_answered_again_after_the_answer_kept_afterwards_was_lost() {
    replayed(nurse, "/api/v1/patients", CareApiTest.patient("失答", "タロウ", "シットウ", "タロウ", "1936-06-06")
        .put("teamRole", "訪問看護"));

    assertThat(TestSql.count(bed.node, "select count(*) from patients where family_name = '失答'")).isEqualTo(1);
  }

  @Test
  void a_patient_import_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    String csv = "氏,名,氏カナ,名カナ,生年月日,性別,住所,市町村コード,電話番号,かかりつけ医,要介護度,緊急連絡先,人生会議,備考\n"
        + "取込保持,花子,トリコミホジ,ハナコ,1937-07-07,女,長野県伊那市西町5000,202096,0265-00-0000,北原医院,要介護1,,,\n";

    replayed(nurse, "/api/v1/patients/import?teamRole=" + URLEncoder.encode("訪問看護", StandardCharsets.UTF_8),
        csv.getBytes(StandardCharsets.UTF_8), "text/csv", Map.of());

    assertThat(TestSql.count(bed.node, "select count(*) from patients where family_name = '取込保持'")).isEqualTo(1);
  }

  @Test
  void a_group_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    replayed(nurse, "/api/v1/groups", new JsonObject().put("name", "再送の会"));

    assertThat(TestSql.count(bed.node, "select count(*) from care_groups where name = '再送の会'")).isEqualTo(1);
  }

  @Test
  void a_team_invitation_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    replayed(nurse, "/api/v1/patients/" + patient + "/team/invitations",
        new JsonObject().put("userId", therapist.userId).put("teamRole", "訪問リハビリ"));

    assertThat(TestSql.count(bed.node, "select count(*) from board_members where board_id = ? and user_id = ?",
        patient, therapist.userId)).isEqualTo(1);
  }

  @Test
  void a_category_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    replayed(staff, "/api/v1/care/categories", new JsonObject().put("name", "保持テスト"));

    assertThat(TestSql.count(bed.node, "select count(*) from post_categories where name = '保持テスト'")).isEqualTo(1);
  }

  private void replayed(CareClient client, String path, JsonObject body) {
    replayed(client, path, body.encode().getBytes(StandardCharsets.UTF_8), JSON, Map.of());
  }

  /** Sends the create and its retry with one key while answers kept afterwards are lost. */
  private void replayed(CareClient client, String path, byte[] body, String contentType, Map<String, String> extra) {
    Map<String, String> headers = new HashMap<>(extra);
    headers.put("Idempotency-Key", UUID.randomUUID().toString());
    HttpResponse<String> first;
    HttpResponse<String> retry;
    try (LostAnswers lost = LostAnswers.on(bed.node)) {
      first = client.postWith(path, body, contentType, headers);
      retry = client.postWith(path, body, contentType, headers);
    }

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(retry.headers().firstValue("Content-Type")).isEqualTo(first.headers().firstValue("Content-Type"));
    assertThat(retry.body()).isEqualTo(first.body());
  }

  private static JsonObject note(String body) {
    return new JsonObject().put("category", "連絡").put("body", body);
  }
}
