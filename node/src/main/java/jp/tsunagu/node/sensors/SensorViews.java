package jp.tsunagu.node.sensors;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.storage.Database;

/**
 * What the readings show: for a member of the resident's team, the センサー tab of the patient page
 * (door events and temperature/humidity over 24 hours by the hour, over 7 and 30 days by the day, from
 * the hourly aggregates, and the alert history); for 行政, the area summary per 地区 and week with no
 * names, where a count under 5 is shown as "<5" so that no household can be singled out.
 */
final class SensorViews {

  static final Map<String, Integer> RANGES = Map.of("24h", 1, "7d", 7, "30d", 30);
  static final int SMALL_CELL = 5;
  private static final int WEEKS = 8;

  private final Database database;
  private final AuditLog audit;
  private final Clock clock;
  private final PatientAccess patients;
  private final ZoneId zone;

  SensorViews(Database database, AuditLog audit, Clock clock, PatientAccess patients, ZoneId zone) {
    this.database = database;
    this.audit = audit;
    this.clock = clock;
    this.patients = patients;
    this.zone = zone;
  }

  /** The patient's sensor tab; anyone but an active member of the team gets the care feature's 404. */
  Future<JsonObject> patient(String userId, String patientId, String range) {
    if (!RANGES.containsKey(range)) {
      return Future.failedFuture(CodedException.invalid("sensors.invalid_range", "期間は 24h・7d・30d から選んでください。"));
    }
    return patients.forMember(userId, patientId, "sensors.patient.read").compose(member -> database.write(c -> {
      List<String> households = HouseholdSql.idsOfPatient(c, patientId);
      audit.append(c, AuditEvent.success(userId, "sensors.patient.read", "patient:" + patientId,
          new JsonObject().put("range", range)));
      if (households.isEmpty()) {
        // On a partner node of the team: the summary the home node sent, if it sent one.
        return AlertJdbc.one(c, "select summary, issued_at from sensor_partner_status where patient_id = ?",
            rs -> labelled(new JsonObject(rs.getString(1))).put("fromHomeNode", true).put("issuedAt",
                rs.getString(2)), patientId).orElse(new JsonObject().put("monitored", false));
      }
      String householdId = households.get(households.size() - 1);
      Household h = HouseholdSql.byId(c, householdId).orElseThrow();
      JsonArray alerts = new JsonArray();
      for (Alert a : AlertSql.ofHousehold(c, householdId, 100)) {
        alerts.add(a.toJson().put("steps", Alert.steps(AlertSql.steps(c, a.id()))));
      }
      return new JsonObject().put("monitored", true).put("status", h.status()).put("range", range)
          .put("devices", new JsonArray(h.devices().stream().map(Household.Device::toJson).toList()))
          .put("series", series(c, householdId, range)).put("alerts", alerts);
    }));
  }

  /** A home node's summary with the labels this node shows (the summary carries codes only). */
  private static JsonObject labelled(JsonObject summary) {
    for (Object item : summary.getJsonArray("alerts")) {
      JsonObject a = (JsonObject) item;
      a.put("kindLabel", AlertKind.fromCode(a.getString("kind")).map(AlertKind::labelJa).orElse(a.getString("kind")))
          .put("stateLabel", Alert.STATE_LABELS.get(a.getString("state")));
    }
    return summary;
  }

