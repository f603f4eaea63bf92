package jp.tsunagu.node.family;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Map;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The family notebook through the node's real API: invitation with the patient's consent, password
 * and TOTP login (replays refused), the notebook and the team's view of it, recovery through the team,
 * and the patient's own access report.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FamilyNotebookApiTest {

  @TempDir
  static Path dir;
  FamilyTestbed bed;

  @BeforeAll
  void start() {
    bed = new FamilyTestbed(dir);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private String invitations(String patientId) {
    return "/api/v1/patients/" + patientId + "/family/invitations";
  }

  @Test
  void an_invitation_without_the_patients_consent_or_with_a_bad_relation_is_refused_and_changes_nothing() {
    Map<String, Long> before = TestSql.rowCounts(bed.bed.node);
    CareClient.Reply noConsent = bed.doctor.post(invitations(bed.patient), FamilyTestbed.invitation("a@example.jp", "子")
        .put("consentBy", ""));
    assertThat(noConsent.status()).isEqualTo(400);
    assertThat(noConsent.code()).isEqualTo("family.consent_required");
    CareClient.Reply noDate = bed.doctor.post(invitations(bed.patient), FamilyTestbed.invitation("a@example.jp", "子")
        .put("consentAt", ""));
    assertThat(noDate.code()).isEqualTo("family.consent_required");
    assertThat(bed.doctor.post(invitations(bed.patient), FamilyTestbed.invitation("a@example.jp", "友人")).code())
        .isEqualTo("family.relation_unknown");
    assertThat(bed.doctor.post(invitations(bed.patient), FamilyTestbed.invitation("not-an-address", "子")).code())
        .isEqualTo("family.email_invalid");
    CareClient.Reply outsider = bed.otherDoctor.post(invitations(bed.patient), FamilyTestbed.invitation("a@example.jp",
        "子"));
    assertThat(outsider.status()).isEqualTo(404);
    assertThat(outsider.code()).isEqualTo("care.not_found");
    assertThat(TestSql.rowCounts(bed.bed.node)).isEqualTo(before);
  }

  @Test
  void the_invitation_records_who_consented_and_when_and_the_team_sees_it() {
    CareClient.Reply invited = bed.doctor.post(invitations(bed.patient), FamilyTestbed.invitation("hanako@example.jp",
        "配偶者"));
    assertThat(invited.status()).as(invited.body()).isEqualTo(201);
    JsonArray accounts = bed.nurse.get("/api/v1/patients/" + bed.patient + "/family/accounts").json()
        .getJsonArray("accounts");
    JsonObject account = accounts.stream().map(JsonObject.class::cast)
        .filter(a -> a.getString("id").equals(invited.json().getString("id"))).findFirst().orElseThrow();
    assertThat(account.getString("consentBy")).isEqualTo("本人（伊藤 トメ）");
    assertThat(account.getString("consentAt")).isEqualTo("2026-12-01");
    assertThat(account.getString("relation")).isEqualTo("配偶者");
    assertThat(account.getString("status")).isEqualTo("invited");
    assertThat(account.encode()).doesNotContain("activationCode", "totp", "password");
  }

  @Test
  void a_family_member_logs_in_with_password_and_totp_and_a_replayed_code_is_refused() {
    FamilyTestbed.Family family = bed.invited(bed.doctor, bed.patient, "replay@example.jp");
    CareClient first = bed.anonymous();
    String code = FamilyTestbed.code(family, 0);
    CareClient.Reply ok = bed.login(first, family, code);
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    CareClient.Reply replay = bed.login(bed.anonymous(), family, code);
    assertThat(replay.status()).isEqualTo(401);
    assertThat(replay.code()).isEqualTo("family.totp_replayed");
    CareClient.Reply older = bed.login(bed.anonymous(), family, FamilyTestbed.code(family, -1));
    assertThat(older.code()).isEqualTo("family.totp_replayed");
    CareClient.Reply wrongPassword = bed.anonymous().post("/api/v1/family/auth/login", new JsonObject()
        .put("loginId", family.loginId()).put("password", "wrong-password-1").put("code", FamilyTestbed.code(family, 1)));
    assertThat(wrongPassword.code()).isEqualTo("family.login_failed");
    CareClient.Reply noCode = bed.anonymous().post("/api/v1/family/auth/login", new JsonObject()
        .put("loginId", family.loginId()).put("password", FamilyTestbed.FAMILY_PASSWORD));
    assertThat(noCode.code()).isEqualTo("family.login_failed");
  }

  @Test
  void the_family_records_daily_life_and_the_team_reads_it_on_the_timeline_marked_as_from_the_family() {
    FamilyTestbed.Family family = bed.invited(bed.nurse, bed.patient, "notebook@example.jp");
    CareClient phone = bed.loggedIn(family, 0);
    CareClient.Reply entry = phone.post("/api/v1/family/notebook/entries",
        new JsonObject().put("kind", "食事").put("body", "朝ごはんをおかゆ半分食べました"));
    assertThat(entry.status()).as(entry.body()).isEqualTo(201);
    CareClient.Reply question = phone.post("/api/v1/family/notebook/entries",
        new JsonObject().put("kind", "質問").put("body", "薬は食後でよいですか"));
    assertThat(question.status()).isEqualTo(201);
    assertThat(phone.post("/api/v1/family/notebook/entries", new JsonObject().put("kind", "日記").put("body", "x"))
        .code()).isEqualTo("family.kind_unknown");
    JsonObject notebook = phone.get("/api/v1/family/notebook").json();
    assertThat(notebook.getJsonArray("entries").encode()).contains("朝ごはんをおかゆ半分食べました", "薬は食後でよいですか");
    String timeline = bed.doctor.get("/api/v1/patients/" + bed.patient + "/posts").body();
    assertThat(timeline).contains("【ご家族から（子・伊藤 花子 さん）】食事", "朝ごはんをおかゆ半分食べました");
    // The team sees the door was used: the day's first login is a notice, a second login that day is not.
    assertThat(timeline).contains("【ここのーと】子・伊藤 花子 さんがログインしました");
    long notices = bed.doctor.get("/api/v1/patients/" + bed.patient + "/posts").json().getJsonArray("posts").stream()
        .map(JsonObject.class::cast).filter(p -> p.getString("body").startsWith("【ここのーと】")).count();
    bed.loggedIn(family, 1);
    assertThat(bed.doctor.get("/api/v1/patients/" + bed.patient + "/posts").json().getJsonArray("posts").stream()
        .map(JsonObject.class::cast).filter(p -> p.getString("body").startsWith("【ここのーと】")).count())
        .isEqualTo(notices);
    assertThat(bed.doctor.get("/api/v1/patients/" + bed.patient + "/family/entries").body())
        .contains("薬は食後でよいですか");
    CareClient.Reply outsider = bed.otherDoctor.get("/api/v1/patients/" + bed.patient + "/family/entries");
    assertThat(outsider.status()).isEqualTo(404);
  }

  @Test
  void five_failed_logins_lock_the_account_and_the_team_recovers_it_with_a_new_code() {
    FamilyTestbed.Family family = bed.invited(bed.doctor, bed.patient, "lost-phone@example.jp");
    CareClient phone = bed.loggedIn(family, 0);
    for (int i = 0; i < 5; i++) {
      bed.anonymous().post("/api/v1/family/auth/login", new JsonObject().put("loginId", family.loginId())
          .put("password", "guess-" + i + "-abcdef").put("code", "000000"));
    }
    CareClient.Reply locked = bed.login(bed.anonymous(), family, FamilyTestbed.code(family, 1));
    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.code()).isEqualTo("family.locked");
    assertThat(bed.otherDoctor.post("/api/v1/patients/" + bed.patient + "/family/accounts/" + family.accountId()
        + "/recovery", new JsonObject()).status()).isEqualTo(404);
    CareClient.Reply recovered = bed.doctor.post("/api/v1/patients/" + bed.patient + "/family/accounts/"
        + family.accountId() + "/recovery", new JsonObject());
    assertThat(recovered.status()).as(recovered.body()).isEqualTo(200);
    // The lost phone's session ends with the recovery.
    assertThat(phone.get("/api/v1/family/notebook").status()).isEqualTo(404);
    FamilyTestbed.Family again = bed.activate(family.accountId(), recovered.json().getString("activationCode"));
    assertThat(again.secret()).isNotEqualTo(family.secret());
    assertThat(bed.loggedIn(again, 0).get("/api/v1/family/notebook").status()).isEqualTo(200);
    assertThat(bed.anonymous().post("/api/v1/family/auth/activation", new JsonObject()
        .put("code", recovered.json().getString("activationCode")).put("password", "another-password-1")).code())
        .isEqualTo("family.activation_invalid");
  }

  @Test
  void the_same_address_invited_for_another_patients_family_is_another_account_that_sees_only_its_own_patient() {
    FamilyTestbed.Family mine = bed.invited(bed.doctor, bed.patient, "shared@example.jp");
    FamilyTestbed.Family theirs = bed.invited(bed.otherDoctor, bed.otherPatient, "shared@example.jp");
    assertThat(theirs.loginId()).isNotEqualTo(mine.loginId());
    bed.loggedIn(mine, 0).post("/api/v1/family/notebook/entries", new JsonObject().put("kind", "睡眠")
        .put("body", "よく眠れました（伊藤家）"));
    CareClient other = bed.loggedIn(theirs, 0);
    assertThat(other.get("/api/v1/family/notebook").body()).doesNotContain("伊藤家");
    assertThat(other.get("/api/v1/patients/" + bed.patient).status()).isEqualTo(404);
    assertThat(other.get("/api/v1/patients/" + bed.otherPatient).status()).isEqualTo(404);
  }

  @Test
  void the_access_report_lists_who_read_the_record_how_often_and_when_and_every_emergency_access_with_its_reason() {
    FamilyTestbed.Family family = bed.invited(bed.doctor, bed.patient, "report@example.jp");
    bed.nurse.get("/api/v1/patients/" + bed.patient + "/posts");
    bed.nurse.get("/api/v1/patients/" + bed.patient + "/posts");
    bed.otherDoctor.get("/api/v1/patients/" + bed.otherPatient + "/posts");
    CareClient responder = bed.responder("kyukyu-family");
    CareClient.Reply access = responder.post("/api/v1/emergency/accesses", new JsonObject()
        .put("patientId", bed.patient).put("reason", "意識レベル低下で救急要請").put("dispatchNumber", "R8-00777"));
    assertThat(access.status()).as(access.body()).isEqualTo(201);
    CareClient phone = bed.loggedIn(family, 0);
    String month = YearMonth.now(ZoneId.of("Asia/Tokyo")).toString();
    JsonObject report = phone.get("/api/v1/family/access-report?month=" + month).json();
    JsonObject nurse = report.getJsonArray("viewers").stream().map(JsonObject.class::cast)
        .filter(v -> v.getString("name").equals("宮坂 由美")).findFirst().orElseThrow();
    assertThat(nurse.getInteger("count")).isGreaterThanOrEqualTo(2);
    assertThat(nurse.getString("facility")).isEqualTo("いな訪問看護ステーション");
    assertThat(nurse.getJsonArray("days").getList()).contains(LocalDate.now(ZoneId.of("Asia/Tokyo")).toString());
    assertThat(report.getJsonArray("emergencyAccesses").encode()).contains("意識レベル低下で救急要請");
    assertThat(report.encode()).doesNotContain("小松", "別所");
    HttpResponse<byte[]> pdf = phone.download("/api/v1/family/access-report/pdf?month=" + month);
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(new String(pdf.body(), 0, 5)).isEqualTo("%PDF-");
    CareClient.Reply bad = phone.get("/api/v1/family/access-report?month=2026-13");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.code()).isEqualTo("family.month_invalid");
  }

  @Test
  void the_family_sees_only_the_posts_a_member_marked_for_the_family_and_never_a_direct_post() {
    FamilyTestbed.Family family = bed.invited(bed.doctor, bed.patient, "shared-posts@example.jp");
    String shown = FamilyTestbed.created(bed.doctor.post("/api/v1/patients/" + bed.patient + "/posts",
        new JsonObject().put("category", "連絡").put("body", "来週の訪問は火曜日の午後です")));
    FamilyTestbed.created(bed.doctor.post("/api/v1/patients/" + bed.patient + "/posts",
        new JsonObject().put("category", "連絡").put("body", "チーム内だけの所見")));
    String direct = FamilyTestbed.created(bed.doctor.post("/api/v1/patients/" + bed.patient + "/posts",
        new JsonObject().put("category", "相談").put("body", "特別便の中身").put("recipients",
            new JsonArray().add(bed.nurse.userId))));
    CareClient phone = bed.loggedIn(family, 0);
    assertThat(phone.get("/api/v1/family/notebook").json().getJsonArray("shared")).isEmpty();
    String shared = "/api/v1/patients/" + bed.patient + "/family/shared-posts";
    assertThat(bed.nurse.post(shared, new JsonObject().put("postId", shown)).status()).isEqualTo(200);
    CareClient.Reply refusedDirect = bed.doctor.post(shared, new JsonObject().put("postId", direct));
    assertThat(refusedDirect.status()).isEqualTo(404);
    assertThat(refusedDirect.code()).isEqualTo("family.not_found");
    assertThat(bed.otherDoctor.post(shared, new JsonObject().put("postId", shown)).status()).isEqualTo(404);
    String notebook = phone.get("/api/v1/family/notebook").body();
    assertThat(notebook).contains("来週の訪問は火曜日の午後です").doesNotContain("チーム内だけの所見", "特別便の中身");
    assertThat(bed.doctor.delete(shared + "/" + shown).status()).isEqualTo(200);
    assertThat(phone.get("/api/v1/family/notebook").body()).doesNotContain("来週の訪問は火曜日の午後です");
    assertThat(bed.doctor.delete(shared + "/" + shown).code()).isEqualTo("family.not_found");
  }

  @Test
  void an_account_writes_at_most_thirty_entries_an_hour_and_the_one_past_the_bound_changes_nothing() {
    FamilyTestbed.Family family = bed.invited(bed.doctor, bed.patient, "many@example.jp");
    CareClient phone = bed.loggedIn(family, 0);
    for (int i = 0; i < 30; i++) {
      assertThat(phone.post("/api/v1/family/notebook/entries", new JsonObject().put("kind", "睡眠")
          .put("body", "記録 " + i)).status()).isEqualTo(201);
    }
    Map<String, Long> before = TestSql.rowCounts(bed.bed.node);
    CareClient.Reply refused = phone.post("/api/v1/family/notebook/entries", new JsonObject().put("kind", "睡眠")
        .put("body", "31件目"));
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.code()).isEqualTo("family.too_many_entries");
    assertThat(TestSql.rowCounts(bed.bed.node)).isEqualTo(before);
  }

  @Test
  void the_team_ends_an_accounts_access_its_session_ends_and_it_can_neither_log_in_nor_be_recovered() {
    FamilyTestbed.Family family = bed.invited(bed.doctor, bed.patient, "ended@example.jp");
    CareClient phone = bed.loggedIn(family, 0);
    String account = "/api/v1/patients/" + bed.patient + "/family/accounts/" + family.accountId();
    assertThat(bed.otherDoctor.post(account + "/revoke", new JsonObject()).status()).isEqualTo(404);
    assertThat(bed.nurse.post(account + "/revoke", new JsonObject()).status()).isEqualTo(200);
    assertThat(phone.get("/api/v1/family/notebook").status()).isEqualTo(404);
    assertThat(bed.login(bed.anonymous(), family, FamilyTestbed.code(family, 1)).code()).isEqualTo("family.login_failed");
    assertThat(bed.doctor.post(account + "/recovery", new JsonObject()).code()).isEqualTo("family.not_found");
  }
}
