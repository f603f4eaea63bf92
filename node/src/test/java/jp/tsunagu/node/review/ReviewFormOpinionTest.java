package jp.tsunagu.node.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.attachments.AttachmentFiles;
import jp.tsunagu.node.care.forms.FormSamples;
import jp.tsunagu.node.testing.TestSql;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 主治医意見書 taken from the form filed on the platform (with the applicant's consent) instead of an
 * upload, rendered without identifying data; its refusals; and that a material refused after its file
 * was written leaves no file behind.
 */
class ReviewFormOpinionTest {

  @TempDir
  static Path dir;
  static ReviewBed bed;
  static CareClient doctor;
  static String session;
  static String caseId;
  static String patientWithForm;
  static String patientWithout;

  @BeforeAll
  static void start() {
    bed = new ReviewBed(dir);
    doctor = bed.outsider; // files the form; sits on no panel
    patientWithForm = doctor.post("/api/v1/patients", CareApiTest.patient("春日", "八重", "カスガ", "ヤエ",
        "1938-04-02")).json().getString("id");
    assertThat(doctor.post("/api/v1/patients/" + patientWithForm + "/forms", new JsonObject()
        .put("template", FormSamples.IKENSHO).put("values", FormSamples.ikensho())).status()).isEqualTo(201);
    patientWithout = doctor.post("/api/v1/patients", CareApiTest.patient("竜東", "ハナ", "リュウトウ", "ハナ",
        "1940-01-20")).json().getString("id");
    session = bed.session(Duration.ofDays(1));
    caseId = bed.addCase(session, "F-001", "care_1");
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static CareClient.Reply fromForm(String patient, String consentOn) {
    JsonObject body = new JsonObject().put("patientId", patient);
    if (consentOn != null) {
      body.put("consentOn", consentOn);
    }
    return bed.secretariat.post("/api/v1/review/cases/" + caseId + "/materials/from-form", body);
  }

  @Test
  void the_opinion_is_taken_from_the_form_without_identifying_data_and_audited() throws IOException {
    CareClient.Reply reply = fromForm(patientWithForm, LocalDate.now().minusDays(3).toString());
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    JsonObject material = reply.json();
    assertThat(material.getString("kind")).isEqualTo("doctor_opinion");
    String hash = bed.node.services().database().submitRead(c -> {
      try (java.sql.PreparedStatement s = c.prepareStatement("select sha256 from review_materials where id = ?")) {
        s.setString(1, material.getString("id"));
        try (java.sql.ResultSet rs = s.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
    }).join();
    String text;
    try (PDDocument pdf = Loader.loadPDF(Files.readAllBytes(store().file(hash)))) {
      text = new PDFTextStripper().getText(pdf);
    }
    assertThat(text).contains("主治医意見書").contains("アルツハイマー型認知症").contains("通所リハビリで下肢筋力を維持する");
    assertThat(text).doesNotContain("春日").doesNotContain("カスガ").doesNotContain("荒井3500")
        .doesNotContain("1938").doesNotContain("原").doesNotContain("伊那審査会テスト診療所");
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'review.material_from_form'"
        + " and outcome = 'success' and detail like ? and detail like ?", "%" + patientWithForm + "%",
        "%consentOn%")).isEqualTo(1);
  }

  @Test
  void without_consent_or_without_a_form_it_is_refused_audited_and_nothing_changes() {
    refused(() -> fromForm(patientWithForm, null), 400, "review.consent_missing");
    refused(() -> fromForm(patientWithForm, "昨日"), 400, "review.consent_missing");
    refused(() -> fromForm(patientWithForm, LocalDate.now().plusDays(5).toString()), 400, "review.consent_missing");
    String yesterday = LocalDate.now().minusDays(1).toString();
    refused(() -> fromForm(patientWithout, yesterday), 404, "review.form_not_found");
    refused(() -> fromForm("no-such-patient", yesterday), 404, "review.form_not_found");
    refused(() -> fromForm("", yesterday), 404, "review.form_not_found");
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'review.material_from_form'"
        + " and outcome = 'refused'")).isGreaterThanOrEqualTo(6);
    CareClient.Reply notSecretariat = bed.staff.post("/api/v1/review/cases/" + caseId + "/materials/from-form",
        new JsonObject().put("patientId", patientWithForm).put("consentOn", yesterday));
    assertThat(notSecretariat.status()).isEqualTo(403);
  }

  @Test
  void a_material_refused_after_its_file_was_written_leaves_no_file() throws IOException {
    String closed = bed.session(Duration.ofDays(1));
    String only = bed.addCase(closed, "F-900", "care_2");
    ReviewBed.ok(bed.chair().put("/api/v1/review/my/cases/" + only + "/decision", new JsonObject()
        .put("level", "care_2").put("months", 12)));
    ReviewBed.ok(bed.secretariat.post("/api/v1/review/sessions/" + closed + "/confirm", new JsonObject()));
    byte[] pdf = ReviewBed.pdf("late material " + System.nanoTime(), 0);
    long files = fileCount();
    CareClient.Reply reply = bed.secretariat.postBytes("/api/v1/review/cases/" + only + "/materials?kind=reference",
        pdf, "application/pdf");
    assertThat(reply.status()).as(reply.body()).isEqualTo(409);
    assertThat(reply.code()).isEqualTo("review.session_closed");
    assertThat(Files.exists(store().file(AttachmentFiles.sha256(pdf)))).isFalse();
    assertThat(fileCount()).isEqualTo(files);
  }

  private static AttachmentFiles store() {
    return new AttachmentFiles(bed.node.services().config().dataDir().resolve("review"));
  }

  private static long fileCount() throws IOException {
    Path root = bed.node.services().config().dataDir().resolve("review").resolve("attachments");
    if (!Files.isDirectory(root)) {
      return 0;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).count();
    }
  }

  private static void refused(Supplier<CareClient.Reply> request, int status, String code) {
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    before.remove("audit_log");
    CareClient.Reply reply = request.get();
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.code()).as(reply.body()).isEqualTo(code);
    Map<String, Long> after = TestSql.rowCounts(bed.node);
    after.remove("audit_log");
    assertThat(after).isEqualTo(before);
  }
}
