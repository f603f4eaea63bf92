package jp.tsunagu.node.sensors;

import io.vertx.core.json.JsonArray;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.errors.CodedException;

/**
 * Stores a verified batch in the node's writer: the gateway and every device are checked again in a
 * write transaction (a revocation or a withdrawal that committed first is seen), then each
 * reading is inserted once per (device, sequence), and only the new ones reach the hourly
 * aggregates, the devices' last-seen time and battery, and the answer.
 */
final class ReadingSql {

  /** What a batch's write came to: the readings that were new, or the refusal (nothing written then). */
  record Outcome(List<NewReadings.Reading> fresh, CodedException refusal) {}

  /** A registered device as the ingest checks it. */
  record Device(String id, String gatewayId, String householdId, String place, String kind,
      String householdStatus, long deviceKey, long householdKey) {}

  /**
   * Keyed by the minute of the reading's time, then the small integer numbers of the device (V225) and its
   * sequence (V280): a batch's readings of a minute lie side by side, where keyed by device first each
   * device's newest page was written.
   */
  private static final String COLUMNS = "minute, device_key, sequence, household_key, at_ms, kind, temp_deci,"
      + " humidity_deci, battery, received_after_s";
  /**
   * Any number of readings in one statement, from a JSON array of rows in {@link #COLUMNS}' order;
   * answers the ones stored. {@code where true} tells SQLite's parser that {@code on conflict} is the
   * upsert's, not a join's. The device's runs of sequences ({@link SequenceRuns}) decide what is new; the
   * conflict clause only keeps a row the table holds from failing the batch.
   */
  private static final String INSERT_ALL = "insert into sensor_readings (" + COLUMNS + ") select value ->> 0,"
      + " value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8,"
      + " value ->> 9 from json_each(?) where true on conflict (minute, device_key, sequence) do nothing"
      + " returning device_key, sequence";
  private static final long MINUTE_MS = 60_000;
  private static final String DEVICE_COLUMNS = "select d.id, d.gateway_id, d.household_id, d.place, d.kind, h.status,"
      + " k.key, k.household_key from ";
  private static final String DEVICE_JOINS = " join sensor_households h on h.id = d.household_id"
      + " join sensor_device_keys k on k.device_id = d.id";
  /** The devices named in a JSON array of ids; the array is walked first, each id found by its key. */
  private static final String DEVICES = DEVICE_COLUMNS + "json_each(?) j cross join sensor_devices d" + DEVICE_JOINS
      + " where d.id = j.value";
  /** The newest reading's time and battery per device, from a JSON array of [id, battery, atMs]. */
  private static final String TOUCH_DEVICES = "update sensor_devices set"
      + " battery = case when j.value ->> 1 is not null and j.value ->> 2 >= coalesce(last_seen_ms, 0)"
      + " then j.value ->> 1 else battery end, last_seen_ms = max(coalesce(last_seen_ms, 0), j.value ->> 2)"
      + " from json_each(?) j where sensor_devices.id = j.value ->> 0";

  /** A reading's kind as stored: 0 a door closed, 1 a door opened, 2 a climate reading. */
  static int kindCode(String kind) {
    return switch (kind) {
      case "close" -> 0;
      case "open" -> 1;
      default -> 2;
    };
  }

  /**
   * One reading stored outside the ingest (the demo's week of readings, the tests' households): keyed
   * like the ingest's rows, its sequence taken in the device's runs, and a door event kept as the
   * household's last one, as the ingest keeps it.
   *
   * @return whether it was new
   */
  static boolean insertOne(Connection c, String deviceId, long sequence, long atMs, String kind, Integer tempDeci,
      Integer humidityDeci, Integer battery, long receivedMs) throws SQLException {
    Device device = device(c, deviceId);
    IngestBatch.Reading reading = new IngestBatch.Reading(deviceId, sequence, atMs, kind, tempDeci, humidityDeci,
        battery);
    List<NewReadings.Reading> fresh = insert(c, List.of(reading), Map.of(deviceId, device), receivedMs);
    doorsSeen(c, fresh);
    return !fresh.isEmpty();
  }

  private ReadingSql() {}

  /** A whole batch in this transaction: checked, then stored (the tests' and the demo's way). */
  static Outcome store(Connection c, IngestBatch batch, long nowMs) throws SQLException {
    Checked checked = check(c, batch);
    return checked.refusal() != null ? refused(checked.refusal())
        : new Outcome(storePart(c, batch.gateway(), batch.readings(), checked, nowMs), null);
  }

