package jp.tsunagu.node.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session from its creation to the deletion of its materials: cases by CSV, a PDF per case, the release,
 * 事前審査 by five reviewers who see labels and never the applicant, the aggregation, the agreed cases
 * confirmed at once, the chair's 二次判定, the exports, the confirmation and the deletion.
 */
class ReviewRoundTest {

  @TempDir
  static Path dir;
  static ReviewBed bed;

  @BeforeAll
  static void start() {
    bed = new ReviewBed(dir);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  static final String CSV = "事例番号,氏名,住所,被保険者番号,主治医,医療機関,一次判定,基準時間,第1群,第2群,第3群,第4群,第5群,特記事項\n"
      + "R-001,春日 八重,伊那市西箕輪3000-1,0001234567,竜東 一郎,伊那中央クリニック,要介護1,52,60,80,90,70,50,夜間にトイレへ3回起きる。\n"
      + "R-002,唐木 清,伊那市高遠町西高遠1,0001234568,竜東 一郎,伊那中央クリニック,要支援2,30,70,85,95,80,60,\"買い物は家族が同行する。\"\n"
      + "R-003,有賀 きよ,伊那市荒井3500,0001234569,竜西 花子,高遠診療所,要介護3,80,40,50,60,55,30,認知症の症状あり。\n";

  @Test
  void a_session_goes_from_cases_to_decisions_and_its_materials_and_opinions_are_deleted_afterwards() throws Exception {
    String session = bed.session(Duration.ofDays(1));
    JsonObject imported = ReviewBed.ok(bed.secretariat.postBytes("/api/v1/review/sessions/" + session
        + "/cases/import", CSV.getBytes(java.nio.charset.Charset.forName("windows-31j")), "text/csv"));
    assertThat(imported.getInteger("imported")).isEqualTo(3);
    JsonArray cases = ReviewBed.ok(bed.secretariat.get("/api/v1/review/sessions/" + session)).getJsonArray("cases");
    assertThat(cases.getJsonObject(0).getString("applicantName")).isEqualTo("春日 八重");
    assertThat(cases.getJsonObject(0).getString("label")).matches("第3合議体 \\d+/\\d+ 事例01");
    String[] caseIds = new String[3];
    String[] materialIds = new String[3];
    for (int i = 0; i < 3; i++) {
      caseIds[i] = cases.getJsonObject(i).getString("id");
      materialIds[i] = bed.material(caseIds[i], ReviewBed.pdf("Shujii iken-sho " + (i + 1), 0));
    }
    Path store = dir.resolve("ina-data").resolve("review");
    CareClient reviewer = bed.members.get(2);

    // Before the release: the cases without materials; a material is refused.
    JsonObject before = ReviewBed.ok(reviewer.get("/api/v1/review/my/sessions/" + session));
    assertThat(before.getBoolean("released")).isFalse();
    assertThat(before.getJsonArray("cases").getJsonObject(0).getJsonArray("materials")).isEmpty();
    assertThat(reviewer.get("/api/v1/review/my/materials/" + materialIds[0]).code()).isEqualTo("review.not_released");
    bed.release(session);

    // The reviewer sees labels, scores and notes, never who the applicant is.
    CareClient.Reply screen = reviewer.get("/api/v1/review/my/sessions/" + session);
    assertThat(screen.status()).isEqualTo(200);
    for (String identifying : List.of("春日", "西箕輪", "0001234567", "竜東", "伊那中央クリニック", "R-001")) {
      assertThat(screen.body()).doesNotContain(identifying);
    }
    assertThat(screen.json().getJsonArray("cases").getJsonObject(0).getString("specialNotes"))
        .isEqualTo("夜間にトイレへ3回起きる。");
    HttpResponse<byte[]> opened = reviewer.download("/api/v1/review/my/materials/" + materialIds[0]);
    assertThat(opened.statusCode()).isEqualTo(200);
    String text = ReviewBed.text(opened.body());
    assertThat(text).contains("Shujii iken-sho 1").contains("酒井 太郎").contains("閲覧");
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'review.material.opened'"
        + " and actor = ?", reviewer.userId)).isEqualTo(1);

    // Independent opinions: the others' show only after one's own.
    agree(bed.members.get(0), caseIds[0], 12);
    JsonObject mineFirst = caseView(reviewer, session, 0);
    assertThat(mineFirst.getBoolean("othersVisible")).isFalse();
    assertThat(mineFirst.getJsonArray("others")).isEmpty();
    agree(reviewer, caseIds[0], 12);
    assertThat(caseView(reviewer, session, 0).getJsonArray("others")).hasSize(1);
    for (CareClient member : bed.members) {
      agree(member, caseIds[0], 12);
      agree(member, caseIds[1], 12);
    }
    // Case 3: one reviewer proposes a change, so it is flagged for the meeting.
    for (CareClient member : bed.members.subList(0, 4)) {
      agree(member, caseIds[2], 12);
    }
    ReviewBed.ok(bed.members.get(4).put("/api/v1/review/my/cases/" + caseIds[2] + "/opinion", new JsonObject()
        .put("agrees", false).put("level", "care_4").put("reason", "special_notes_more").put("months", 6)
        .put("comment", "夜間の介護の手間が大きい")));
    assertThat(caseView(bed.chair(), session, 2).getJsonArray("others")).hasSize(4);

