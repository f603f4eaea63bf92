package jp.tsunagu.node.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.feature.NodeServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw readings kept for the retention period, aggregates for the enrolment, driven by a clock the test sets. */
class SensorRetentionTest {

  private static final long DAY = 86_400_000L;
  private static final Instant NOW = Instant.parse("2026-08-01T03:00:00Z");

  @TempDir
  static Path dir;
  static SensorsBed bed;
  static SensorsBed.Gateway gateway;

  @BeforeAll
  static void start() {
    bed = new SensorsBed(dir, new JsonObject().put("rawRetentionDays", 30));
    gateway = bed.issue("伊那 東春近ゲートウェイ", 600);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static SensorRetention retentionAt(Instant now) {
    NodeServices s = bed.node.services();
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    NodeServices at = new NodeServices(s.config(), s.keys(), s.database(), s.metrics(), clock, s.idempotency());
    return new SensorRetention(at, new AuditLog(s.database(), clock));
  }

  /** Readings of the household's room sensor, one a minute from {@code fromMs}, and one hourly row per hour. */
  private static void readings(String household, long fromMs, int count) {
    bed.node.services().database().submitWrite(c -> {
      for (int i = 0; i < count; i++) {
        ReadingSql.insertOne(c, household + "-room", fromMs / 60_000 + i, fromMs + i * 60_000L, "climate", 200, 500,
            null, fromMs + i * 60_000L);
      }
      try (PreparedStatement s = c.prepareStatement("insert into sensor_hourly (household_id, hour_ms, door_events,"
          + " climate_count, temp_sum_deci, hum_sum_deci) values (?, ?, 0, 60, 12000, 30000) on conflict do nothing")) {
        for (long hour = fromMs / 3_600_000; hour * 3_600_000 < fromMs + count * 60_000L; hour++) {
          s.setString(1, household);
          s.setLong(2, hour * 3_600_000);
          s.executeUpdate();
        }
      }
      return null;
    }).join();
  }

  private static long raw(String household) {
    return bed.count("select count(*) from " + SensorsBed.readingsOf(household));
  }

  private static long hourly(String household) {
    return bed.count("select count(*) from sensor_hourly where household_id = '" + household + "'");
  }

  @Test
  void raw_readings_past_the_retention_period_are_deleted_in_small_writes_and_the_hourly_aggregates_stay() throws Exception {
    String household = bed.household(gateway);
    long cutoff = NOW.toEpochMilli() - 30 * DAY;
    int old = 2 * SensorRetention.BATCH + 500;
    readings(household, cutoff - old * 60_000L, old);
    readings(household, cutoff, 120);
    long hoursBefore = hourly(household);

    long deleted = retentionAt(NOW).sweep().await(60, TimeUnit.SECONDS);

    assertThat(deleted).isGreaterThanOrEqualTo(old);
    assertThat(raw(household)).isEqualTo(120);
    assertThat(bed.count("select min(at_ms) from " + SensorsBed.readingsOf(household)))
        .isEqualTo(cutoff);
    assertThat(hourly(household)).isEqualTo(hoursBefore);
  }

  @Test
  void a_household_withdrawn_longer_ago_than_the_retention_period_loses_its_readings_and_aggregates() throws Exception {
    String longGone = bed.household(gateway);
    String recentlyGone = bed.household(gateway);
    readings(longGone, NOW.toEpochMilli() - 40 * DAY, 300);
    readings(recentlyGone, NOW.toEpochMilli() - 12 * DAY, 300);
    bed.withdraw(longGone, NOW.minus(Duration.ofDays(31)));
    bed.withdraw(recentlyGone, NOW.minus(Duration.ofDays(10)));

    retentionAt(NOW).sweep().await(60, TimeUnit.SECONDS);

    assertThat(raw(longGone)).isZero();
    assertThat(hourly(longGone)).isZero();
    assertThat(raw(recentlyGone)).isEqualTo(300);
    assertThat(hourly(recentlyGone)).isEqualTo(5);
    assertThat(bed.count("select count(*) from audit_log where action = 'sensors.readings.deleted' and target ="
        + " 'sensor_household:" + longGone + "'")).isEqualTo(1);
    assertThat(bed.count("select count(*) from sensor_households where id = '" + longGone + "'")).isEqualTo(1);
  }

  @Test
  void a_later_clock_ages_readings_out_that_an_earlier_sweep_kept() throws Exception {
    String household = bed.household(gateway);
    readings(household, NOW.toEpochMilli() - 29 * DAY, 60);

    retentionAt(NOW).sweep().await(60, TimeUnit.SECONDS);
    assertThat(raw(household)).isEqualTo(60);
    retentionAt(NOW.plus(Duration.ofDays(2))).sweep().await(60, TimeUnit.SECONDS);

    assertThat(raw(household)).isZero();
    assertThat(hourly(household)).isEqualTo(1);
  }
}
