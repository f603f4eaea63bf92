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
  /** Readings one multi-row insert carries: 900 parameters, under SQLite's limit of 32,766. */
  static final int ROWS = 100;
  private static final int COLUMNS = 9;
  private static final String INSERT = insertOf(1);
  /** The statements of {@link #ROWS} and of a tenth of them, built once. */
  private static final Map<Integer, String> INSERTS = Map.of(ROWS, insertOf(ROWS), ROWS / 10, insertOf(ROWS / 10));

  /** The insert of {@code rows} readings (the writer keeps each text's prepared statement). */
  private static String insertOf(int rows) {
    StringBuilder sql = new StringBuilder("insert into sensor_readings (device_key, sequence, household_key, at_ms,"
        + " kind, temp_deci, humidity_deci, battery, received_after_s) values ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }
    return sql.append(" on conflict (device_key, sequence) do nothing").toString();
  }

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
      bind(s, 0, device, sequence, atMs, kind, tempDeci, humidityDeci, battery, receivedMs);
      return s.executeUpdate() == 1;
    }
  }

  /** A reading's values as the parameters after {@code offset}. */
  private static void bind(PreparedStatement s, int offset, Device device, long sequence, long atMs, String kind,
      Integer tempDeci, Integer humidityDeci, Integer battery, long receivedMs) throws SQLException {
    s.setLong(offset + 1, device.deviceKey());
    s.setLong(offset + 2, sequence);
    s.setLong(offset + 3, device.householdKey());
    s.setLong(offset + 4, atMs);
    s.setInt(offset + 5, kindCode(kind));
    HourlySql.setNullable(s, offset + 6, tempDeci);
    HourlySql.setNullable(s, offset + 7, humidityDeci);
    HourlySql.setNullable(s, offset + 8, battery);
    s.setLong(offset + 9, Math.floorDiv(receivedMs - atMs, 1000));
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
    for (Map.Entry<String, Long> door : latest.entrySet()) {
      HouseholdSql.doorSeen(c, door.getKey(), door.getValue());
    }
  }

  private static Outcome refused(CodedException e) {
    return new Outcome(List.of(), e);
  }

  /**
   * Readings inserted once per (device, sequence), {@value #ROWS} to a statement: a reading's own
   * statement step, reset and bindings cost the writer about as much as SQLite's insert itself. A
   * statement that stores fewer rows than it carries met a reading the node holds already (a replay,
   * an overlap): it is undone to its savepoint and that group inserted reading by reading, so the
   * answer still names exactly the new ones.
   *
   * @return the readings that were new, in the order delivered
   */
  static List<NewReadings.Reading> insert(Connection c, List<IngestBatch.Reading> readings,
      Map<String, Device> devices, long nowMs) throws SQLException {
    List<NewReadings.Reading> fresh = new ArrayList<>(readings.size());
    int from = 0;
    for (int rows : new int[] {ROWS, ROWS / 10}) {
      for (; readings.size() - from >= rows; from += rows) {
        List<IngestBatch.Reading> group = readings.subList(from, from + rows);
        if (!insertGroup(c, group, devices, nowMs)) {
          insertOneByOne(c, group, devices, nowMs, fresh);
          continue;
        }
        for (IngestBatch.Reading r : group) {
          fresh.add(stored(r, devices.get(r.device())));
        }
      }
    }
    insertOneByOne(c, readings.subList(from, readings.size()), devices, nowMs, fresh);
    return fresh;
  }

  /** A group in one statement; whether every row of it was new (if not, nothing of it stays). */
  private static boolean insertGroup(Connection c, List<IngestBatch.Reading> group, Map<String, Device> devices,
      long nowMs) throws SQLException {
    try (PreparedStatement savepoint = c.prepareStatement("savepoint readings");
        PreparedStatement s = c.prepareStatement(INSERTS.get(group.size()))) {
      savepoint.execute();
      int p = 0;
      for (IngestBatch.Reading r : group) {
        bind(s, p, devices.get(r.device()), r.sequence(), r.atMs(), r.kind(), r.tempDeci(), r.humidityDeci(),
            r.battery(), nowMs);
        p += COLUMNS;
      }
      boolean allNew = s.executeUpdate() == group.size();
      if (!allNew) {
        try (PreparedStatement undo = c.prepareStatement("rollback to readings")) {
          undo.execute();
        }
      }
      try (PreparedStatement release = c.prepareStatement("release readings")) {
        release.execute();
      }
      return allNew;
    }
  }

  private static void insertOneByOne(Connection c, List<IngestBatch.Reading> readings, Map<String, Device> devices,
      long nowMs, List<NewReadings.Reading> fresh) throws SQLException {
    if (readings.isEmpty()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      for (IngestBatch.Reading r : readings) {
        Device device = devices.get(r.device());
        bind(s, 0, device, r.sequence(), r.atMs(), r.kind(), r.tempDeci(), r.humidityDeci(), r.battery(), nowMs);
        if (s.executeUpdate() == 1) {
          fresh.add(stored(r, device));
        }
      }
    }
  }

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
