package jp.tsunagu.node.sensors;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Alerts and the steps taken on them, as plain SQL. */
final class AlertSql {

  private static final String COLUMNS = "id, household_id, gateway_id, device_id, kind, audience, state, raised_ms,"
      + " detail, acknowledged_ms, escalated_ms, resolved_ms, resolution";

  private AlertSql() {}

  /**
   * Raises an alert unless one of the same episode is open (the partial unique index on open alerts
   * decides, so two evaluations racing cannot raise it twice). Returns the new alert, or empty.
   */
  static Optional<Alert> raiseOnce(Connection c, Alert alert) throws SQLException {
    int inserted = AlertJdbc.update(c, "insert into sensor_alerts (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?,"
        + " null, null, null, null) on conflict do nothing", alert.id(), alert.householdId(), alert.gatewayId(),
        alert.deviceId(), alert.kind().code(), alert.audience(), alert.state(), alert.raisedMs(),
        alert.detail().encode());
    if (inserted == 0) {
      return Optional.empty();
    }
    step(c, alert.id(), alert.raisedMs(), "rules", "raised", null, alert.kind().labelJa());
    return Optional.of(alert);
  }

  /** The open alert of a household's episode of a kind (a device's, when {@code deviceId} is set). */
  static Optional<Alert> open(Connection c, String householdId, AlertKind kind, String deviceId) throws SQLException {
    return AlertJdbc.one(c, "select " + COLUMNS + " from sensor_alerts where household_id = ? and kind = ?"
        + " and coalesce(device_id, '') = ? and state <> 'resolved'", AlertSql::alert, householdId, kind.code(),
        deviceId == null ? "" : deviceId);
  }

  static Optional<Alert> byId(Connection c, String id) throws SQLException {
    return AlertJdbc.one(c, "select " + COLUMNS + " from sensor_alerts where id = ?", AlertSql::alert, id);
  }

  /** The open alerts of an audience (or every open alert when null), oldest first. */
  static List<Alert> openFor(Connection c, String audience) throws SQLException {
    return AlertJdbc.list(c, "select " + COLUMNS + " from sensor_alerts where state <> 'resolved'"
        + " and (? is null or audience = ?) order by raised_ms, id", AlertSql::alert, audience, audience);
  }

  /** Alerts of the call centre still unacknowledged (発生) since before {@code beforeMs}. */
  static List<Alert> unacknowledgedSince(Connection c, long beforeMs) throws SQLException {
    return AlertJdbc.list(c, "select " + COLUMNS + " from sensor_alerts where state = 'raised'"
        + " and audience = 'call_centre' and raised_ms <= ? order by raised_ms", AlertSql::alert, beforeMs);
  }

  static List<Alert> ofHousehold(Connection c, String householdId, int limit) throws SQLException {
    return AlertJdbc.list(c, "select " + COLUMNS + " from sensor_alerts where household_id = ?"
        + " order by raised_ms desc, id limit ?", AlertSql::alert, householdId, limit);
  }

  /** Moves an alert from one of the states to another; false when it was in none of them. */
  static boolean move(Connection c, String id, List<String> from, String to, String column, long atMs)
      throws SQLException {
    String in = String.join(", ", from.stream().map(s -> "'" + s + "'").toList());
    return AlertJdbc.update(c, "update sensor_alerts set state = ?, " + column + " = coalesce(" + column + ", ?)"
        + " where id = ? and state in (" + in + ")", to, atMs, id) == 1;
  }

  static void resolution(Connection c, String id, String resolution) throws SQLException {
    AlertJdbc.update(c, "update sensor_alerts set resolution = ? where id = ?", resolution, id);
  }

  static void step(Connection c, String alertId, long atMs, String actor, String step, String outcome, String note)
      throws SQLException {
    AlertJdbc.update(c, "insert into sensor_alert_steps (alert_id, ordinal, at_ms, actor, step, outcome, note)"
        + " values (?, (select coalesce(max(ordinal), 0) + 1 from sensor_alert_steps where alert_id = ?), ?, ?, ?, ?, ?)",
        alertId, alertId, atMs, actor, step, outcome, note == null ? "" : note);
  }

  /** The steps of an alert, with the name of the user who took each (the rules for the automatic ones). */
  static List<Alert.Step> steps(Connection c, String alertId) throws SQLException {
    return AlertJdbc.list(c, "select s.ordinal, s.at_ms, s.actor, coalesce(u.family_name || ' ' || u.given_name,"
        + " case s.actor when 'rules' then 'みまもりセンサー' else s.actor end), s.step, s.outcome, s.note"
        + " from sensor_alert_steps s left join users u on u.id = s.actor where s.alert_id = ? order by s.ordinal",
        rs -> new Alert.Step(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7)), alertId);
  }

  private static Alert alert(ResultSet rs) throws SQLException {
    return new Alert(rs.getString("id"), rs.getString("household_id"), rs.getString("gateway_id"),
        rs.getString("device_id"), AlertKind.fromCode(rs.getString("kind")).orElseThrow(), rs.getString("audience"),
        rs.getString("state"), rs.getLong("raised_ms"), new JsonObject(rs.getString("detail")),
        AlertJdbc.longOrNull(rs, "acknowledged_ms"), AlertJdbc.longOrNull(rs, "escalated_ms"),
        AlertJdbc.longOrNull(rs, "resolved_ms"), rs.getString("resolution"));
  }
}
