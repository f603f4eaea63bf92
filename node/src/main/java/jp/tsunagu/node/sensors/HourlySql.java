package jp.tsunagu.node.sensors;

import io.vertx.core.json.JsonArray;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hourly aggregates ({@code sensor_hourly}) of the readings a batch newly stored: door openings,
 * climate readings with their minimum, maximum and sum (an average is sum / count). A repeated
 * reading never reaches here, so nothing is counted twice.
 */
final class HourlySql {

  static final long HOUR_MS = 3_600_000;

  /** One household's hour, being summed. */
  static final class Hour {
    final String householdId;
    final long hourMs;
    int doorEvents;
    int climateCount;
    Integer tempMin;
    Integer tempMax;
    long tempSum;
    Integer humMin;
    Integer humMax;
    long humSum;

    Hour(String householdId, long hourMs) {
      this.householdId = householdId;
      this.hourMs = hourMs;
    }

    void add(String kind, Integer temp, Integer humidity) {
      if (kind.equals("open")) {
        doorEvents++;
      } else if (kind.equals("climate")) {
        climateCount++;
        tempMin = tempMin == null ? temp : Math.min(tempMin, temp);
        tempMax = tempMax == null ? temp : Math.max(tempMax, temp);
        tempSum += temp;
        humMin = humMin == null ? humidity : Math.min(humMin, humidity);
        humMax = humMax == null ? humidity : Math.max(humMax, humidity);
        humSum += humidity;
      }
    }
  }

  private static final String UPSERT = "insert into sensor_hourly (household_id, hour_ms, door_events, climate_count,"
      + " temp_min_deci, temp_max_deci, temp_sum_deci, hum_min_deci, hum_max_deci, hum_sum_deci)"
      + " select value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6,"
      + " value ->> 7, value ->> 8, value ->> 9 from json_each(?) where true"
      + " on conflict (household_id, hour_ms) do update set"
      + " door_events = door_events + excluded.door_events,"
      + " climate_count = climate_count + excluded.climate_count,"
      + " temp_min_deci = " + least("temp_min_deci", "min") + ","
      + " temp_max_deci = " + least("temp_max_deci", "max") + ","
      + " temp_sum_deci = temp_sum_deci + excluded.temp_sum_deci,"
      + " hum_min_deci = " + least("hum_min_deci", "min") + ","
      + " hum_max_deci = " + least("hum_max_deci", "max") + ","
      + " hum_sum_deci = hum_sum_deci + excluded.hum_sum_deci";

  private HourlySql() {}

  /** SQLite's min()/max() of several values is null when one is: keep whichever side has a value. */
  private static String least(String column, String function) {
    return "case when " + column + " is null then excluded." + column + " when excluded." + column
        + " is null then " + column + " else " + function + "(" + column + ", excluded." + column + ") end";
  }

  private record HourKey(String householdId, long hourMs) {}

  /** Sums the readings per household and hour. */
  static Collection<Hour> sum(List<NewReadings.Reading> readings) {
    // Keyed by the household's id as the device record holds it (its hash is computed once) and the hour:
    // a text key built per reading was a tenth of the writer's time during a backlog.
    Map<HourKey, Hour> hours = new HashMap<>();
    for (NewReadings.Reading r : readings) {
      long hour = Math.floorDiv(r.atMs(), HOUR_MS) * HOUR_MS;
      hours.computeIfAbsent(new HourKey(r.householdId(), hour), k -> new Hour(r.householdId(), hour))
          .add(r.kind(), r.tempDeci(), r.humidityDeci());
    }
    return hours.values();
  }

  /**
   * The hours added to their rows in one statement, from a JSON array of rows in the insert's column
   * order: a gateway's minute touches an hour of each of its households, and a statement an hour was
   * ten statements a batch.
   */
  static void add(Connection c, Collection<Hour> hours) throws SQLException {
    if (hours.isEmpty()) {
      return;
    }
    JsonArray rows = new JsonArray();
    for (Hour h : hours) {
      rows.add(new JsonArray().add(h.householdId).add(h.hourMs).add(h.doorEvents).add(h.climateCount).add(h.tempMin)
          .add(h.tempMax).add(h.tempSum).add(h.humMin).add(h.humMax).add(h.humSum));
    }
    try (PreparedStatement s = c.prepareStatement(UPSERT)) {
      s.setString(1, rows.encode());
      s.executeUpdate();
    }
  }

  static void setNullable(PreparedStatement s, int index, Integer value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.INTEGER);
    } else {
      s.setInt(index, value);
    }
  }
}
