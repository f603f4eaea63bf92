package jp.tsunagu.node.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules on a clock the test moves: no activity at exactly N hours (by the time of day of the last
 * door event, or the household's own hours), across midnight, a door event during an open alert
 * recorded on it, heat, cold, low battery and a silent device, each raised once per episode.
 */
class AlertRulesTest {

  @TempDir
  static Path dir;
  static CallCentreBed bed;

  @BeforeAll
  static void start() {
    bed = new CallCentreBed(dir);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static long count(String householdId, String kind) {
    return TestSql.count(bed.node, "select count(*) from sensor_alerts where household_id = ? and kind = ?",
        householdId, kind);
  }

  /** A household of its own patient (the rules are per household), enrolled through the API. */
  private static String household(String suffix, Integer hours) {
    String patientId = bed.nurse.post("/api/v1/patients", CallCentreBed.patient("北沢", suffix)).json().getString("id");
    JsonObject enrolment = bed.enrolment(suffix).put("patientId", patientId);
    if (hours != null) {
      enrolment.put("rules", new JsonObject().put("noActivityHours", hours));
    }
    var reply = bed.staff.post("/api/v1/sensors/households", enrolment);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  @Test
  void no_activity_is_raised_at_exactly_the_daytime_hours_after_the_last_door_event_and_only_once() {
    String h = household("day", null);
    // 10:00 in Japan: a daytime event, so 10 hours.
    Instant lastDoor = Instant.parse("2026-07-01T01:00:00Z");
    RuleClock clock = new RuleClock(lastDoor);
    AlertRules rules = bed.feature().rulesWith(clock, RuleSettings.defaults());
    bed.deliver(rules, h, List.of(bed.door("door-day", h, lastDoor.toEpochMilli())));
    long deadline = lastDoor.plus(Duration.ofHours(10)).toEpochMilli();
    CallCentreBed.await(rules.sweep(bed.vertx(), deadline - 1));
    assertThat(count(h, "no_activity")).isZero();
    CallCentreBed.await(rules.sweep(bed.vertx(), deadline));
    assertThat(count(h, "no_activity")).isEqualTo(1);
    CallCentreBed.await(rules.sweep(bed.vertx(), deadline + 3_600_000));
    assertThat(count(h, "no_activity")).as("one alert per episode").isEqualTo(1);
  }

  @Test
  void after_an_evening_door_event_the_night_hours_run_across_midnight() {
    String h = household("night", null);
    // 22:30 in Japan: a night event, so 14 hours, to 12:30 the next day.
    Instant lastDoor = Instant.parse("2026-07-01T13:30:00Z");
    RuleClock clock = new RuleClock(lastDoor);
    AlertRules rules = bed.feature().rulesWith(clock, RuleSettings.defaults());
    bed.deliver(rules, h, List.of(bed.door("door-night", h, lastDoor.toEpochMilli())));
    CallCentreBed.await(rules.sweep(bed.vertx(), Instant.parse("2026-07-01T23:00:00Z").toEpochMilli()));
    CallCentreBed.await(rules.sweep(bed.vertx(), Instant.parse("2026-07-02T03:29:59.999Z").toEpochMilli()));
    assertThat(count(h, "no_activity")).as("08:00 after midnight, and 12:29:59 in Japan").isZero();
    CallCentreBed.await(rules.sweep(bed.vertx(), Instant.parse("2026-07-02T03:30:00Z").toEpochMilli()));
    assertThat(count(h, "no_activity")).isEqualTo(1);
  }

  @Test
  void a_household_override_replaces_the_time_of_day_default() {
    String h = household("over", 4);
    Instant lastDoor = Instant.parse("2026-07-01T01:00:00Z");
    AlertRules rules = bed.feature().rulesWith(new RuleClock(lastDoor), RuleSettings.defaults());
    bed.deliver(rules, h, List.of(bed.door("door-over", h, lastDoor.toEpochMilli())));
    CallCentreBed.await(rules.sweep(bed.vertx(), lastDoor.plus(Duration.ofHours(4)).toEpochMilli() - 1));
    assertThat(count(h, "no_activity")).isZero();
    CallCentreBed.await(rules.sweep(bed.vertx(), lastDoor.plus(Duration.ofHours(4)).toEpochMilli()));
    assertThat(count(h, "no_activity")).isEqualTo(1);
  }

  @Test
  void a_door_event_during_an_open_no_activity_alert_is_recorded_on_it_and_raises_nothing_new() {
    String h = household("during", 4);
    Instant lastDoor = Instant.parse("2026-07-03T01:00:00Z");
    RuleClock clock = new RuleClock(lastDoor);
    AlertRules rules = bed.feature().rulesWith(clock, RuleSettings.defaults());
    bed.deliver(rules, h, List.of(bed.door("door-during", h, lastDoor.toEpochMilli())));
    CallCentreBed.await(rules.sweep(bed.vertx(), lastDoor.plus(Duration.ofHours(5)).toEpochMilli()));
    clock.set(lastDoor.plus(Duration.ofHours(5).plusMinutes(10)));
    bed.deliver(rules, h, List.of(bed.door("door-during", h, clock.millis())));
    assertThat(count(h, "no_activity")).isEqualTo(1);
    assertThat(TestSql.count(bed.node, "select count(*) from sensor_alert_steps s join sensor_alerts a on a.id ="
        + " s.alert_id where a.household_id = ? and s.step = 'door_event'", h)).isEqualTo(1);
    assertThat(TestSql.count(bed.node, "select count(*) from sensor_alerts where household_id = ? and state = 'raised'",
        h)).as("the alert stays open until the call centre closes it").isEqualTo(1);
  }

  @Test
  void heat_cold_and_low_battery_are_each_raised_once_per_episode() {
    String h = household("climate", null);
    Instant at = Instant.parse("2026-08-01T05:00:00Z");
    AlertRules rules = bed.feature().rulesWith(new RuleClock(at), RuleSettings.defaults());
    long ms = at.toEpochMilli();
    bed.deliver(rules, h, List.of(bed.climate("room-climate", h, ms, 275, 800)));
    assertThat(count(h, "heat")).as("27.5 °C is under the threshold").isZero();
    List<Alert> raised = bed.deliver(rules, h, List.of(bed.climate("room-climate", h, ms + 60_000, 300, 720),
        bed.climate("room-climate", h, ms + 120_000, 310, 750)));
    assertThat(raised).extracting(Alert::kind).containsExactly(AlertKind.HEAT);
    bed.deliver(rules, h, List.of(bed.climate("room-climate", h, ms + 180_000, 320, 760)));
    assertThat(count(h, "heat")).isEqualTo(1);
    bed.deliver(rules, h, List.of(bed.climate("room-climate", h, ms + 240_000, 90, 300)));
    assertThat(count(h, "cold")).isEqualTo(1);
    bed.deliver(rules, h, List.of(bed.battery("fridge-climate", h, ms, 21)));
    assertThat(count(h, "low_battery")).isZero();
    bed.deliver(rules, h, List.of(bed.battery("fridge-climate", h, ms + 1, 20), bed.battery("fridge-climate", h,
        ms + 2, 19)));
    assertThat(count(h, "low_battery")).isEqualTo(1);
    assertThat(TestSql.count(bed.node, "select count(*) from sensor_alerts where household_id = ? and kind ="
        + " 'low_battery' and audience = 'staff'", h)).as("a machine matter is for 行政").isEqualTo(1);
  }

  @Test
  void a_silent_device_is_a_machine_alert_for_staff_distinct_from_no_activity() {
    String h = household("silent", 72);
    Instant at = Instant.parse("2026-08-02T01:00:00Z");
    AlertRules rules = bed.feature().rulesWith(new RuleClock(at), RuleSettings.defaults());
    bed.deliver(rules, h, List.of(bed.door("door-silent", h, at.toEpochMilli()),
        bed.climate("room-silent", h, at.toEpochMilli(), 220, 500)));
    CallCentreBed.await(rules.sweep(bed.vertx(), at.plus(Duration.ofHours(6)).toEpochMilli()));
    assertThat(count(h, "device_silent")).isZero();
    CallCentreBed.await(rules.sweep(bed.vertx(), at.plus(Duration.ofHours(6)).toEpochMilli() + 1));
    assertThat(count(h, "device_silent")).isEqualTo(2);
    assertThat(count(h, "no_activity")).isZero();
    assertThat(TestSql.count(bed.node, "select count(*) from sensor_alerts where household_id = ? and kind ="
        + " 'device_silent' and audience = 'staff'", h)).isEqualTo(2);
  }

  @Test
  void the_timer_looks_at_the_time_by_itself_so_silence_raises_its_alert_without_any_reading() throws Exception {
    String h = household("timer", 3);
    Instant lastDoor = Instant.parse("2026-08-05T01:00:00Z");
    RuleClock clock = new RuleClock(lastDoor);
    AlertRules rules = bed.feature().rulesWith(clock, RuleSettings.defaults());
    bed.deliver(rules, h, List.of(bed.door("door-timer", h, lastDoor.toEpochMilli())));
    java.util.concurrent.atomic.AtomicBoolean on = new java.util.concurrent.atomic.AtomicBoolean(true);
    String deployment = bed.vertx().deployVerticle(new AlertTimer(rules, bed.feature().summaries(),
        bed.feature().partnerMails(), clock, 50, 50, on))
        .await(10, java.util.concurrent.TimeUnit.SECONDS);
    try {
      Thread.sleep(300);
      assertThat(count(h, "no_activity")).isZero();
      clock.set(lastDoor.plus(Duration.ofHours(3)));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (count(h, "no_activity") == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(count(h, "no_activity")).isEqualTo(1);
    } finally {
      bed.vertx().undeploy(deployment).await(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void a_withdrawn_household_raises_nothing() {
    String h = household("gone", 3);
    assertThat(bed.staff.post("/api/v1/sensors/households/" + h + "/withdraw", new JsonObject()).status())
        .isEqualTo(200);
    Instant at = Instant.parse("2026-08-03T01:00:00Z");
    AlertRules rules = bed.feature().rulesWith(new RuleClock(at), RuleSettings.defaults());
    CallCentreBed.await(rules.sweep(bed.vertx(), at.plus(Duration.ofDays(3)).toEpochMilli()));
    bed.deliver(rules, h, List.of(bed.climate("room-gone", h, at.toEpochMilli(), 350, 900)));
    assertThat(TestSql.count(bed.node, "select count(*) from sensor_alerts where household_id = ?", h)).isZero();
  }
}
