package jp.tsunagu.node.sensors;

import static jp.tsunagu.node.sensors.SensorsBed.climate;
import static jp.tsunagu.node.sensors.SensorsBed.door;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jp.tsunagu.federation.sensors.GatewayBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gateway's signed batches stored once per (device, sequence), with their hourly aggregates. */
class SensorIngestTest {

  private static final long HOUR = 3_600_000;

  @TempDir
  static Path dir;
  static SensorsBed bed;
  static SensorsBed.Gateway gateway;

  @BeforeAll
  static void start() {
    bed = new SensorsBed(dir);
    gateway = bed.issue("伊那 西箕輪ゲートウェイ", 600);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  /** The start of an hour well in the past, so that a batch's readings fall into known hours. */
  private static long hourAgo(int hours) {
    return (System.currentTimeMillis() / HOUR - hours) * HOUR;
  }

  @Test
  void a_signed_batch_is_stored_with_its_hourly_aggregates_and_the_devices_last_seen_and_battery() {
    String household = bed.household(gateway);
    long hour = hourAgo(3);
    HttpResponse<String> answer = bed.send(gateway, List.of(
        door(household, "fridge", 1, hour + 60_000, "open"), door(household, "fridge", 2, hour + 75_000, "close"),
        door(household, "entrance", 1, hour + 120_000, "open"),
        climate(household, 1, hour + 60_000, "24.5", "55.0"), climate(household, 2, hour + 120_000, "25.1", "53.2"),
        climate(household, 3, hour + HOUR + 60_000, "20.0", "60.0")));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(new JsonObject(answer.body()).getInteger("stored")).isEqualTo(6);
    assertThat(bed.count("select count(*) from " + SensorsBed.readingsOf(household))).isEqualTo(6);
    assertThat(bed.count("select door_events * 1000000 + climate_count * 10000 + temp_min_deci from sensor_hourly"
        + " where household_id = '" + household + "' and hour_ms = " + hour)).isEqualTo(2_020_245);
    assertThat(bed.count("select temp_max_deci * 100000 + temp_sum_deci from sensor_hourly where household_id = '"
        + household + "' and hour_ms = " + hour)).isEqualTo(251 * 100000 + 496);
    assertThat(bed.count("select hum_min_deci * 100000 + hum_max_deci * 10 + hum_sum_deci / 1000 from sensor_hourly"
        + " where household_id = '" + household + "' and hour_ms = " + hour)).isEqualTo(532 * 100000 + 5500 + 1);
    assertThat(bed.count("select count(*) from sensor_hourly where household_id = '" + household + "'")).isEqualTo(2);
    assertThat(bed.count("select last_seen_ms from sensor_devices where id = '" + household + "-room'"))
        .isEqualTo(hour + HOUR + 60_000);
    assertThat(bed.count("select battery from sensor_devices where id = '" + household + "-fridge'")).isEqualTo(90);
    assertThat(bed.count("select count(*) from sensor_gateways where id = '" + gateway.id()
        + "' and last_seen_ms is not null")).isEqualTo(1);
  }

  @Test
  void a_replayed_batch_is_accepted_and_nothing_is_doubled() {
    String household = bed.household(gateway);
    long hour = hourAgo(5);
    byte[] body = GatewayBatch.body(gateway.id(), "b-replayed", System.currentTimeMillis(), List.of(
        door(household, "toilet", 10, hour + 1_000, "open"), door(household, "toilet", 11, hour + 9_000, "close"),
        climate(household, 7, hour + 60_000, "22.0", "50.0")));
    String signature = GatewayBatch.sign(gateway.key(), body);
    HttpResponse<String> first = new SensorsClient(bed.node).postBatch(body, signature);
    List<Object> after = bed.state();

    double absorbed = bed.node.services().metrics().get("tsunagu.sensors.readings.duplicates").counter().count();
    HttpResponse<String> again = new SensorsClient(bed.node).postBatch(body, signature);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(new JsonObject(again.body()).getMap()).containsEntry("batch", "b-replayed").containsEntry("received", 3)
        .containsEntry("stored", 0).containsEntry("duplicates", 3);
    assertThat(bed.state().subList(0, 4)).isEqualTo(after.subList(0, 4));
    assertThat(bed.node.services().metrics().get("tsunagu.sensors.readings.duplicates").counter().count())
        .isEqualTo(absorbed + 3);
    assertThat(bed.count("select door_events + climate_count from sensor_hourly where household_id = '" + household
        + "'")).isEqualTo(2);
  }

  @Test
  void out_of_order_and_overlapping_deliveries_are_absorbed() {
    String household = bed.household(gateway);
    long hour = hourAgo(7);
    List<GatewayBatch.Reading> readings = new ArrayList<>();
    for (int minute = 0; minute < 30; minute++) {
      readings.add(climate(household, minute, hour + minute * 60_000L, "21." + (minute % 10), "50.0"));
    }
    Collections.reverse(readings);
    bed.send(gateway, readings.subList(0, 20));
    HttpResponse<String> overlapping = bed.send(gateway, readings.subList(10, 30));

    assertThat(new JsonObject(overlapping.body()).getInteger("stored")).isEqualTo(10);
    assertThat(bed.count("select climate_count from sensor_hourly where household_id = '" + household + "'"))
        .isEqualTo(30);
    assertThat(bed.count("select last_seen_ms from sensor_devices where id = '" + household + "-room'"))
        .isEqualTo(hour + 29 * 60_000L);
  }

  @Test
  void a_day_of_backlog_after_an_outage_is_accepted_in_batches() {
    String household = bed.household(gateway);
    long from = hourAgo(25);
    List<GatewayBatch.Reading> day = new ArrayList<>();
    for (int minute = 0; minute < 24 * 60; minute++) {
      day.add(climate(household, minute, from + minute * 60_000L, "20.0", "50.0"));
      if (minute % 90 == 0) {
        day.add(door(household, "entrance", minute * 2L, from + minute * 60_000L, "open"));
        day.add(door(household, "entrance", minute * 2L + 1, from + minute * 60_000L + 5_000, "close"));
      }
    }
    for (int start = 0; start < day.size(); start += 500) {
      HttpResponse<String> answer = bed.send(gateway, day.subList(start, Math.min(day.size(), start + 500)));
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    assertThat(bed.count("select count(*) from " + SensorsBed.readingsOf(household)))
        .isEqualTo(day.size());
    assertThat(bed.count("select count(*) from sensor_hourly where household_id = '" + household + "'")).isEqualTo(24);
    assertThat(bed.count("select sum(door_events) from sensor_hourly where household_id = '" + household + "'"))
        .isEqualTo(16);
  }

  @Test
  void a_large_batch_over_readings_stored_before_counts_exactly_the_new_ones_and_nothing_twice() {
    String household = bed.household(gateway);
    long from = hourAgo(40);
    List<GatewayBatch.Reading> all = new ArrayList<>();
    for (int minute = 0; minute < 2_345; minute++) {
      all.add(climate(household, minute, from + minute * 60_000L, "20.0", "50.0"));
    }
    // Every seventh reading arrived before, scattered through the groups the readings are inserted in.
    List<GatewayBatch.Reading> before = new ArrayList<>();
    for (int i = 0; i < all.size(); i += 7) {
      before.add(all.get(i));
    }
    bed.send(gateway, before);
    // One reading twice in the same batch: stored once.
    List<GatewayBatch.Reading> batch = new ArrayList<>(all);
    batch.add(1_500, all.get(1_234));

    HttpResponse<String> answer = bed.send(gateway, batch);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(new JsonObject(answer.body()).getMap()).containsEntry("received", 2_346)
        .containsEntry("stored", 2_345 - before.size()).containsEntry("duplicates", before.size() + 1);
    assertThat(bed.count("select count(*) from " + SensorsBed.readingsOf(household))).isEqualTo(2_345);
    assertThat(bed.count("select sum(climate_count) from sensor_hourly where household_id = '" + household + "'"))
        .isEqualTo(2_345);
    assertThat(bed.count("select last_seen_ms from sensor_devices where id = '" + household + "-room'"))
        .isEqualTo(from + 2_344 * 60_000L);
  }

  @Test
  void a_gateways_minute_costs_the_writer_the_same_few_statements_for_fifty_readings_as_for_five_hundred() {
    List<String> households = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      households.add(bed.household(gateway));
    }
    long minute = System.currentTimeMillis() / 60_000 - 120;
    IngestBatch oneMinute = minutes(households, minute, 1);
    IngestBatch tenMinutes = minutes(households, minute + 1, 10);

    int[] statements = new int[3];
    int[] fresh = new int[3];
    IngestBatch[] batches = {oneMinute, tenMinutes, tenMinutes};
    for (int i = 0; i < batches.length; i++) {
      IngestBatch batch = batches[i];
      int run = i;
      fresh[i] = bed.node.services().database().submitWrite(c -> {
        java.sql.Connection counted = counting(c, statements, run);
        ReadingSql.Outcome outcome = ReadingSql.store(counted, batch, System.currentTimeMillis());
        return outcome.fresh().size();
      }).join();
    }

    assertThat(fresh).containsExactly(50, 500, 0);
    // The gateway, the devices, their runs of sequences read and written back, the readings, their hours,
    // the devices' last reading, the households' last door event, the gateway's last delivery: a statement
    // each, whatever the number of readings (it was one or more a reading), and a replay costs no more.
    assertThat(statements[0]).isLessThanOrEqualTo(9);
    assertThat(statements[1]).isEqualTo(statements[0]);
    assertThat(statements[2]).isLessThanOrEqualTo(statements[0]);
    long evenMinutes = java.util.stream.LongStream.range(minute, minute + 11).filter(m -> m % 2 == 0).count();
    assertThat(bed.count("select sum(door_events) from sensor_hourly where household_id = '" + households.get(0) + "'"))
        .isEqualTo(4 * evenMinutes);
  }

  /** Every household's five sensors once a minute for {@code minutes} minutes, doors opening on even minutes. */
  private static IngestBatch minutes(List<String> households, long fromMinute, int minutes) {
    List<IngestBatch.Reading> readings = new ArrayList<>();
    for (long m = fromMinute; m < fromMinute + minutes; m++) {
      for (String household : households) {
        for (String place : List.of("entrance", "fridge", "bathroom", "toilet")) {
          readings.add(new IngestBatch.Reading(household + "-" + place, m, m * 60_000, m % 2 == 0 ? "open" : "close",
              null, null, 90));
        }
        readings.add(new IngestBatch.Reading(household + "-room", m, m * 60_000 + 5_000, "climate", 215, 550, 80));
      }
    }
    return new IngestBatch(gateway.id(), "b-" + fromMinute, System.currentTimeMillis(), readings);
  }

  /** The writer's connection, counting the statements prepared through it into {@code counts[slot]}. */
  private static java.sql.Connection counting(java.sql.Connection c, int[] counts, int slot) {
    return (java.sql.Connection) java.lang.reflect.Proxy.newProxyInstance(java.sql.Connection.class.getClassLoader(),
        new Class<?>[] {java.sql.Connection.class}, (proxy, method, args) -> {
          if (method.getName().startsWith("prepare") || method.getName().equals("createStatement")) {
            counts[slot]++;
          }
          try {
            return method.invoke(c, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void a_batch_without_readings_is_a_heartbeat_that_marks_the_gateway_seen() {
    SensorsBed.Gateway quiet = bed.issue("心拍だけのゲートウェイ", 10);
    HttpResponse<String> answer = bed.send(quiet, List.of());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(bed.count("select count(*) from sensor_gateways where id = '" + quiet.id()
        + "' and last_seen_ms is not null")).isEqualTo(1);
  }

  @Test
  void a_reading_at_exactly_five_minutes_ahead_is_accepted() {
    String household = bed.household(gateway);
    // The node's clock moves on between here and the check: four minutes 55 seconds stays within the slack.
    HttpResponse<String> answer = bed.send(gateway, List.of(door(household, "fridge", 1,
        System.currentTimeMillis() + IngestBatch.FUTURE_SLACK_MS - 5_000, "open")));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }
}