  /** The batch's devices as checked, or the refusal of the whole batch. */
  record Checked(Map<String, Device> devices, CodedException refusal) {}

  /**
   * The gateway and every device of the batch checked in this transaction (a revocation or a
   * withdrawal that committed first is seen): the batch is taken whole or refused whole, here. The
   * batch's distinct devices are read in one statement: a gateway's minute names each of its devices
   * once, and a statement a device was a statement a reading.
   */
  static Checked check(Connection c, IngestBatch batch) throws SQLException {
    if (!gatewayActive(c, batch.gateway())) {
      return new Checked(Map.of(), IngestErrors.gatewayRevoked());
    }
    Map<String, Device> devices = devices(c, batch.readings());
    for (IngestBatch.Reading r : batch.readings()) {
      Device device = devices.get(r.device());
      if (device == null || !device.gatewayId().equals(batch.gateway())) {
        return new Checked(Map.of(), IngestErrors.deviceNotYours());
      }
      if (!"active".equals(device.householdStatus())) {
        return new Checked(Map.of(), IngestErrors.householdWithdrawn());
      }
      if (device.kind().equals("climate") != r.kind().equals("climate")) {
        return new Checked(Map.of(), IngestErrors.kindMismatch());
      }
    }
    return new Checked(devices, null);
  }

