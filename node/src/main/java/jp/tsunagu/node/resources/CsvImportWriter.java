package jp.tsunagu.node.resources;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes validated import rows inside one write (one savepoint): a row that names an id the
 * database does not have fails the whole import, and the savepoint rolls every row back.
 */
final class CsvImportWriter {

  private CsvImportWriter() {}

  static ImportReport write(Connection c, List<CsvImport.ImportRow> rows, Instant now, boolean dryRun)
      throws SQLException {
    List<FieldProblem> missing = new ArrayList<>();
    for (CsvImport.ImportRow row : rows) {
      if (row.id().isPresent() && !ResourceSql.exists(c, row.id().get())) {
        missing.add(new FieldProblem(row.line(), ResourceField.ID, "resources.unknown_id",
            "ID「" + row.id().get() + "」の地域資源は登録されていません。新しく登録する行は ID を空欄にしてください。"));
      }
    }
    if (!missing.isEmpty()) {
      return new ImportReport(rows.size(), 0, 0, missing, false);
    }
    int created = 0;
    int updated = 0;
    for (CsvImport.ImportRow row : rows) {
      if (row.id().isPresent()) {
        updated++;
        if (!dryRun) {
          ResourceSql.update(c, row.id().get(), row.fields(), row.published(), now);
        }
      } else {
        created++;
        if (!dryRun) {
          ResourceSql.insert(c, Ids.next(), row.fields(), row.published().orElse(false), now);
        }
      }
    }
    return new ImportReport(rows.size(), created, updated, List.of(), !dryRun);
  }
}
