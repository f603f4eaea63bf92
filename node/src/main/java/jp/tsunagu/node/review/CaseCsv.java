package jp.tsunagu.node.review;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.csv.CsvReader;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.web.TextInventory;
import jp.tsunagu.node.web.TextPolicy;
import jp.tsunagu.node.web.TextRule;

/**
 * A session's cases from a CSV (UTF-8 or Shift_JIS, as the national decision software or a spreadsheet
 * writes it): all rows or none; a refused file names every bad row with its line and code.
 */
final class CaseCsv {

  static final int MAX_ROWS = 200;
  static final String ROUTE = "POST /api/v1/review/sessions/:sessionId/cases";
  /** The header → the field of {@link CaseInput}. */
  static final Map<String, String> COLUMNS = columns();

  private static final CsvReader.Refusals REFUSALS = new CsvReader.Refusals(
      () -> CodedException.invalid("review.csv_encoding",
          "CSV ファイルの文字コードを読み取れません。UTF-8 または Shift_JIS で保存してください。"),
      line -> CodedException.invalid("review.csv_malformed", line + " 行目で始まる引用符（\"）が閉じられていません。"));

  /** A refused file: every bad row. */
  static final class Rejected extends CodedException {
    Rejected(List<JsonObject> rows) {
      super(Kind.REJECTED, "review.csv_rejected", rows.size() + " 行に問題があるため、事例を取り込んでいません。",
          new JsonObject().put("rows", new JsonArray(rows)));
    }
  }

  private CaseCsv() {}

  private static Map<String, String> columns() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("事例番号", "caseNumber");
    m.put("氏名", "applicantName");
    m.put("住所", "applicantAddress");
    m.put("被保険者番号", "insuredNumber");
    m.put("主治医", "doctorName");
    m.put("医療機関", "facilityName");
    m.put("一次判定", "firstLevel");
    m.put("基準時間", "baseMinutes");
    for (int i = 0; i < CaseInput.GROUPS.size(); i++) {
      m.put(CaseInput.GROUP_LABELS.get(i), CaseInput.GROUPS.get(i));
    }
    m.put("特記事項", "specialNotes");
    return java.util.Collections.unmodifiableMap(m);
  }

  static List<CaseInput> read(byte[] content) {
    List<CsvReader.Row> records = CsvReader.read(content, REFUSALS);
    if (records.size() < 2) {
      throw CodedException.invalid("review.csv_empty", "CSV ファイルに事例がありません。");
    }
    List<String> header = records.get(0).cells().stream().map(String::strip).toList();
    for (String required : List.of("事例番号", "氏名", "一次判定")) {
      if (!header.contains(required)) {
        throw CodedException.invalid("review.csv_header", "1行目（見出し）に「" + required + "」の列がありません。");
      }
    }
    if (records.size() - 1 > MAX_ROWS) {
      throw CodedException.invalid("review.csv_too_many_rows", "一度に取り込めるのは " + MAX_ROWS + " 件までです。");
    }
    List<JsonObject> problems = new ArrayList<>();
    List<CaseInput> cases = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (CsvReader.Row record : records.subList(1, records.size())) {
      try {
        CaseInput input = CaseInput.of(body(header, record));
        Integer first = seen.putIfAbsent(input.caseNumber(), record.line());
        if (first != null) {
          throw CodedException.invalid("review.duplicate_case_number", first + " 行目と同じ事例番号です。");
        }
        cases.add(input);
      } catch (CodedException e) {
        problems.add(new JsonObject().put("line", record.line()).put("code", e.code()).put("message", e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new Rejected(problems);
    }
    return cases;
  }

  /** A row as the JSON body of one case, each cell checked by the rule of that field of the case route. */
  private static JsonObject body(List<String> header, CsvReader.Row record) {
    JsonObject body = new JsonObject();
    JsonObject scores = new JsonObject();
    for (int i = 0; i < header.size() && i < record.cells().size(); i++) {
      String field = COLUMNS.get(header.get(i));
      if (field == null) {
        continue;
      }
      String cell = record.cells().get(i).strip();
      TextRule rule = TextInventory.rule(ROUTE, field);
      if (rule != null) {
        cell = TextPolicy.check(cell, rule);
      }
      if (CaseInput.GROUPS.contains(field)) {
        scores.put(field, cell);
      } else {
        body.put(field, cell);
      }
    }
    return body.put("itemScores", scores);
  }
}
