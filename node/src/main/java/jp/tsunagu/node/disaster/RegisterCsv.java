package jp.tsunagu.node.disaster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.csv.CsvReader;
import jp.tsunagu.node.errors.CodedException;

/**
 * Reading a 要援護者台帳 CSV (UTF-8 or Shift_JIS, by the shared {@link CsvReader}): the header names
 * the columns in Japanese, in any order. Every row is checked before anything is kept; one bad row
 * refuses the whole file with a report of every bad row ({@link Rejected}).
 */
final class RegisterCsv {

  static final int MAX_ROWS = 50_000;
  static final List<String> REQUIRED = List.of("氏名", "ふりがな", "生年月日", "性別", "住所", "地区", "支援が必要な理由",
      "情報提供への同意");
  static final List<String> OPTIONAL = List.of("電話", "避難支援者", "避難支援者連絡先", "個別避難計画", "避難先");

  private static final CsvReader.Refusals REFUSALS = new CsvReader.Refusals(
      () -> CodedException.invalid("disaster.register_encoding",
          "CSV ファイルの文字コードを読み取れません。UTF-8 または Shift_JIS で保存してください。"),
      line -> CodedException.invalid("disaster.register_malformed", line + " 行目で始まる引用符（\"）が閉じられていません。"));

  /** A refused file: every bad row with its line, code and message. */
  static final class Rejected extends CodedException {
    Rejected(List<JsonObject> rows) {
      super(Kind.REJECTED, "disaster.register_rejected", rows.size() + " 行に問題があるため、台帳を取り込んでいません。",
          new JsonObject().put("rows", new JsonArray(rows)));
    }
  }

  private final Districts districts;
  private final LocalDate today;

  RegisterCsv(Districts districts, LocalDate today) {
    this.districts = districts;
    this.today = today;
  }

