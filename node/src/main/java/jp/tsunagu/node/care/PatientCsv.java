package jp.tsunagu.node.care;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.web.ApiException;

/**
 * Reading a 患者一括登録 CSV: UTF-8 (with or without BOM) or Shift_JIS, the encoding Japanese
 * spreadsheets export; quoted fields may hold commas, quotes and line breaks. The header row names
 * the columns in Japanese; their order is free.
 */
final class PatientCsv {

  static final int MAX_ROWS = 5000;
  /** Column header → field key of {@link PatientValidation}. */
  static final Map<String, String> COLUMNS = columns();

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

  /** The rows as field maps (keys of {@link PatientValidation}), in file order. */
  static List<Map<String, String>> read(byte[] content) {
    List<List<String>> records = parse(decode(content));
    if (records.isEmpty()) {
      throw ApiException.badRequest("care.csv_empty", "CSV ファイルにデータがありません。");
    }
    List<String> header = records.get(0).stream().map(String::strip).toList();
    for (String required : List.of("氏", "名", "氏カナ", "名カナ", "生年月日", "性別", "住所", "市町村コード")) {
      if (!header.contains(required)) {
        throw ApiException.badRequest("care.csv_header", "1行目（見出し）に「" + required
            + "」の列がありません。文字コード（UTF-8 または Shift_JIS）と見出しを確認してください。");
      }
    }
    if (records.size() - 1 > MAX_ROWS) {
      throw ApiException.badRequest("care.csv_too_many_rows", "一度に登録できるのは " + MAX_ROWS + " 件までです。");
    }
    List<Map<String, String>> rows = new ArrayList<>();
    for (List<String> record : records.subList(1, records.size())) {
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.size() && i < record.size(); i++) {
        String key = COLUMNS.get(header.get(i));
        if (key != null) {
          row.put(key, record.get(i));
        }
      }
      rows.add(row);
    }
    return rows;
  }

  /** Strict UTF-8 first, then strict Shift_JIS (Windows-31J); anything else is refused. */
  static String decode(byte[] content) {
    for (Charset charset : List.of(StandardCharsets.UTF_8, Charset.forName("windows-31j"))) {
      try {
        String text = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        if (text.indexOf('\0') >= 0) {
          break; // UTF-16 and binary files decode without error but are not CSV text
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
      } catch (CharacterCodingException e) {
        // try the next encoding
      }
    }
    throw ApiException.badRequest("care.csv_encoding",
        "CSV ファイルの文字コードを読み取れません。UTF-8 または Shift_JIS で保存してください。");
  }

  /** RFC 4180 records; blank lines are skipped. */
  static List<List<String>> parse(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          field.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        record.add(field.toString());
        field.setLength(0);
      } else if (ch == '\n' || ch == '\r') {
        if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        endRecord(records, record, field);
        record = new ArrayList<>();
      } else {
        field.append(ch);
      }
    }
    if (quoted) {
      throw ApiException.badRequest("care.csv_malformed", "CSV の引用符（\"）が閉じられていません。");
    }
    endRecord(records, record, field);
    return records;
  }

  private static void endRecord(List<List<String>> records, List<String> record, StringBuilder field) {
    record.add(field.toString());
    field.setLength(0);
    if (!(record.size() == 1 && record.get(0).isBlank())) {
      records.add(record);
    }
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
