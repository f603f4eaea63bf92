package jp.tsunagu.node.reports;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The demo's generated year of usage: monthly aggregate rows (a year of posts as millions of rows would
 * make the demo start in minutes, not seconds). The report adds them to the counted figures and says
 * so on the screen; a real node has none.
 */
final class GeneratedUsage {

  /** The figures generated per month and municipality, with the share of a month's posts each adds. */
  private static final List<String[]> KEYS = List.of(new String[] {"care.posts", "記事"},
      new String[] {"care.comments", "コメント"}, new String[] {"care.attachments", "添付ファイル"},
      new String[] {"care.patients_new", "新規患者"}, new String[] {"care.teams_active", "記事のあったチーム"},
      new String[] {"resources.referrals", "地域資源の紹介"}, new String[] {"emergency.accesses", "緊急閲覧"});

  /** Adds the generated rows of the period to the cells; answers whether there were any. */
  boolean addTo(Connection c, ReportPeriod period, Map<String, Map<YearMonth, Map<String, Long>>> cells,
      Map<String, String> labels) throws SQLException {
    boolean any = false;
    try (PreparedStatement s = c.prepareStatement("select month, municipality, key, label, count"
        + " from report_generated_usage where month >= ? and month <= ?")) {
      s.setString(1, period.first().toString());
      s.setString(2, period.last().toString());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Map<YearMonth, Map<String, Long>> area = cells.get(rs.getString(2));
          if (area == null) {
            continue;
          }
          Map<String, Long> month = area.get(YearMonth.parse(rs.getString(1)));
          if (month != null) {
            labels.putIfAbsent(rs.getString(3), rs.getString(4));
            month.merge(rs.getString(3), rs.getLong(5), Long::sum);
            any = true;
          }
        }
      }
    }
    return any;
  }

  /**
   * Writes a year of usage ending with {@code current} for each municipality: a programme that grows
   * month by month with some noise, seeded by the node's name so every demo start shows the same year.
   */
  static void seed(Connection c, String node, List<String> municipalities, YearMonth current) throws SQLException {
    Random random = new Random(node.hashCode());
    try (PreparedStatement s = c.prepareStatement("insert or replace into report_generated_usage"
        + " (month, municipality, key, label, count) values (?, ?, ?, ?, ?)")) {
      for (String code : municipalities) {
        for (int back = 12; back >= 1; back--) {
          YearMonth month = current.minusMonths(back);
          double growth = 1 + (12 - back) * 0.08;
          long posts = Math.round((180 + random.nextInt(60)) * growth);
          long[] counts = {posts, posts / 3 + random.nextInt(20), posts / 8 + random.nextInt(6),
              2 + random.nextInt(5), Math.round(12 * growth) + random.nextInt(4), 3 + random.nextInt(8),
              random.nextInt(4)};
          for (int i = 0; i < KEYS.size(); i++) {
            s.setString(1, month.toString());
            s.setString(2, code);
            s.setString(3, KEYS.get(i)[0]);
            s.setString(4, KEYS.get(i)[1]);
            s.setLong(5, counts[i]);
            s.addBatch();
          }
        }
      }
      s.executeBatch();
    }
  }
}
