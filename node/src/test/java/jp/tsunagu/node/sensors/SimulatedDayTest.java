package jp.tsunagu.node.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.federation.sensors.GatewayBatch;
import jp.tsunagu.federation.sensors.SensorSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's day of three households through a real node, one of them gone quiet six hours ago. */
class SimulatedDayTest {

  private static final long HOUR = 3_600_000;

  @TempDir
  static Path dir;
  static SensorsBed bed;

  @BeforeAll
  static void start() {
    bed = new SensorsBed(dir);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static SensorSimulator.Household household(String id, long quietFromMs) {
    List<SensorSimulator.Device> devices = new ArrayList<>();
    for (String[] place : SensorsBed.PLACES) {
      devices.add(new SensorSimulator.Device(id + "-" + place[0], place[0], place[1]));
    }
    return new SensorSimulator.Household(id, devices, quietFromMs);
  }

  private static int send(SensorsBed.Gateway gateway, List<GatewayBatch.Reading> readings) {
    int stored = 0;
    for (int start = 0; start < readings.size(); start += 2_000) {
      HttpResponse<String> answer = bed.send(gateway, readings.subList(start, Math.min(readings.size(), start + 2_000)));
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      stored += new JsonObject(answer.body()).getInteger("stored");
    }
    return stored;
  }

  @Test
  void a_played_day_is_stored_once_and_the_quiet_household_shows_no_door_after_it_went_quiet() {
    SensorsBed.Gateway gateway = bed.issue("伊那 シミュレーター", 600);
    long now = System.currentTimeMillis() / HOUR * HOUR;
    long quietFrom = now - 6 * HOUR;
    List<SensorSimulator.Household> households = List.of(household(bed.household(gateway), Long.MAX_VALUE),
        household(bed.household(gateway), Long.MAX_VALUE), household(bed.household(gateway), quietFrom));
    SensorSimulator simulator = new SensorSimulator(11);
    List<GatewayBatch.Reading> day = new ArrayList<>();
    households.forEach(h -> day.addAll(simulator.between(h, now - 24 * HOUR, now)));

    assertThat(send(gateway, day)).isEqualTo(day.size());
    assertThat(send(gateway, day)).isZero();

    String quiet = households.get(2).id();
    assertThat(bed.count("select coalesce(sum(door_events), 0) from sensor_hourly where household_id = '" + quiet
        + "' and hour_ms >= " + quietFrom)).isZero();
    assertThat(bed.count("select sum(climate_count) from sensor_hourly where household_id = '" + quiet
        + "' and hour_ms >= " + quietFrom)).isEqualTo(6 * 60);
    // Every door opening of a lived day is counted in its hour (how many depends on the hours the day spans).
    String lived = households.get(0).id();
    long opened = day.stream().filter(r -> r.kind().equals("open") && r.device().startsWith(lived + "-")).count();
    assertThat(opened).isPositive();
    assertThat(bed.count("select sum(door_events) from sensor_hourly where household_id = '" + lived + "'"))
        .isEqualTo(opened);
    assertThat(bed.count("select count(*) from sensor_readings")).isEqualTo(day.size());
  }
}
