package jp.tsunagu.node.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input and abuse on the review board: each refused with its stable code, and nothing changes. */
class ReviewRefusalTest {

  @TempDir
  static Path dir;
  static ReviewBed bed;
  static String session;
  static String caseId;
  static String closedSession;
  static String closedCase;

  @BeforeAll
  static void start() throws InterruptedException {
    bed = new ReviewBed(dir);
    session = bed.session(Duration.ofDays(1));
    caseId = bed.addCase(session, "A-100", "care_2");
    // A session cannot be created with its deadline past (review.deadline_past): this one's passes while the
    // other cases are set up, and the waiting below makes sure it has.
    closedSession = bed.session(Duration.ofSeconds(2));
    closedCase = bed.addCase(closedSession, "A-200", "care_1");
    Thread.sleep(3_000);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  /** Runs the request and checks its status and code, and that no table but the audit log changed. */
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

  @Test
  void a_session_of_a_panel_below_quorum_is_refused() {
    String small = ReviewBed.created(bed.secretariat.post("/api/v1/review/panels", new JsonObject().put("number", 7)
        .put("quorum", 3)));
    ReviewBed.ok(bed.secretariat.put("/api/v1/review/panels/" + small + "/members", new JsonObject().put("members",
        new JsonArray().add(new JsonObject().put("appointmentId", bed.appointments.values().iterator().next())
            .put("position", "chair")))));
    refused(() -> bed.secretariat.post("/api/v1/review/sessions", new JsonObject().put("panelId", small)
        .put("startsAt", "2027-01-12T14:00").put("opinionDeadline", "2027-01-10T17:00")), 409, "review.below_quorum");
  }

  @Test
  void a_material_that_is_not_a_pdf_by_content_or_is_too_large_is_refused() {
    refused(() -> bed.secretariat.postBytes("/api/v1/review/cases/" + caseId + "/materials", ReviewBed.utf8(
        "%PDX not really a pdf"), "application/pdf"), 400, "review.material_not_pdf");
    byte[] large = ReviewBed.pdf("large", (int) Materials.MAX_BYTES + 1000);
    refused(() -> bed.secretariat.postBytes("/api/v1/review/cases/" + caseId + "/materials", large,
        "application/pdf"), 400, "review.material_too_large");
  }

  @Test
  void an_impossible_level_or_period_or_a_change_without_reason_is_refused() {
    CareClient member = bed.members.get(1);
    String path = "/api/v1/review/my/cases/" + caseId + "/opinion";
    refused(() -> member.put(path, new JsonObject().put("agrees", false).put("level", "care_6")
        .put("reason", "special_notes_more").put("months", 12)), 400, "review.invalid_level");
    refused(() -> member.put(path, new JsonObject().put("agrees", false).put("level", "care_2")
        .put("reason", "special_notes_more").put("months", 12)), 400, "review.invalid_level");
    refused(() -> member.put(path, new JsonObject().put("agrees", false).put("level", "care_3").put("months", 12)),
        400, "review.reason_required");
    refused(() -> member.put(path, new JsonObject().put("agrees", true).put("months", 49)), 400,
        "review.invalid_months");
    refused(() -> bed.chair().put("/api/v1/review/my/cases/" + caseId + "/decision", new JsonObject()
        .put("level", "要介護9").put("months", 12)), 400, "review.invalid_level");
  }

  @Test
  void a_session_with_its_pre_review_deadline_already_past_is_refused() {
    java.time.Instant start = java.time.Instant.now().plus(2, java.time.temporal.ChronoUnit.DAYS)
        .truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    refused(() -> bed.secretariat.post("/api/v1/review/sessions", new JsonObject().put("panelId", bed.panelId)
        .put("startsAt", start.toString()).put("opinionDeadline", java.time.Instant.now().minus(Duration.ofHours(1))
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())), 400, "review.deadline_past");
  }

  @Test
  void an_opinion_after_the_deadline_is_refused() {
    refused(() -> bed.members.get(2).put("/api/v1/review/my/cases/" + closedCase + "/opinion", new JsonObject()
        .put("agrees", true).put("months", 12)), 409, "review.deadline_passed");
  }

  @Test
  void an_opinion_or_a_look_from_a_non_member_or_at_another_panels_session_is_a_404() {
    refused(() -> bed.outsider.put("/api/v1/review/my/cases/" + caseId + "/opinion", new JsonObject()
        .put("agrees", true).put("months", 12)), 404, "review.not_found");
    refused(() -> bed.outsider.get("/api/v1/review/my/sessions/" + session), 404, "review.not_found");
    // A member of 第3合議体 opening a session of another panel.
    String[] others = otherPanelSession();
    refused(() -> bed.members.get(2).get("/api/v1/review/my/sessions/" + others[0]), 404, "review.not_found");
    refused(() -> bed.members.get(2).put("/api/v1/review/my/cases/" + others[1] + "/opinion", new JsonObject()
        .put("agrees", true).put("months", 12)), 404, "review.not_found");
    // A deputy is no chair: the chair's screens are a 404 to them.
    refused(() -> bed.members.get(1).get("/api/v1/review/my/sessions/" + session + "/aggregation"), 404,
        "review.not_found");
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action like 'review.%'"
        + " and outcome = 'refused' and actor = ?", bed.outsider.userId)).isGreaterThanOrEqualTo(2);
  }

  @Test
  void the_export_by_anyone_but_the_secretariat_is_refused() {
    for (CareClient who : new CareClient[] {bed.chair(), bed.staff, bed.outsider}) {
      refused(() -> who.get("/api/v1/review/sessions/" + session + "/results.csv"), 403, "auth.forbidden");
      refused(() -> who.get("/api/v1/review/sessions/" + session + "/results.pdf"), 403, "auth.forbidden");
    }
    refused(() -> bed.secretariat.get("/api/v1/review/sessions/" + session + "/results.csv?encoding=latin1"), 400,
        "review.bad_encoding");
  }

  @Test
  void a_csv_with_one_bad_row_imports_nothing_and_names_the_row() {
    String csv = "事例番号,氏名,一次判定\nB-1,伊那 太郎,要介護2\nB-2,伊那 花子,要介護8\nB-1,伊那 次郎,要支援1\n";
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    CareClient.Reply reply = bed.secretariat.postBytes("/api/v1/review/sessions/" + session + "/cases/import",
        ReviewBed.utf8(csv), "text/csv");
    assertThat(reply.code()).as(reply.body()).isEqualTo("review.csv_rejected");
    JsonArray rows = reply.json().getJsonObject("details", reply.json()).getJsonArray("rows");
    assertThat(rows).hasSize(2);
    assertThat(rows.getJsonObject(0).getInteger("line")).isEqualTo(3);
    assertThat(rows.getJsonObject(0).getString("code")).isEqualTo("review.invalid_level");
    assertThat(rows.getJsonObject(1).getString("code")).isEqualTo("review.duplicate_case_number");
    Map<String, Long> after = TestSql.rowCounts(bed.node);
    before.remove("audit_log");
    after.remove("audit_log");
    assertThat(after).isEqualTo(before);
  }

  @Test
  void an_appointment_of_someone_who_is_no_professional_or_twice_is_refused() {
    refused(() -> bed.secretariat.post("/api/v1/review/appointments", new JsonObject().put("userId", bed.staff.userId)
        .put("qualification", "doctor").put("termFrom", "2026-04-01").put("termTo", "2028-03-31")), 400,
        "review.not_a_professional");
    refused(() -> bed.secretariat.post("/api/v1/review/appointments", new JsonObject()
        .put("userId", bed.members.get(0).userId).put("qualification", "doctor").put("termFrom", "2026-04-01")
        .put("termTo", "2028-03-31")), 409, "review.already_appointed");
    refused(() -> bed.secretariat.post("/api/v1/review/appointments", new JsonObject().put("userId", bed.outsider.userId)
        .put("qualification", "astronaut").put("termFrom", "2026-04-01").put("termTo", "2028-03-31")), 400,
        "review.invalid_qualification");
  }

  /** A session of 第5合議体 (the outsider as its one member, quorum 2 … made up with a second appointment). */
  private static String[] otherPanelSession() {
    String panel = ReviewBed.created(bed.secretariat.post("/api/v1/review/panels", new JsonObject().put("number", 5)
        .put("quorum", 2)));
    String outsiderSeat = ReviewBed.created(bed.secretariat.post("/api/v1/review/appointments", new JsonObject()
        .put("userId", bed.outsider.userId).put("qualification", "pharmacist").put("termFrom", "2026-04-01")
        .put("termTo", "2028-03-31")));
    ReviewBed.ok(bed.secretariat.put("/api/v1/review/panels/" + panel + "/members", new JsonObject().put("members",
        new JsonArray().add(new JsonObject().put("appointmentId", outsiderSeat).put("position", "chair"))
            .add(new JsonObject().put("appointmentId", bed.appointments.get(bed.chair().userId))
                .put("position", "member")))));
    String other = ReviewBed.created(bed.secretariat.post("/api/v1/review/sessions", new JsonObject()
        .put("panelId", panel).put("startsAt", "2027-02-02T14:00").put("opinionDeadline", "2027-02-01T17:00")));
    return new String[] {other, bed.addCase(other, "C-1", "care_1")};
  }
}
