package jp.tsunagu.node.reports;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.UsageFigures;

/**
 * The months a report covers, first to last inclusive, as {@code YYYY-MM} in Japan time (a municipality's
 * month). At most {@link #MAX_YEARS} years, so that one request cannot make the node count for ever; no
 * month after the current one.
 */
record ReportPeriod(YearMonth first, YearMonth last) {

  static final int MAX_YEARS = 5;
  static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");
  private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");

  /** The period asked for; absent bounds default to the twelve months ending with the current one. */
  static ReportPeriod parse(String from, String to, YearMonth current) {
    YearMonth last = to == null || to.isBlank() ? current : month(to);
    YearMonth first = from == null || from.isBlank() ? last.minusMonths(11) : month(from);
    if (first.isAfter(last) || last.isAfter(current)) {
      throw CodedException.invalid("reports.invalid_period",
          "期間は開始月が終了月以前で、終了月が今月以前になるように指定してください。");
    }
    if (ChronoUnit.MONTHS.between(first, last) + 1 > MAX_YEARS * 12L) {
      throw CodedException.invalid("reports.period_too_long", "一度に集計できる期間は " + MAX_YEARS + " 年までです。");
    }
    return new ReportPeriod(first, last);
  }

  private static YearMonth month(String text) {
    if (!MONTH.matcher(text).matches()) {
      throw CodedException.invalid("reports.invalid_period", "期間は 2026-04 のように年と月で指定してください。");
    }
    try {
      return YearMonth.parse(text);
    } catch (DateTimeException e) {
      throw CodedException.invalid("reports.invalid_period", "期間は 2026-04 のように年と月で指定してください。");
    }
  }

  List<YearMonth> months() {
    List<YearMonth> out = new ArrayList<>();
    for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
      out.add(m);
    }
    return out;
  }

  /**
   * One month as the half-open window of instants the figures count in; the current month ends now, so
   * that "active in the last 7 days" of it means the last 7 days.
   */
  static UsageFigures.Window window(YearMonth month, Instant now) {
    Instant from = month.atDay(1).atStartOfDay(ZONE).toInstant();
    Instant to = month.plusMonths(1).atDay(1).atStartOfDay(ZONE).toInstant();
    return new UsageFigures.Window(from, to.isAfter(now) ? now : to);
  }
}
