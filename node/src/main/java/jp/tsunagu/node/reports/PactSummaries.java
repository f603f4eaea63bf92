package jp.tsunagu.node.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jp.tsunagu.federation.wire.StatisticsExchange;

/**
 * A node's figures as it lets them leave for a pact report: per month, every count summed over the
 * municipalities it serves and the whole node, and any count from 1 to 4 suppressed (listed by key,
 * its number not sent), so that no small group of people can be singled out across the pact. Rates and
 * medians are not counts and do not sum across municipalities; they stay on the node.
 */
final class PactSummaries {

  private PactSummaries() {}

  static boolean isCount(String key) {
    return !key.endsWith("_percent") && !key.endsWith("_minutes");
  }

  static StatisticsExchange.Summary of(String requestId, String node, UsageReports.Report report) {
    Map<String, Map<String, Long>> sums = new TreeMap<>();
    report.cells().values().forEach(months -> months.forEach((month, counts) -> counts.forEach((key, count) -> {
      if (isCount(key)) {
        sums.computeIfAbsent(month.toString(), m -> new TreeMap<>()).merge(key, count, Long::sum);
      }
    })));
    Map<String, Map<String, Long>> shown = new TreeMap<>();
    Map<String, List<String>> suppressed = new TreeMap<>();
    sums.forEach((month, counts) -> {
      Map<String, Long> kept = new TreeMap<>();
      List<String> hidden = new ArrayList<>();
      counts.forEach((key, count) -> {
        if (count > 0 && count < StatisticsExchange.SMALL_CELL) {
          hidden.add(key);
        } else {
          kept.put(key, count);
        }
      });
      shown.put(month, kept);
      suppressed.put(month, hidden);
    });
    Map<String, String> labels = new TreeMap<>();
    report.labels().forEach((key, label) -> {
      if (isCount(key)) {
        labels.put(key, label);
      }
    });
    return new StatisticsExchange.Summary(requestId, node, labels, shown, suppressed);
  }
}
