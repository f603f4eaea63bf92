package jp.tsunagu.node.feature;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The counts a feature publishes for 行政's usage report (レポート), the one contract between the
 * reports feature and the features whose figures it shows. A feature that has figures returns its
 * {@code UsageFigures} from {@link NodeFeature#usageFigures()}; the composition root hands them all to
 * the reports feature, so a feature the node does not run simply has no figures in the report.
 *
 * <p>Counts only: an implementation answers numbers for a window and a municipality, never a row
 * about a person (no names, no ids), so nothing it answers can name a patient.
 */
public interface UsageFigures {

  /** A half-open window of time {@code [from, to)}; stored times are ISO-8601 UTC text or epoch millis. */
  record Window(Instant from, Instant to) {
    public String fromText() {
      return from.toString();
    }

    public String toText() {
      return to.toString();
    }
  }

  /**
   * One count: a stable key ({@code care.posts}, {@code identity.professionals.nurse}), the label shown
   * in Japanese, and the number. A key with a sub-key after a {@code :} is one bar of a breakdown.
   */
  record Figure(String key, String label, long count) {}

  /**
   * The municipality "code" of use recorded without a municipality (不明): rows kept from before the
   * municipality was recorded whose municipality the record cannot tell. A figure that records the
   * municipality of its use answers its unknown rows for it; the report shows them as 不明, never
   * spread over the municipalities by a guess.
   */
  String UNKNOWN = "unknown";

  /**
   * The counts in the window for one municipality the node serves, for {@link #UNKNOWN}, or, with an
   * empty municipality, for what belongs to no municipality (a disaster declaration, a gateway's
   * silence, this node's responders at a partner): those the report shows once for the whole node.
   */
  List<Figure> count(Connection c, Window window, Optional<String> municipality) throws SQLException;

  /**
   * The condition that a row's municipality column is the given one, {@link #UNKNOWN} matching the rows
   * without a municipality; binds one parameter.
   */
  static String municipalityIs(String column) {
    return "coalesce(" + column + ", '" + UNKNOWN + "') = ?";
  }

  /** Runs a count query with bound parameters (a helper for implementations: one number, 0 when none). */
  static long number(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** Runs a query of (label, count) rows, for a breakdown such as professionals by 職種. */
  static List<Object[]> pairs(Connection c, String sql, Object... params) throws SQLException {
    List<Object[]> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new Object[] {rs.getString(1), rs.getLong(2)});
        }
      }
    }
    return out;
  }
}
