package jp.tsunagu.node.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import jp.tsunagu.federation.sensors.GatewayBatch;
import jp.tsunagu.federation.sensors.SensorSimulator;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw readings' size and V225's carrying over of the readings stored before it. The same simulated
 * day of 20 households (the room sensor once a minute, doors on events), stored in arrival order, is
 * measured in the text-keyed layout before V225 and in the integer-keyed layout after it: bytes per
 * reading are the pages of the readings table and its time index (SQLite's {@code dbstat}) over the rows.
 */
class ReadingStorageTest {

  private static final int HOUSEHOLDS = 20;
  private static final long DAY_END = 1_796_000_000_000L / 60_000 * 60_000;
  private static final long DAY = 86_400_000;

  @TempDir
  Path dir;

  private record Stored(String householdId, GatewayBatch.Reading reading) {}

  @Test
  void readings_keyed_by_integer_numbers_take_far_fewer_bytes_and_the_migration_keeps_every_reading()
      throws Exception {
    List<Stored> day = simulatedDay();

    String before = "jdbc:sqlite:" + dir.resolve("before.db");
    migrate(before, lastBefore225(before));
    double textKeyed;
    Set<String> rowsBefore;
    try (Connection c = DriverManager.getConnection(before)) {
      enrol(c);
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement("insert into sensor_readings (device_id, sequence, household_id,"
          + " at_ms, kind, temp_deci, humidity_deci, battery, received_ms) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (Stored row : day) {
          GatewayBatch.Reading r = row.reading();
          s.setString(1, r.device());
          s.setLong(2, r.sequence());
          s.setString(3, row.householdId());
          s.setLong(4, r.atMs());
          s.setString(5, r.kind());
          s.setObject(6, deci(r.temperature()));
          s.setObject(7, deci(r.humidity()));
          s.setObject(8, r.battery());
          s.setLong(9, r.atMs() + 30_000);
          s.executeUpdate();
        }
      }
      c.commit();
      textKeyed = bytesPerReading(c, day.size());
      rowsBefore = rows(c, "select device_id, sequence, household_id, at_ms, kind, temp_deci, humidity_deci, battery,"
          + " (received_ms - at_ms) / 1000 from sensor_readings");
    }

    migrate(before, null);
    try (Connection c = DriverManager.getConnection(before)) {
      assertThat(rows(c, "select d.device_id, r.sequence, h.household_id, r.at_ms,"
          + " case r.kind when 0 then 'close' when 1 then 'open' else 'climate' end, r.temp_deci, r.humidity_deci,"
          + " r.battery, r.received_after_s from sensor_readings r join sensor_device_keys d on d.key = r.device_key"
          + " join sensor_household_keys h on h.key = r.household_key")).isEqualTo(rowsBefore);
      // A household enrolled after the migration gets its keys from the triggers.
      enrolOne(c, "hh-late");
      assertThat(count(c, "select count(*) from sensor_device_keys d join sensor_household_keys h"
          + " on h.key = d.household_key where h.household_id = 'hh-late'")).isEqualTo(5);
    }

    String after = "jdbc:sqlite:" + dir.resolve("after.db");
    migrate(after, null);
    double integerKeyed;
    try (Connection c = DriverManager.getConnection(after)) {
      enrol(c);
      c.setAutoCommit(false);
      for (Stored row : day) {
        GatewayBatch.Reading r = row.reading();
        assertThat(ReadingSql.insertOne(c, r.device(), r.sequence(), r.atMs(), r.kind(), deci(r.temperature()),
            deci(r.humidity()), r.battery(), r.atMs() + 30_000)).isTrue();
      }
      c.commit();
      integerKeyed = bytesPerReading(c, day.size());
    }

    double perDay = (double) day.size() / HOUSEHOLDS;
    System.out.printf(Locale.ROOT, "raw readings, %.0f a household a day: %.1f bytes each text-keyed (%.0f KB a"
        + " household a day), %.1f integer-keyed (%.0f KB)%n", perDay, textKeyed, textKeyed * perDay / 1000,
        integerKeyed, integerKeyed * perDay / 1000);
    assertThat(integerKeyed).isLessThan(textKeyed * 0.7);
  }

  @Test
  void v280_keys_the_readings_by_minute_and_keeps_every_reading_its_sequences_and_the_last_door_events()
      throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("v280.db");
    migrate(url, "279");
    Set<String> rowsBefore;
    try (Connection c = DriverManager.getConnection(url)) {
      enrol(c);
      try (Statement s = c.createStatement()) {
        // hh-0's entrance: sequences 1-3 and 7 (4-6 still to come); hh-0's room: 10-11; hh-1 never had a door event.
        s.executeUpdate("insert into sensor_readings (device_key, sequence, household_key, at_ms, kind, temp_deci,"
            + " humidity_deci, battery, received_after_s) select d.key, v.seq, d.household_key, v.at, v.kind, v.t, v.h,"
            + " 90, 30 from (select 'hh-0-entrance' dev, 1 seq, 60000000 at, 1 kind, null t, null h union all"
            + " select 'hh-0-entrance', 2, 60060000, 0, null, null union all select 'hh-0-entrance', 3, 60120000, 1,"
            + " null, null union all select 'hh-0-entrance', 7, 60360500, 0, null, null union all select 'hh-0-room',"
            + " 10, 60000000, 2, 215, 550 union all select 'hh-0-room', 11, 60060000, 2, 216, 551 union all"
            + " select 'hh-1-room', 1, 60000000, 2, 200, 500) v join sensor_device_keys d on d.device_id = v.dev");
      }
      rowsBefore = rows(c, "select device_key, sequence, household_key, at_ms, kind, temp_deci, humidity_deci,"
          + " battery, received_after_s from sensor_readings");
    }

    migrate(url, null);
    try (Connection c = DriverManager.getConnection(url)) {
      assertThat(rows(c, "select device_key, sequence, household_key, at_ms, kind, temp_deci, humidity_deci,"
          + " battery, received_after_s from sensor_readings")).isEqualTo(rowsBefore);
      assertThat(count(c, "select count(*) from sensor_readings where minute <> at_ms / 60000")).isZero();
      assertThat(rows(c, "select d.device_id, r.first_seq, r.last_seq, r.last_at_ms from sensor_sequence_runs r"
          + " join sensor_device_keys d on d.key = r.device_key")).containsExactlyInAnyOrder(
              "hh-0-entrance|1|3|60120000|", "hh-0-entrance|7|7|60360500|", "hh-0-room|10|11|60060000|",
              "hh-1-room|1|1|60000000|");
      assertThat(rows(c, "select household_id, last_door_ms from sensor_household_activity"))
          .containsExactly("hh-0|60360500|");

      c.setAutoCommit(false);
      // Held before the migration, delivered again with another time: absorbed.
      assertThat(ReadingSql.insertOne(c, "hh-0-entrance", 2, 90_000_000, "open", null, null, 90, 90_000_000))
          .isFalse();
      // The gap's readings, out of order: stored once each, the runs joined into one.
      assertThat(ReadingSql.insertOne(c, "hh-0-entrance", 5, 60_240_000, "open", null, null, 90, 60_400_000)).isTrue();
      assertThat(ReadingSql.insertOne(c, "hh-0-entrance", 4, 60_180_000, "close", null, null, 90, 60_400_000)).isTrue();
      assertThat(ReadingSql.insertOne(c, "hh-0-entrance", 6, 60_300_000, "close", null, null, 90, 60_400_000)).isTrue();
      assertThat(ReadingSql.insertOne(c, "hh-0-entrance", 5, 60_240_000, "open", null, null, 90, 60_400_000)).isFalse();
      c.commit();
      assertThat(rows(c, "select r.first_seq, r.last_seq, r.last_at_ms from sensor_sequence_runs r join"
          + " sensor_device_keys d on d.key = r.device_key where d.device_id = 'hh-0-entrance'"))
          .containsExactly("1|7|60360500|");
      assertThat(count(c, "select count(*) from sensor_readings r join sensor_device_keys d on d.key = r.device_key"
          + " where d.device_id = 'hh-0-entrance'")).isEqualTo(7);
    }
  }

  private static List<Stored> simulatedDay() {
    SensorSimulator simulator = new SensorSimulator(20);
    List<Stored> day = new ArrayList<>();
    for (int h = 0; h < HOUSEHOLDS; h++) {
      String household = "hh-" + h;
      List<SensorSimulator.Device> devices = new ArrayList<>();
      for (String[] place : SensorsBed.PLACES) {
        devices.add(new SensorSimulator.Device(household + "-" + place[0], place[0], place[1]));
      }
      for (GatewayBatch.Reading r : simulator.between(new SensorSimulator.Household(household, devices),
          DAY_END - DAY, DAY_END)) {
        day.add(new Stored(household, r));
      }
    }
    day.sort(Comparator.comparingLong(s -> s.reading().atMs())); // as the gateways deliver them
    return day;
  }

  private static Integer deci(BigDecimal value) {
    return value == null ? null : value.movePointRight(1).intValue();
  }

  /** The newest migration before V225 (whatever other features add below it). */
  private static String lastBefore225(String url) {
    return java.util.Arrays.stream(Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration")
        .table("schema_history").load().info().all()).map(info -> info.getVersion())
        .filter(v -> v.compareTo(org.flywaydb.core.api.MigrationVersion.fromVersion("225")) < 0).max(Comparable::compareTo).orElseThrow().getVersion();
  }

  private static void migrate(String url, String target) {
    var configuration = Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration")
        .table("schema_history");
    (target == null ? configuration : configuration.target(target)).load().migrate();
  }

  private static void enrol(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("insert into sensor_gateways (id, name, provider, public_key, status, rate_per_minute, issued_by,"
          + " issued_at) values ('gw', 'gw', 'p', '{}', 'active', 600, 'u', '2026-11-01T00:00:00Z')");
    }
    for (int h = 0; h < HOUSEHOLDS; h++) {
      enrolOne(c, "hh-" + h);
    }
  }

  private static void enrolOne(Connection c, String household) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("insert into sensor_households (id, register_person_key, resident_name, address, district, phone,"
          + " status, consent_by, consent_relation, consent_at, enrolled_by, enrolled_at) values ('" + household
          + "', 'k', '試験 太郎', '伊那市荒井1-1', '伊那', '0265-00-0000', 'active', '試験 太郎', '本人',"
          + " '2026-11-01', 'u', '2026-11-01T00:00:00Z')");
      for (String[] place : SensorsBed.PLACES) {
        s.executeUpdate("insert into sensor_devices (id, household_id, gateway_id, place, kind) values ('" + household
            + "-" + place[0] + "', '" + household + "', 'gw', '" + place[0] + "', '" + place[1] + "')");
      }
    }
  }

  /** The pages of the readings table and its index, as SQLite counts them, over the rows. */
  private static double bytesPerReading(Connection c, int readings) throws SQLException {
    return (double) count(c, "select sum(pgsize) from dbstat where name in ('sensor_readings',"
        + " 'sensor_readings_household_time')") / readings;
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Set<String> rows(Connection c, String sql) throws SQLException {
    Set<String> rows = new HashSet<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(rs.getString(i)).append('|');
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
