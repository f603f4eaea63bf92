package jp.tsunagu.node.reports;

import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.csv.CsvCells;

/**
 * The usage report as a CSV file, one row per month, area and figure (a long table a spreadsheet pivots
 * as it likes). UTF-8 with a byte order mark, which is how Excel recognises UTF-8; cells are written by
 * {@link CsvCells}, so no label can be taken for a formula.
 */
final class UsageCsv {

  static final List<String> HEADER = List.of("月", "自治体コード", "自治体", "項目コード", "項目", "件数");

  private UsageCsv() {}

  static String of(UsageReports.Report report) {
    List<List<String>> rows = new ArrayList<>();
    report.cells().forEach((code, months) -> months.forEach((month, counts) -> counts.forEach((key, count) ->
        rows.add(List.of(month.toString(), code, UsageReports.municipalityName(code), key,
            report.labels().getOrDefault(key, key), Long.toString(count))))));
    return "\uFEFF" + CsvCells.table(HEADER, rows);
  }
}
