package jp.tsunagu.node.care.vitals;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.care.CareIds;

/**
 * The SQL of vital signs: one row per vitals post, the values the chart draws. The post keeps the
 * same values as JSON in each of its versions ({@code form_data}), so a correction keeps what was
 * recorded before; this row always holds the current version.
 */
public final class VitalsSql {

  private static final String VALUES = "measured_at, systolic, diastolic, pulse, temperature, spo2, weight";

  /** One point of the chart: the values, the post they belong to, and whether the reader wrote it. */
  record Point(Vitals vitals, String postId, boolean mine) {
    JsonObject toJson() {
      return vitals.toJson().put("postId", postId).put("mine", mine);
    }
  }

  private VitalsSql() {}

  public static void insert(Connection c, String boardId, String postId, String recordedBy, Vitals v) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into vitals (id, board_id, post_id, " + VALUES
        + ", recorded_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, CareIds.next());
      s.setString(2, boardId);
      s.setString(3, postId);
      bind(s, 4, v);
      s.setString(11, recordedBy);
      s.executeUpdate();
    }
  }

  /** A corrected record: the chart shows the new values from now on. */
  public static void update(Connection c, String postId, Vitals v) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update vitals set measured_at = ?, systolic = ?, diastolic = ?,"
        + " pulse = ?, temperature = ?, spo2 = ?, weight = ? where post_id = ?")) {
      bind(s, 1, v);
      s.setString(8, postId);
      s.executeUpdate();
    }
  }

  /** A post's values: read on the writer for every team event of the post, so through its index (V276). */
  static final String OF_POST = "select " + VALUES + " from vitals where post_id = ?";

  public static Optional<Vitals> ofPost(Connection c, String postId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(OF_POST)) {
      s.setString(1, postId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(vitals(rs)) : Optional.empty();
      }
    }
  }

  /** The most recent record of a patient's live posts, by the time measured (the emergency view's). */
  public static Optional<Vitals> latest(Connection c, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select v.measured_at, v.systolic, v.diastolic, v.pulse,"
        + " v.temperature, v.spo2, v.weight from vitals v join posts p on p.id = v.post_id"
        + " where v.board_id = ? and p.status = 'active' order by v.measured_at desc limit 1")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(vitals(rs)) : Optional.empty();
      }
    }
  }

  /** The latest 500 records of a patient's live posts, oldest first, as the chart draws them. */
  static List<Point> series(Connection c, String boardId, String readerId) throws SQLException {
    List<Point> points = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select v.measured_at, v.systolic, v.diastolic, v.pulse,"
        + " v.temperature, v.spo2, v.weight, v.post_id, p.author_id = ? from vitals v join posts p on p.id = v.post_id"
        + " where v.board_id = ? and p.status = 'active' order by v.measured_at desc limit 500")) {
      s.setString(1, readerId);
      s.setString(2, boardId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          points.add(0, new Point(vitals(rs), rs.getString(8), rs.getInt(9) == 1));
        }
      }
    }
    return points;
  }

  private static void bind(PreparedStatement s, int first, Vitals v) throws SQLException {
    s.setString(first, v.measuredAt());
    s.setObject(first + 1, v.systolic());
    s.setObject(first + 2, v.diastolic());
    s.setObject(first + 3, v.pulse());
    s.setObject(first + 4, v.temperature());
    s.setObject(first + 5, v.spo2());
    s.setObject(first + 6, v.weight());
  }

  private static Vitals vitals(ResultSet rs) throws SQLException {
    return new Vitals(rs.getString(1), (Integer) rs.getObject(2), (Integer) rs.getObject(3), (Integer) rs.getObject(4),
        number(rs.getObject(5)), (Integer) rs.getObject(6), number(rs.getObject(7)));
  }

  private static Double number(Object value) {
    return value == null ? null : ((Number) value).doubleValue();
  }
}