  /** Per hour (24h) or per day (7d, 30d): door events, and mean/min/max temperature and humidity. */
  private JsonArray series(Connection c, String householdId, String range) throws SQLException {
    boolean hourly = "24h".equals(range);
    long now = clock.millis();
    long from = hourly ? now - 24 * 3_600_000L : LocalDate.ofInstant(Instant.ofEpochMilli(now), zone)
        .minusDays(RANGES.get(range) - 1).atStartOfDay(zone).toInstant().toEpochMilli();
    Map<Long, long[]> buckets = new TreeMap<>();
    AlertJdbc.list(c, "select hour_ms, door_events, climate_count, temp_min_deci, temp_max_deci, temp_sum_deci,"
        + " hum_sum_deci from sensor_hourly where household_id = ? and hour_ms >= ? order by hour_ms", rs -> {
          long hour = rs.getLong(1);
          long key = hourly ? hour : LocalDate.ofInstant(Instant.ofEpochMilli(hour), zone).atStartOfDay(zone)
              .toInstant().toEpochMilli();
          long[] b = buckets.computeIfAbsent(key, k -> new long[] {0, 0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
          b[0] += rs.getLong(2);
          b[1] += rs.getLong(3);
          b[2] += rs.getLong(6);
          b[3] += rs.getLong(7);
          Integer min = AlertJdbc.integer(rs, "temp_min_deci");
          Integer max = AlertJdbc.integer(rs, "temp_max_deci");
          if (min != null) {
            b[4] = Math.min(b[4], min);
          }
          if (max != null) {
            b[5] = Math.max(b[5], max);
          }
          return key;
        }, householdId, from);
    JsonArray out = new JsonArray();
    buckets.forEach((at, b) -> out.add(new JsonObject().put("atMs", at).put("doorEvents", b[0])
        .put("temp", b[1] == 0 ? null : Math.round((double) b[2] / b[1]) / 10.0)
        .put("humidity", b[1] == 0 ? null : Math.round((double) b[3] / b[1]) / 10.0)
        .put("tempMin", b[4] == Long.MAX_VALUE ? null : b[4] / 10.0)
        .put("tempMax", b[5] == Long.MIN_VALUE ? null : b[5] / 10.0)));
    return out;
  }

  /**
   * Per 地区 and week (Monday, Japan time) of the last weeks: monitored households, alerts of each kind
   * the call centre works, and door events. No names; a count under 5 is "<5".
   */
  Future<JsonObject> areaSummary(String userId) {
    LocalDate thisWeek = LocalDate.now(clock.withZone(zone)).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    LocalDate first = thisWeek.minusWeeks(WEEKS - 1);
    long fromMs = first.atStartOfDay(zone).toInstant().toEpochMilli();
    return database.write(c -> {
      Map<String, Map<LocalDate, long[]>> cells = new TreeMap<>();
      Map<String, Long> households = new TreeMap<>();
      AlertJdbc.list(c, "select district, count(*) from sensor_households where status = 'active' group by district",
          rs -> households.put(rs.getString(1), rs.getLong(2)));
      AlertJdbc.list(c, "select h.district, a.raised_ms, a.kind from sensor_alerts a join sensor_households h"
          + " on h.id = a.household_id where a.raised_ms >= ? and a.audience = 'call_centre'", rs -> {
            long[] cell = cell(cells, rs.getString(1), week(rs.getLong(2)));
            cell[switch (rs.getString(3)) { case "no_activity" -> 0; case "heat" -> 1; default -> 2; }]++;
            return true;
          }, fromMs);
      AlertJdbc.list(c, "select h.district, s.hour_ms, s.door_events from sensor_hourly s join sensor_households h"
          + " on h.id = s.household_id where s.hour_ms >= ?", rs -> {
            cell(cells, rs.getString(1), week(rs.getLong(2)))[3] += rs.getLong(3);
            return true;
          }, fromMs);
      households.keySet().forEach(d -> cells.computeIfAbsent(d, k -> new TreeMap<>()));
      JsonArray rows = new JsonArray();
      for (Map.Entry<String, Map<LocalDate, long[]>> district : cells.entrySet()) {
        JsonArray weeks = new JsonArray();
        for (LocalDate w = first; !w.isAfter(thisWeek); w = w.plusWeeks(1)) {
          long[] v = district.getValue().getOrDefault(w, new long[4]);
          weeks.add(new JsonObject().put("week", w.toString()).put("noActivity", shown(v[0])).put("heat", shown(v[1]))
              .put("cold", shown(v[2])).put("doorEvents", shown(v[3])));
        }
        rows.add(new JsonObject().put("district", district.getKey())
            .put("households", shown(households.getOrDefault(district.getKey(), 0L))).put("weeks", weeks));
      }
      audit.append(c, AuditEvent.success(userId, "sensors.area_summary.read", "sensors:area-summary",
          new JsonObject().put("weeks", WEEKS)));
      return new JsonObject().put("districts", rows).put("from", first.toString()).put("smallCell", "<" + SMALL_CELL);
    });
  }

  private LocalDate week(long ms) {
    return LocalDate.ofInstant(Instant.ofEpochMilli(ms), zone).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
  }

  private static long[] cell(Map<String, Map<LocalDate, long[]>> cells, String district, LocalDate week) {
    return cells.computeIfAbsent(district, k -> new TreeMap<>()).computeIfAbsent(week, k -> new long[4]);
  }

  /** A count as the summary shows it: under 5 (none included) is "<5". */
  static String shown(long count) {
    return count < SMALL_CELL ? "<" + SMALL_CELL : Long.toString(count);
  }
}