    // 結果集約: the chair confirms the two agreed cases at once and decides the third.
    JsonObject aggregation = ReviewBed.ok(bed.chair().get("/api/v1/review/my/sessions/" + session + "/aggregation"));
    assertThat(aggregation.getInteger("agreedCases")).isEqualTo(2);
    JsonObject third = aggregation.getJsonArray("cases").getJsonObject(2);
    assertThat(third.getBoolean("disagreement")).isTrue();
    assertThat(third.getInteger("agree")).isEqualTo(4);
    assertThat(third.getJsonObject("levels").getInteger("要介護4")).isEqualTo(1);
    assertThat(aggregation.encode()).doesNotContain("春日");
    assertThat(ReviewBed.ok(bed.chair().post("/api/v1/review/my/sessions/" + session + "/confirm-agreed",
        new JsonObject())).getInteger("confirmed")).isEqualTo(2);
    ReviewBed.ok(bed.chair().put("/api/v1/review/my/cases/" + caseIds[2] + "/decision", new JsonObject()
        .put("level", "care_4").put("months", 6).put("remarks", "状態の変化に応じて見直しを")));

    // Exports for the insurance system.
    HttpResponse<byte[]> utf8 = bed.secretariat.download("/api/v1/review/sessions/" + session + "/results.csv");
    assertThat(new String(utf8.body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("R-001,0001234567,春日 八重").contains("要介護1,要介護1,12").contains("要介護3,要介護4,6");
    HttpResponse<byte[]> sjis = bed.secretariat.download("/api/v1/review/sessions/" + session
        + "/results.csv?encoding=shift_jis");
    assertThat(new String(sjis.body(), java.nio.charset.Charset.forName("windows-31j"))).contains("唐木 清");
    HttpResponse<byte[]> pdf = bed.secretariat.download("/api/v1/review/sessions/" + session + "/results.pdf");
    assertThat(ReviewBed.text(pdf.body())).contains("審査会結果一覧").contains("有賀 きよ");

    // Confirmed: deletion (after 0 days here) takes materials, opinions and the files.
    ReviewBed.ok(bed.secretariat.post("/api/v1/review/sessions/" + session + "/confirm", new JsonObject()));
    assertThat(filesUnder(store)).isEqualTo(3);
    int deleted = bed.node.feature(ReviewFeature.class).deleteDue(bed.node.vertx()).toCompletionStage()
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(deleted).isEqualTo(3);
    assertThat(filesUnder(store)).isZero();
    assertThat(TestSql.count(bed.node, "select count(*) from review_materials")).isZero();
    assertThat(TestSql.count(bed.node, "select count(*) from review_opinions")).isZero();
    assertThat(TestSql.count(bed.node, "select count(*) from review_cases where applicant_name <> ''"
        + " or special_notes <> ''")).isZero();
    assertThat(TestSql.count(bed.node, "select count(*) from review_cases where second_level is not null")).isEqualTo(3);
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'review.deleted'"
        + " and detail like '%\"files\":3%'")).isEqualTo(1);
    assertThat(reviewer.get("/api/v1/review/my/sessions/" + session).status()).isEqualTo(404);
    assertThat(reviewer.put("/api/v1/review/my/cases/" + caseIds[0] + "/opinion", new JsonObject()
        .put("agrees", true).put("months", 12)).code()).isEqualTo("review.not_found");
    assertThat(reviewer.get("/api/v1/review/my/materials/" + materialIds[0]).status()).isEqualTo(404);
    assertThat(new String(bed.secretariat.download("/api/v1/review/sessions/" + session + "/results.csv").body(),
        java.nio.charset.StandardCharsets.UTF_8)).contains("R-003").contains("要介護4");
  }

  private static void agree(CareClient member, String caseId, int months) {
    ReviewBed.ok(member.put("/api/v1/review/my/cases/" + caseId + "/opinion", new JsonObject().put("agrees", true)
        .put("months", months).put("comment", "")));
  }

  private static JsonObject caseView(CareClient member, String session, int index) {
    return ReviewBed.ok(member.get("/api/v1/review/my/sessions/" + session)).getJsonArray("cases")
        .getJsonObject(index);
  }

  static long filesUnder(Path root) throws java.io.IOException {
    if (!Files.exists(root)) {
      return 0;
    }
    try (var files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).count();
    }
  }
}
