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
 * older than it are deleted, household by household, in writes of at most {@link #BATCH} rows, so
 * that the node's one writer serves other requests between them; hourly aggregates stay for the
 * life of the enrolment. A household withdrawn longer ago than the retention period loses its raw
 * readings and its aggregates (its enrolment record stays, as 行政's record of it).
 */
final class SensorRetention {

  static final int BATCH = 2_000;

  /** Readings are keyed by the household's integer key (V225); the sweep names households by id. */
  private static final String HOUSEHOLD_KEY = "(select key from sensor_household_keys where household_id = ?)";
  private static final long DAY_MS = 86_400_000L;

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
    return services.database().read(SensorRetention::households).compose(households -> {
      Future<Long> total = Future.succeededFuture(0L);
      for (Household h : households) {
        boolean expired = h.withdrawnAt() != null && Instant.parse(h.withdrawnAt()).toEpochMilli() < cutoff;
        total = total.compose(sum -> expired ? forget(h.id()).map(n -> sum + n)
            : deleteBefore(h.id(), cutoff).map(n -> sum + n));
      }
      return total;
    });
  }

  /**
   * Deletes in writes of {@link #BATCH} rows until none is left. Whether there is anything to delete
   * is asked on a read connection first (the time index answers it), so that a sweep over thousands
   * of households costs the writer only the households that have old readings.
   */
  private Future<Long> deleteBefore(String householdId, long cutoff) {
    return services.database().read(c -> anyBefore(c, householdId, cutoff)).compose(any -> !any
        ? Future.succeededFuture(0L)
        : services.database().write(c -> deleteSome(c, "delete from sensor_readings where (device_key, sequence) in"
            + " (select device_key, sequence from sensor_readings where household_key = " + HOUSEHOLD_KEY
            + " and at_ms < ? limit " + BATCH + ")", householdId, cutoff)).compose(n -> n < BATCH ? Future.succeededFuture((long) n)
                : deleteBefore(householdId, cutoff).map(more -> more + n)));
  }

  private static boolean anyBefore(Connection c, String householdId, long cutoff) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select exists (select 1 from sensor_readings where household_key = "
        + HOUSEHOLD_KEY + " and at_ms < ?)")) {
      s.setString(1, householdId);
      s.setLong(2, cutoff);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getInt(1) == 1;
      }
    }
  }

  /** A withdrawn household past the retention period: every raw reading, then its aggregates. */
  private Future<Long> forget(String householdId) {
    return deleteBefore(householdId, Long.MAX_VALUE).compose(raw -> services.database().write(c -> {
      int hourly = deleteSome(c, "delete from sensor_hourly where household_id = ? and hour_ms < ?", householdId,
          Long.MAX_VALUE);
      if (raw + hourly > 0) {
        audit.append(c, AuditEvent.success("system", "sensors.readings.deleted", "sensor_household:" + householdId,
            new JsonObject().put("raw", raw).put("hourly", hourly).put("reason", "withdrawn")));
      }
      return raw + hourly;
    }));
  }

  private static int deleteSome(Connection c, String sql, String householdId, long before) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, householdId);
      s.setLong(2, before);
      return s.executeUpdate();
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
