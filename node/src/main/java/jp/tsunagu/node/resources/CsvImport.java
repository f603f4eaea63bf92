package jp.tsunagu.node.resources;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.csv.CsvReader;
import jp.tsunagu.node.errors.CodedException;

/**
 * Reads and validates a whole CSV file before anything is written: the header names the columns
 * (Japanese headers as in {@link ResourceField}, in any order), every row is checked, and the
 * result is either every row ready to write or the list of every problem.
 */
final class CsvImport {

  static final int MAX_ROWS = 20_000;
  private static final CsvReader.Refusals REFUSALS = new CsvReader.Refusals(
      () -> CodedException.invalid("resources.csv_encoding",
          "CSV ファイルの文字コードを判別できません。UTF-8 または Shift_JIS で保存してください。"),
      line -> CodedException.invalid("resources.csv_unclosed_quote",
          line + " 行目で始まる引用符（\"）が閉じられていません。"));

  /** A validated row: its line, the id to update (empty to create), its fields and publish state. */
  record ImportRow(int line, Optional<String> id, ResourceFields fields, Optional<Boolean> published) {}

  /** Rows ready to write, or the problems that stop the import; {@code records} counts the data lines read. */
  record Parsed(int records, List<ImportRow> rows, List<FieldProblem> problems) {}

  private CsvImport() {}

  static Parsed parse(byte[] file, ResourceValidator validator) {
    List<CsvReader.Row> records = CsvReader.read(file, REFUSALS);
    if (records.isEmpty()) {
      throw CodedException.invalid("resources.csv_empty", "CSV ファイルが空です。");
    }
    Map<Integer, ResourceField> columns = header(records.get(0));
    if (records.size() - 1 > MAX_ROWS) {
      throw CodedException.invalid("resources.csv_too_many_rows",
          "一度に取り込めるのは " + MAX_ROWS + " 行までです。ファイルを分けてください。");
    }
    List<ImportRow> rows = new ArrayList<>();
    List<FieldProblem> problems = new ArrayList<>();
    Map<String, Integer> seenIds = new HashMap<>();
    for (CsvReader.Row record : records.subList(1, records.size())) {
      Map<ResourceField, String> raw = new EnumMap<>(ResourceField.class);
      if (record.cells().size() > columns.size()) {
        problems.add(new FieldProblem(record.line(), ResourceField.NAME, "resources.csv_extra_cells",
            "列の数（" + record.cells().size() + "）が見出し（" + columns.size() + "）より多くなっています。"));
        continue;
      }
      for (int i = 0; i < record.cells().size(); i++) {
        raw.put(columns.get(i), record.cells().get(i));
      }
      ResourceValidator.Result result = validator.validate(raw);
      result.problems().forEach(p -> problems.add(p.atLine(record.line())));
      Optional<String> id = Optional.ofNullable(raw.get(ResourceField.ID)).map(String::strip).filter(s -> !s.isEmpty());
      id.ifPresent(value -> checkId(record.line(), value, seenIds, problems));
      Optional<Boolean> published = ResourceValidator.published(raw.get(ResourceField.PUBLISHED));
      if (published.isEmpty()) {
        problems.add(new FieldProblem(record.line(), ResourceField.PUBLISHED, "resources.invalid_published",
            "公開は「公開」または「非公開」で入力してください。"));
      }
      if (result.fields().isPresent() && published.isPresent()) {
        rows.add(new ImportRow(record.line(), id, result.fields().get(),
            raw.containsKey(ResourceField.PUBLISHED) ? published : Optional.empty()));
      }
    }
    return new Parsed(records.size() - 1, problems.isEmpty() ? rows : List.of(), problems);
  }

  private static void checkId(int line, String id, Map<String, Integer> seen, List<FieldProblem> problems) {
    if (!Ids.wellFormed(id)) {
      problems.add(new FieldProblem(line, ResourceField.ID, "resources.invalid_id",
          "ID「" + id + "」の形式が正しくありません。新しく登録する行は ID を空欄にしてください。"));
    } else if (seen.putIfAbsent(id, line) != null) {
      problems.add(new FieldProblem(line, ResourceField.ID, "resources.duplicate_id",
          "ID「" + id + "」は " + seen.get(id) + " 行目と重複しています。"));
    }
  }

  private static Map<Integer, ResourceField> header(CsvReader.Row header) {
    Map<Integer, ResourceField> columns = new HashMap<>();
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < header.cells().size(); i++) {
      String cell = header.cells().get(i).replace("\uFEFF", "");
      Optional<ResourceField> field = ResourceField.byHeader(cell);
      if (field.isEmpty()) {
        unknown.add(cell);
      } else if (columns.containsValue(field.get())) {
        throw CodedException.invalid("resources.csv_duplicate_column", "見出し「" + cell + "」が2回あります。");
      } else {
        columns.put(i, field.get());
      }
    }
    if (!unknown.isEmpty()) {
      throw CodedException.invalid("resources.csv_unknown_column", "1 行目の見出し「" + String.join("」「", unknown)
          + "」は使えません。使える見出し: " + String.join("、", java.util.Arrays.stream(ResourceField.values())
              .map(ResourceField::headerJa).toList()) + "。");
    }
    for (ResourceField required : List.of(ResourceField.NAME, ResourceField.CATEGORY, ResourceField.ADDRESS,
        ResourceField.MUNICIPALITY_CODE, ResourceField.LATITUDE, ResourceField.LONGITUDE)) {
      if (!columns.containsValue(required)) {
        throw CodedException.invalid("resources.csv_missing_column", "1 行目に見出し「" + required.headerJa()
            + "」がありません。");
      }
    }
    return columns;
  }
}