  /** The registered devices among those the readings name, by id (an unknown one is absent). */
  private static Map<String, Device> devices(Connection c, List<IngestBatch.Reading> readings) throws SQLException {
    Map<String, Device> devices = new HashMap<>();
    java.util.Set<String> named = new java.util.LinkedHashSet<>();
    readings.forEach(r -> named.add(r.device()));
    if (named.isEmpty()) {
      return devices;
    }
    try (PreparedStatement s = c.prepareStatement(DEVICES)) {
      s.setString(1, new JsonArray(new ArrayList<>(named)).encode());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Device device = device(rs);
          devices.put(device.id(), device);
        }
      }
    }
    return devices;
  }

  /**
   * Readings of a checked batch stored: each once per (device, sequence); the new ones reach the
   * hourly aggregates, the devices' last-seen time and battery, and the households' last door event.
   *
   * @return the readings that were new
   */
  static List<NewReadings.Reading> storePart(Connection c, String gatewayId, List<IngestBatch.Reading> readings,
      Checked checked, long nowMs) throws SQLException {
    List<NewReadings.Reading> fresh = insert(c, readings, checked.devices(), nowMs);
    recordFresh(c, gatewayId, fresh, nowMs);
    return fresh;
  }

  /**
   * What new readings change besides their rows: the hourly aggregates, the devices' last-seen time and
   * battery, the households' last door event and the gateway's last delivery. Once per transaction, for
   * all the readings it stored.
   */
  static void recordFresh(Connection c, String gatewayId, List<NewReadings.Reading> fresh, long nowMs)
      throws SQLException {
    HourlySql.add(c, HourlySql.sum(fresh));
    touchDevices(c, fresh);
    doorsSeen(c, fresh);
    try (PreparedStatement s = c.prepareStatement("update sensor_gateways set last_seen_ms = ? where id = ?")) {
      s.setLong(1, nowMs);
      s.setString(2, gatewayId);
      s.executeUpdate();
    }
  }

  /**
   * Each household's latest new door event, recorded with the readings: the rules then need the writer
   * only when a reading raises or adds to an alert, not for every batch with a door in it.
   */
  private static void doorsSeen(Connection c, List<NewReadings.Reading> fresh) throws SQLException {
    Map<String, Long> latest = new HashMap<>();
    for (NewReadings.Reading r : fresh) {
      if ("open".equals(r.kind()) || "close".equals(r.kind())) {
        latest.merge(r.householdId(), r.atMs(), Math::max);
      }
    }
    HouseholdSql.doorsSeen(c, latest);
  }

  private static Outcome refused(CodedException e) {
    return new Outcome(List.of(), e);
  }

  /**
   * Readings inserted once per (device, sequence), all of them in one statement: the devices' runs of
   * sequences say which are new ({@link SequenceRuns}: read in one statement, the changed ones written in
   * two), their values travel as one JSON array bound to the insert, which SQLite unpacks
   * ({@code json_each}), and the statement returns the rows it stored. A statement, a savepoint and its
   * release per ten or a hundred readings, and one per reading for a group that met a reading held, cost
   * the writer more than SQLite's inserts themselves.
   *
   * @return the readings that were new, in the order delivered
   */
  static List<NewReadings.Reading> insert(Connection c, List<IngestBatch.Reading> readings,
      Map<String, Device> devices, long nowMs) throws SQLException {
    List<NewReadings.Reading> fresh = new ArrayList<>(readings.size());
    if (readings.isEmpty()) {
      return fresh;
    }
    java.util.Set<Long> deviceKeys = new java.util.LinkedHashSet<>();
    readings.forEach(r -> deviceKeys.add(devices.get(r.device()).deviceKey()));
    SequenceRuns runs = SequenceRuns.of(c, deviceKeys);
    StringBuilder rows = new StringBuilder(readings.size() * 56).append('[');
    List<IngestBatch.Reading> taken = new ArrayList<>(readings.size());
    for (IngestBatch.Reading r : readings) {
      Device device = devices.get(r.device());
      // The first of a batch's readings of one (device, sequence) is the one stored.
      if (!runs.take(device.deviceKey(), r.sequence(), r.atMs())) {
        continue;
      }
      taken.add(r);
      rows.append(rows.length() == 1 ? "[" : ",[").append(Math.floorDiv(r.atMs(), MINUTE_MS)).append(',')
          .append(device.deviceKey()).append(',').append(r.sequence()).append(',').append(device.householdKey())
          .append(',').append(r.atMs()).append(',').append(kindCode(r.kind())).append(',').append(r.tempDeci())
          .append(',').append(r.humidityDeci()).append(',').append(r.battery()).append(',')
          .append(Math.floorDiv(nowMs - r.atMs(), 1000)).append(']');
    }
    if (taken.isEmpty()) {
      return fresh;
    }
    runs.write(c);
    java.util.Set<Key> stored = new java.util.HashSet<>();
    try (PreparedStatement s = c.prepareStatement(INSERT_ALL)) {
      s.setString(1, rows.append(']').toString());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          stored.add(new Key(rs.getLong(1), rs.getLong(2)));
        }
      }
    }
    for (IngestBatch.Reading r : taken) {
      Device device = devices.get(r.device());
      if (stored.remove(new Key(device.deviceKey(), r.sequence()))) {
        fresh.add(stored(r, device));
      }
    }
    return fresh;
  }

  /** A stored reading's address. */
  private record Key(long deviceKey, long sequence) {}

  private static NewReadings.Reading stored(IngestBatch.Reading r, Device device) {
    return new NewReadings.Reading(r.device(), device.householdId(), device.place(), r.sequence(), r.atMs(), r.kind(),
        r.tempDeci(), r.humidityDeci(), r.battery());
  }

  /** Last seen is the newest reading's time; the battery is that reading's, when it reports one. */
  private static void touchDevices(Connection c, List<NewReadings.Reading> fresh) throws SQLException {
    Map<String, NewReadings.Reading> newest = new HashMap<>();
    for (NewReadings.Reading r : fresh) {
      newest.merge(r.deviceId(), r, (a, b) -> b.atMs() > a.atMs() ? b : a);
    }
    if (newest.isEmpty()) {
      return;
    }
    JsonArray rows = new JsonArray();
    for (NewReadings.Reading r : newest.values()) {
      rows.add(new JsonArray().add(r.deviceId()).add(r.battery()).add(r.atMs()));
    }
    try (PreparedStatement s = c.prepareStatement(TOUCH_DEVICES)) {
      s.setString(1, rows.encode());
      s.executeUpdate();
    }
  }

  private static boolean gatewayActive(Connection c, String gatewayId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select status from sensor_gateways where id = ?")) {
      s.setString(1, gatewayId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && "active".equals(rs.getString(1));
      }
    }
  }

  private static Device device(Connection c, String deviceId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(DEVICE_COLUMNS + "sensor_devices d" + DEVICE_JOINS
        + " where d.id = ?")) {
      s.setString(1, deviceId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? device(rs) : null;
      }
    }
  }

  private static Device device(ResultSet rs) throws SQLException {
    return new Device(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getLong(7), rs.getLong(8));
  }
}
