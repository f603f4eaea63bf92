package jp.tsunagu.node.reports;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.feature.UsageFigures;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.storage.Database;

/**
 * 行政's usage report: for each month of the period, the figures every feature publishes, per
 * municipality the node serves, as 不明 for use whose municipality is not on record (shown only when
 * there is some), and once for what belongs to the whole node. Every read and every
 * export is audited (who, which period). The answer holds counts and labels only.
 */
final class UsageReports {

  /** A report: its period, labels by key, and per municipality (empty code: the whole node) its months. */
  record Report(ReportPeriod period, Map<String, String> labels, Map<String, Map<YearMonth, Map<String, Long>>> cells,
      boolean generated) {}

  static final String NODE_WIDE = "";

  private final Database database;
  private final AuditLog audit;
  private final Clock clock;
  private final List<String> municipalities;
  private final List<UsageFigures> figures;
  private final GeneratedUsage generated;

  UsageReports(Database database, AuditLog audit, Clock clock, List<String> municipalities, List<UsageFigures> figures,
      GeneratedUsage generated) {
    this.database = database;
    this.audit = audit;
    this.clock = clock;
    this.municipalities = List.copyOf(municipalities);
    this.figures = List.copyOf(figures);
    this.generated = generated;
  }

  YearMonth currentMonth() {
    return YearMonth.now(clock.withZone(ReportPeriod.ZONE));
  }

  /** Counts the period; {@code action} names the audit entry ({@code reports.usage.read} or {@code .export}). */
  Future<Report> report(String userId, ReportPeriod period, String action) {
    return database.read(c -> count(c, period)).compose(report -> database.write(c -> {
      audit.append(c, AuditEvent.success(userId, action, "reports:usage", new JsonObject()
          .put("from", period.first().toString()).put("to", period.last().toString())));
      return report;
    }));
  }

  /** Counts the period without an audit entry (the caller audits: a partner's request, a pact report). */
  Future<Report> counted(ReportPeriod period) {
    return database.read(c -> count(c, period));
  }

  private Report count(Connection c, ReportPeriod period) throws SQLException {
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, Map<YearMonth, Map<String, Long>>> cells = new LinkedHashMap<>();
    for (String code : municipalities) {
      cells.put(code, months(c, period, Optional.of(code), labels));
    }
    // Use whose municipality is not on record: its own area when there is any, never spread by a guess.
    Map<YearMonth, Map<String, Long>> unknown = months(c, period, Optional.of(UsageFigures.UNKNOWN), labels);
    if (unknown.values().stream().anyMatch(counts -> counts.values().stream().anyMatch(n -> n != 0))) {
      cells.put(UsageFigures.UNKNOWN, unknown);
    }
    cells.put(NODE_WIDE, months(c, period, Optional.empty(), labels));
    boolean withGenerated = generated.addTo(c, period, cells, labels);
    return new Report(period, labels, cells, withGenerated);
  }

  private Map<YearMonth, Map<String, Long>> months(Connection c, ReportPeriod period, Optional<String> municipality,
      Map<String, String> labels) throws SQLException {
    Map<YearMonth, Map<String, Long>> out = new LinkedHashMap<>();
    for (YearMonth month : period.months()) {
      Map<String, Long> counts = new LinkedHashMap<>();
      for (UsageFigures source : figures) {
        for (UsageFigures.Figure f : source.count(c, ReportPeriod.window(month, clock.instant()), municipality)) {
          labels.putIfAbsent(f.key(), f.label());
          counts.merge(f.key(), f.count(), Long::sum);
        }
      }
      out.put(month, counts);
    }
    return out;
  }

  static String municipalityName(String code) {
    if (UsageFigures.UNKNOWN.equals(code)) {
      return "不明";
    }
    return code.isEmpty() ? "ノード全体" : ReferenceData.get().municipality(code)
        .map(ReferenceData.Municipality::nameJa).orElse(code);
  }

  /** The report as the screen reads it. */
  static JsonObject toJson(Report r) {
    JsonArray areas = new JsonArray();
    r.cells().forEach((code, months) -> {
      JsonArray rows = new JsonArray();
      months.forEach((month, counts) -> rows.add(new JsonObject().put("month", month.toString())
          .put("figures", new JsonObject(new LinkedHashMap<>(counts)))));
      areas.add(new JsonObject().put("code", code).put("name", municipalityName(code)).put("months", rows));
    });
    return new JsonObject().put("from", r.period().first().toString()).put("to", r.period().last().toString())
        .put("labels", new JsonObject(new LinkedHashMap<>(r.labels()))).put("areas", areas)
        .put("generated", r.generated()).put("maxYears", ReportPeriod.MAX_YEARS);
  }
}