  /** Every row of the file as a person (not yet placed), or the refusal with every bad row. */
  List<RegisterPerson> read(byte[] content) {
    List<CsvReader.Row> records = CsvReader.read(content, REFUSALS);
    if (records.size() < 2) {
      throw CodedException.invalid("disaster.register_empty", "CSV ファイルにデータがありません。");
    }
    List<String> header = records.get(0).cells().stream().map(String::strip).toList();
    for (String required : REQUIRED) {
      if (!header.contains(required)) {
        throw CodedException.invalid("disaster.register_header", "1行目（見出し）に「" + required
            + "」の列がありません。文字コード（UTF-8 または Shift_JIS）と見出しを確認してください。");
      }
    }
    if (records.size() - 1 > MAX_ROWS) {
      throw CodedException.invalid("disaster.register_too_many_rows", "一度に取り込めるのは " + MAX_ROWS + " 人までです。");
    }
    List<JsonObject> problems = new ArrayList<>();
    List<RegisterPerson> people = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (CsvReader.Row record : records.subList(1, records.size())) {
      Map<String, String> cells = new LinkedHashMap<>();
      for (int i = 0; i < header.size() && i < record.cells().size(); i++) {
        cells.put(header.get(i), record.cells().get(i).strip());
      }
      try {
        RegisterPerson person = person(cells);
        Integer first = seen.putIfAbsent(person.key(), record.line());
        if (first != null) {
          throw CodedException.invalid("disaster.register_duplicate_person",
              first + " 行目と同じ方（ふりがな・生年月日）です。");
        }
        people.add(person);
      } catch (CodedException e) {
        problems.add(new JsonObject().put("row", record.line()).put("code", e.code()).put("message", e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new Rejected(problems);
    }
    return people;
  }

  private RegisterPerson person(Map<String, String> cells) {
    String name = text(cells, "氏名", 40, true);
    String kana = kana(text(cells, "ふりがな", 40, true));
    String birth = date(cells.getOrDefault("生年月日", ""));
    String sex = switch (cells.getOrDefault("性別", "")) {
      case "男", "男性", "male" -> "male";
      case "女", "女性", "female" -> "female";
      case "その他", "other" -> "other";
      default -> throw CodedException.invalid("disaster.register_bad_sex", "性別は 男・女・その他 のいずれかです。");
    };
    String address = text(cells, "住所", 200, true);
    String districtName = cells.getOrDefault("地区", "");
    Districts.District district = districts.named(districtName).orElseThrow(() -> CodedException.invalid(
        "disaster.register_unknown_district", "地区「" + districtName + "」はこのネットワークの地区にありません。"));
    List<Reason> reasons = new ArrayList<>();
    String careLevel = "";
    for (String word : cells.getOrDefault("支援が必要な理由", "").split("[、，,・;；/／\\s]+")) {
      if (word.isEmpty()) {
        continue;
      }
      Reason reason = Reason.fromWord(word).orElseThrow(() -> CodedException.invalid(
          "disaster.register_unknown_reason", "支援が必要な理由「" + word + "」が分かりません。"));
      if (reason == Reason.CARE_NEED && word.length() > 3) {
        careLevel = word;
      }
      if (!reasons.contains(reason)) {
        reasons.add(reason);
      }
    }
    if (reasons.isEmpty()) {
      throw CodedException.invalid("disaster.register_no_reason", "支援が必要な理由を入力してください。");
    }
    reasons.sort(null);
    boolean consent = yesNo(cells.getOrDefault("情報提供への同意", ""), "disaster.register_consent_missing",
        "情報提供への同意は 有 か 無 で入力してください。");
    String planCell = cells.getOrDefault("個別避難計画", "");
    boolean plan = !planCell.isEmpty() && yesNo(planCell, "disaster.register_bad_plan",
        "個別避難計画は 有 か 無 で入力してください。");
    return new RegisterPerson(kana + "/" + birth, name, kana, birth, sex, address, district.municipalityCode(),
        district.name(), text(cells, "電話", 20, false), List.copyOf(reasons), careLevel,
        text(cells, "避難支援者", 60, false), text(cells, "避難支援者連絡先", 60, false), consent, plan,
        text(cells, "避難先", 100, false), district.latitude(), district.longitude(), true);
  }

  private static String text(Map<String, String> cells, String column, int max, boolean required) {
    String value = cells.getOrDefault(column, "");
    if (required && value.isEmpty()) {
      throw CodedException.invalid("disaster.register_missing", "「" + column + "」を入力してください。");
    }
    if (value.length() > max || value.codePoints().anyMatch(ch -> Character.isISOControl(ch))) {
      throw CodedException.invalid("disaster.register_invalid_text",
          "「" + column + "」は改行を含まない " + max + " 文字以内で入力してください。");
    }
    return value;
  }

  /** ふりがな in katakana without spaces, so that a hiragana file and a katakana one name the same person. */
  static String kana(String value) {
    StringBuilder out = new StringBuilder();
    for (char ch : value.toCharArray()) {
      if (ch == ' ' || ch == '　') {
        continue;
      }
      char katakana = ch >= 'ぁ' && ch <= 'ゖ' ? (char) (ch + 0x60) : ch;
      if (!(katakana >= 'ァ' && katakana <= 'ヶ' || katakana == 'ー' || katakana == '・')) {
        throw CodedException.invalid("disaster.register_bad_kana", "ふりがなは ひらがな か カタカナ で入力してください。");
      }
      out.append(katakana);
    }
    return out.toString();
  }

  private String date(String value) {
    String[] parts = value.split("[/-]");
    try {
      if (parts.length != 3 || parts[0].length() != 4) {
        throw new DateTimeException(value);
      }
      LocalDate date = LocalDate.of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
      if (date.isAfter(today) || date.getYear() < 1900) {
        throw new DateTimeException(value);
      }
      return date.toString();
    } catch (DateTimeException | NumberFormatException e) {
      throw CodedException.invalid("disaster.register_bad_date",
          "生年月日「" + value + "」は日付として読めません（例: 1938/4/5 または 1938-04-05）。");
    }
  }

  private static boolean yesNo(String value, String code, String message) {
    return switch (value) {
      case "有", "あり", "有り" -> true;
      case "無", "なし", "無し" -> false;
      default -> throw CodedException.invalid(code, message);
    };
  }
}
