package jp.tsunagu.node.sensors;

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

  /** Keyed by the small integer numbers of the device and household (V225: a reading is about a third smaller). */
  private static final String INSERT = "insert into sensor_readings (device_key, sequence, household_key, at_ms, kind,"
      + " temp_deci, humidity_deci, battery, received_after_s) values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " on conflict (device_key, sequence) do nothing";

  /** A reading's kind as stored: 0 a door closed, 1 a door opened, 2 a climate reading. */
  static int kindCode(String kind) {
    return switch (kind) {
      case "close" -> 0;
      case "open" -> 1;
      default -> 2;
    };
  }

  /**
   * One reading stored outside the ingest (the demo's week of readings): keyed like the ingest's rows.
   *
   * @return whether it was new
   */
  static boolean insertOne(Connection c, String deviceId, long sequence, long atMs, String kind, Integer tempDeci,
      Integer humidityDeci, Integer battery, long receivedMs) throws SQLException {
    Device device = device(c, deviceId);
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      bind(s, device, sequence, atMs, kind, tempDeci, humidityDeci, battery, receivedMs);
      return s.executeUpdate() == 1;
    }
  }

  private static void bind(PreparedStatement s, Device device, long sequence, long atMs, String kind,
      Integer tempDeci, Integer humidityDeci, Integer battery, long receivedMs) throws SQLException {
    s.setLong(1, device.deviceKey());
    s.setLong(2, sequence);
    s.setLong(3, device.householdKey());
    s.setLong(4, atMs);
    s.setInt(5, kindCode(kind));
    HourlySql.setNullable(s, 6, tempDeci);
    HourlySql.setNullable(s, 7, humidityDeci);
    HourlySql.setNullable(s, 8, battery);
    s.setLong(9, Math.floorDiv(receivedMs - atMs, 1000));
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
   * withdrawal that committed first is seen): the batch is taken whole or refused whole, here.
   */
  static Checked check(Connection c, IngestBatch batch) throws SQLException {
    if (!gatewayActive(c, batch.gateway())) {
      return new Checked(Map.of(), IngestErrors.gatewayRevoked());
    }
    Map<String, Device> devices = new HashMap<>();
    for (IngestBatch.Reading r : batch.readings()) {
      Device device = devices.get(r.device());
      if (device == null) {
        device = device(c, r.device());
        if (device == null || !device.gatewayId().equals(batch.gateway())) {
          return new Checked(Map.of(), IngestErrors.deviceNotYours());
        }
        if (!"active".equals(device.householdStatus())) {
          return new Checked(Map.of(), IngestErrors.householdWithdrawn());
        }
        devices.put(r.device(), device);
      }
      if (device.kind().equals("climate") != r.kind().equals("climate")) {
        return new Checked(Map.of(), IngestErrors.kindMismatch());
      }
    }
    return new Checked(devices, null);
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
    HourlySql.add(c, HourlySql.sum(fresh));
    touchDevices(c, fresh);
    doorsSeen(c, fresh);
    try (PreparedStatement s = c.prepareStatement("update sensor_gateways set last_seen_ms = ? where id = ?")) {
      s.setLong(1, nowMs);
      s.setString(2, gatewayId);
      s.executeUpdate();
    }
    return fresh;
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
    for (Map.Entry<String, Long> door : latest.entrySet()) {
      HouseholdSql.doorSeen(c, door.getKey(), door.getValue());
    }
  }

  private static Outcome refused(CodedException e) {
    return new Outcome(List.of(), e);
  }

  private static List<NewReadings.Reading> insert(Connection c, List<IngestBatch.Reading> readings,
      Map<String, Device> devices, long nowMs) throws SQLException {
    List<NewReadings.Reading> fresh = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      for (IngestBatch.Reading r : readings) {
        Device device = devices.get(r.device());
        bind(s, device, r.sequence(), r.atMs(), r.kind(), r.tempDeci(), r.humidityDeci(), r.battery(), nowMs);
        if (s.executeUpdate() == 1) {
          fresh.add(new NewReadings.Reading(r.device(), device.householdId(), device.place(), r.sequence(), r.atMs(),
              r.kind(), r.tempDeci(), r.humidityDeci(), r.battery()));
        }
      }
    }
    return fresh;
  }

  /** Last seen is the newest reading's time; the battery is that reading's, when it reports one. */
  private static void touchDevices(Connection c, List<NewReadings.Reading> fresh) throws SQLException {
    Map<String, NewReadings.Reading> newest = new HashMap<>();
    for (NewReadings.Reading r : fresh) {
      newest.merge(r.deviceId(), r, (a, b) -> b.atMs() > a.atMs() ? b : a);
    }
    try (PreparedStatement s = c.prepareStatement("update sensor_devices set"
        + " battery = case when ? is not null and ? >= coalesce(last_seen_ms, 0) then ? else battery end,"
        + " last_seen_ms = max(coalesce(last_seen_ms, 0), ?) where id = ?")) {
      for (NewReadings.Reading r : newest.values()) {
        HourlySql.setNullable(s, 1, r.battery());
        s.setLong(2, r.atMs());
        HourlySql.setNullable(s, 3, r.battery());
        s.setLong(4, r.atMs());
        s.setString(5, r.deviceId());
        s.executeUpdate();
      }
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
    try (PreparedStatement s = c.prepareStatement("select d.id, d.gateway_id, d.household_id, d.place, d.kind,"
        + " h.status, k.key, k.household_key from sensor_devices d join sensor_households h on h.id = d.household_id"
        + " join sensor_device_keys k on k.device_id = d.id where d.id = ?")) {
      s.setString(1, deviceId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? new Device(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getString(6), rs.getLong(7), rs.getLong(8)) : null;
      }
    }
  }
}
