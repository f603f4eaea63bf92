package jp.tsunagu.node.sensors;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.feature.NodeServices;

/**
 * Keeps the readings within their retention period ({@code sensors.rawRetentionDays}): raw readings
 * older than it are deleted from the oldest minutes on (readings are keyed by their minute first, V280),
 * in writes of at most {@link #BATCH} rows, so that the node's one writer serves other requests between
 * them, and with them the devices' runs of sequences whose newest reading is that old; hourly aggregates
 * stay for the life of the enrolment. A household withdrawn longer ago than the retention period loses its
 * raw readings and its aggregates (its enrolment record stays, as 行政's record of it).
 */
final class SensorRetention {

  static final int BATCH = 2_000;

  /** Readings are keyed by the household's integer key (V225); the sweep names households by id. */
  private static final String HOUSEHOLD_KEY = "(select key from sensor_household_keys where household_id = ?)";
  private static final long DAY_MS = 86_400_000L;
  private static final long MINUTE_MS = 60_000L;
  /** The oldest readings, found from the table's start: the minute bounds the walk, the time is exact. */
  private static final String OLD = "from sensor_readings where minute <= ? and at_ms < ?";
  private static final String OLD_RUNS = "from sensor_sequence_runs where last_at_ms < ?";

  /** One household and, when withdrawn, since when. */
  private record Household(String id, String withdrawnAt) {}

  private final NodeServices services;
  private final AuditLog audit;

  SensorRetention(NodeServices services, AuditLog audit) {
    this.services = services;
    this.audit = audit;
  }

  /** @return how many rows (raw readings and aggregates) this sweep deleted */
  Future<Long> sweep() {
    long now = services.clock().millis();
    long cutoff = now - services.config().sensors().rawRetentionDays() * DAY_MS;
    // The old minutes first: what is left of a household withdrawn before the cutoff is then only the
    // few minutes between the cutoff and its withdrawal, which forget walks.
    return deleteOld(cutoff).compose(old -> deleteOldRuns(cutoff).map(runs -> old))
        .compose(old -> services.database().read(SensorRetention::households).compose(households -> {
          Future<Long> total = Future.succeededFuture(old);
          for (Household h : households) {
            long withdrawnMs = h.withdrawnAt() == null ? Long.MAX_VALUE : Instant.parse(h.withdrawnAt()).toEpochMilli();
            if (withdrawnMs < cutoff) {
              total = total.compose(sum -> forget(h.id(), withdrawnMs).map(n -> sum + n));
            }
          }
          return total;
        }));
  }

  /**
   * Deletes in writes of {@link #BATCH} rows until none is left. Whether there is anything to delete is
   * asked on a read connection first (the table's first rows answer it), so a sweep with nothing to do
   * costs the writer nothing.
   */
  private Future<Long> deleteOld(long cutoff) {
    long minute = Math.floorDiv(cutoff, MINUTE_MS);
    return services.database().read(c -> exists(c, "select exists (select 1 " + OLD + ")", minute, cutoff))
        .compose(any -> !any ? Future.succeededFuture(0L)
            : services.database().write(c -> delete(c, "delete from sensor_readings where (minute, device_key, sequence)"
                + " in (select minute, device_key, sequence " + OLD + " limit " + BATCH + ")", minute, cutoff))
                .compose(n -> n < BATCH ? Future.succeededFuture((long) n) : deleteOld(cutoff).map(more -> more + n)));
  }

  /** The runs of sequences whose readings are all past the period (a device that has reported none since). */
  private Future<Long> deleteOldRuns(long cutoff) {
    return services.database().write(c -> delete(c, "delete from sensor_sequence_runs where (device_key, first_seq) in"
        + " (select device_key, first_seq " + OLD_RUNS + " limit " + BATCH + ")", cutoff))
        .compose(n -> n < BATCH ? Future.succeededFuture((long) n) : deleteOldRuns(cutoff).map(more -> more + n));
  }

  /**
   * A withdrawn household past the retention period: its raw readings left, then its aggregates. The ingest
   * stored none after the withdrawal, nor any more than {@link IngestBatch#FUTURE_SLACK_MS} ahead of its
   * receipt, so its readings end by then, and the old minutes before them are gone already.
   */
  private Future<Long> forget(String householdId, long withdrawnMs) {
    long lastMinute = Math.floorDiv(withdrawnMs + IngestBatch.FUTURE_SLACK_MS, MINUTE_MS);
    return forgetRaw(householdId, lastMinute).compose(raw -> services.database().write(c -> {
      int hourly = delete(c, "delete from sensor_hourly where household_id = ?", householdId);
      if (raw + hourly > 0) {
        audit.append(c, AuditEvent.success("system", "sensors.readings.deleted", "sensor_household:" + householdId,
            new JsonObject().put("raw", raw).put("hourly", hourly).put("reason", "withdrawn")));
      }
      return raw + hourly;
    }));
  }

  private Future<Long> forgetRaw(String householdId, long lastMinute) {
    return services.database().write(c -> delete(c, "delete from sensor_readings where (minute, device_key, sequence) in"
        + " (select minute, device_key, sequence from sensor_readings where minute <= ? and household_key = "
        + HOUSEHOLD_KEY + " limit " + BATCH + ")", lastMinute, householdId))
        .compose(n -> n < BATCH ? Future.succeededFuture((long) n)
            : forgetRaw(householdId, lastMinute).map(more -> more + n));
  }

  private static boolean exists(Connection c, String sql, Object... values) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, values);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getInt(1) == 1;
      }
    }
  }

  private static int delete(Connection c, String sql, Object... values) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, values);
      return s.executeUpdate();
    }
  }

  private static void bind(PreparedStatement s, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      s.setObject(i + 1, values[i]);
    }
  }

  private static List<Household> households(Connection c) throws SQLException {
    List<Household> households = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select id, withdrawn_at from sensor_households order by id");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        households.add(new Household(rs.getString(1), rs.getString(2)));
      }
    }
    return households;
  }
}
