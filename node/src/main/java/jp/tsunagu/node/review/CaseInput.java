package jp.tsunagu.node.review;

import io.vertx.core.json.JsonObject;
import java.util.List;
import jp.tsunagu.node.errors.CodedException;

/**
 * One case as the secretariat enters it or a CSV row gives it: the applicant's case number, the
 * identifying data only the secretariat sees, the 一次判定 (level, 要介護認定等基準時間 and the five
 * groups' scores of the national computer decision) and the 認定調査票 特記事項.
 */
record CaseInput(String caseNumber, String applicantName, String applicantAddress, String insuredNumber,
    String doctorName, String facilityName, Level firstLevel, Integer baseMinutes, JsonObject itemScores,
    String specialNotes) {

  /** The 中間評価項目 groups of the national decision (第1群 身体機能・起居動作 … 第5群 社会生活への適応). */
  static final List<String> GROUPS = List.of("group1", "group2", "group3", "group4", "group5");
  static final List<String> GROUP_LABELS = List.of("第1群", "第2群", "第3群", "第4群", "第5群");

  static CaseInput of(JsonObject body) {
    String caseNumber = ReviewInput.text(body, "caseNumber");
    if (!caseNumber.matches("[0-9A-Za-z-]{1,20}")) {
      throw CodedException.invalid("review.invalid_case_number", "事例番号（申請番号）を英数字20文字までで入力してください。");
    }
    String name = ReviewInput.text(body, "applicantName");
    if (name.isEmpty()) {
      throw CodedException.invalid("review.applicant_required", "申請者の氏名を入力してください。");
    }
    Level level = Level.required(ReviewInput.text(body, "firstLevel"));
    Integer minutes = body.getValue("baseMinutes") == null || "".equals(body.getValue("baseMinutes")) ? null
        : ReviewInput.integer(body, "baseMinutes", 0, 999, "review.invalid_scores", "基準時間は0〜999分です。");
    JsonObject given = body.getValue("itemScores") instanceof JsonObject j ? j : new JsonObject();
    JsonObject scores = new JsonObject();
    for (String group : GROUPS) {
      if (given.getValue(group) != null && !"".equals(given.getValue(group))) {
        scores.put(group, ReviewInput.integer(given, group, 0, 100, "review.invalid_scores",
            "中間評価項目の得点は0〜100です。"));
      }
    }
    return new CaseInput(caseNumber, name, ReviewInput.text(body, "applicantAddress"),
        ReviewInput.text(body, "insuredNumber"), ReviewInput.text(body, "doctorName"),
        ReviewInput.text(body, "facilityName"), level, minutes, scores, ReviewInput.text(body, "specialNotes"));
  }

  ReviewSql.Case toCase(String id, String sessionId, int ordinal) {
    return new ReviewSql.Case(id, sessionId, ordinal, caseNumber, applicantName, applicantAddress, insuredNumber,
        doctorName, facilityName, firstLevel.code(), baseMinutes, itemScores, specialNotes, null, null, null, null);
  }
}
