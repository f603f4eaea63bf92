package jp.tsunagu.node.care.patients;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.csv.CsvReader;
import jp.tsunagu.node.errors.CodedException;

/**
 * Reading a 患者一括登録 CSV (UTF-8 or Shift_JIS, read by the shared {@link CsvReader}): the header
 * row names the columns in Japanese; their order is free.
 */
final class PatientCsv {

  static final int MAX_ROWS = 5000;
  /** A data row: the line it starts on in the file, and its cells by field key of {@link PatientValidation}. */
  record Row(int line, Map<String, String> fields) {}

  private static final CsvReader.Refusals REFUSALS = new CsvReader.Refusals(
      () -> CodedException.invalid("care.csv_encoding",
          "CSV ファイルの文字コードを読み取れません。UTF-8 または Shift_JIS で保存してください。"),
      line -> CodedException.invalid("care.csv_malformed", line + " 行目で始まる引用符（\"）が閉じられていません。"));

  /** Column header → field key of {@link PatientValidation}. */
  static final Map<String, String> COLUMNS = java.util.Collections.unmodifiableMap(columns());

  private PatientCsv() {}

  private static Map<String, String> columns() {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("氏", "familyName");
    columns.put("名", "givenName");
    columns.put("氏カナ", "familyKana");
    columns.put("名カナ", "givenKana");
    columns.put("生年月日", "birthDate");
    columns.put("性別", "sex");
    columns.put("住所", "address");
    columns.put("市町村コード", "municipalityCode");
    columns.put("電話番号", "phone");
    columns.put("かかりつけ医", "familyDoctor");
    columns.put("要介護度", "careLevel");
    columns.put("緊急連絡先", "emergencyContacts");
    columns.put("人生会議", "acpNotes");
    columns.put("備考", "remarks");
    return columns;
  }

  /** The data rows in file order. */
  static List<Row> read(byte[] content) {
    List<CsvReader.Row> records = CsvReader.read(content, REFUSALS);
    if (records.isEmpty()) {
      throw CodedException.invalid("care.csv_empty", "CSV ファイルにデータがありません。");
    }
    List<String> header = records.get(0).cells().stream().map(String::strip).toList();
    for (String required : List.of("氏", "名", "氏カナ", "名カナ", "生年月日", "性別", "住所", "市町村コード")) {
      if (!header.contains(required)) {
        throw CodedException.invalid("care.csv_header", "1行目（見出し）に「" + required
            + "」の列がありません。文字コード（UTF-8 または Shift_JIS）と見出しを確認してください。");
      }
    }
    if (records.size() - 1 > MAX_ROWS) {
      throw CodedException.invalid("care.csv_too_many_rows", "一度に登録できるのは " + MAX_ROWS + " 件までです。");
    }
    List<Row> rows = new ArrayList<>();
    for (CsvReader.Row record : records.subList(1, records.size())) {
      Map<String, String> fields = new LinkedHashMap<>();
      for (int i = 0; i < header.size() && i < record.cells().size(); i++) {
        String key = COLUMNS.get(header.get(i));
        if (key != null) {
          fields.put(key, record.cells().get(i));
        }
      }
      rows.add(new Row(record.line(), fields));
    }
    return rows;
  }

  /** Dates as spreadsheets write them: 1938/4/5 becomes 1938-04-05. */
  static String normaliseDate(String value) {
    if (value == null) {
      return null;
    }
    String[] parts = value.strip().split("[/-]");
    if (parts.length == 3 && parts[0].length() == 4) {
      try {
        return String.format("%04d-%02d-%02d", Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
            Integer.parseInt(parts[2]));
      } catch (NumberFormatException e) {
        return value;
      }
    }
    return value;
  }
}
