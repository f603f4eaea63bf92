package jp.tsunagu.node.sensors;

import io.vertx.core.json.JsonArray;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The enrolled households, their contacts, devices, rules and consent scans, as plain SQL. */
final class HouseholdSql {

  private static final String COLUMNS = "id, patient_id, register_person_key, resident_name, address, district, phone,"
      + " status, consent_by, consent_relation, consent_at, consent_scan_id, no_activity_hours, enrolled_by,"
      + " enrolled_at, withdrawn_at";

  private HouseholdSql() {}

  static void insert(Connection c, Household h) throws SQLException {
    AlertJdbc.update(c, "insert into sensor_households (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        + " ?, ?, ?)", h.id(), h.patientId(), h.registerPersonKey(), h.residentName(), h.address(), h.district(),
        h.phone(), h.status(), h.consent().by(), h.consent().relation(), h.consent().at(), h.consent().scanId(),
        h.noActivityHours(), h.enrolledBy(), h.enrolledAt(), h.withdrawnAt());
    for (Household.Contact contact : h.contacts()) {
      AlertJdbc.update(c, "insert into sensor_household_contacts (household_id, ordinal, name, relation, phone, mail)"
          + " values (?, ?, ?, ?, ?, ?)", h.id(), contact.ordinal(), contact.name(), contact.relation(), contact.phone(),
          contact.mail());
    }
    for (Household.Device device : h.devices()) {
      AlertJdbc.update(c, "insert into sensor_devices (id, household_id, gateway_id, place, kind) values (?, ?, ?, ?, ?)",
          device.id(), h.id(), device.gatewayId(), device.place(), device.kind());
    }
    HouseholdRules r = h.rules();
    AlertJdbc.update(c, "insert into sensor_household_rules (household_id, heat_temp_deci, heat_humidity_deci,"
        + " cold_temp_deci) values (?, ?, ?, ?)", h.id(), r.heatTempDeci(), r.heatHumidityDeci(), r.coldTempDeci());
  }

  /** The municipality the household's use is counted in (null: 不明). */
  static void placeIn(Connection c, String householdId, String municipalityCode) throws SQLException {
    AlertJdbc.update(c, "update sensor_households set municipality_code = ? where id = ?", municipalityCode,
        householdId);
  }

  static Optional<Household> byId(Connection c, String id) throws SQLException {
    Optional<Household> bare = AlertJdbc.one(c, "select " + COLUMNS + " from sensor_households where id = ?",
        HouseholdSql::bare, id);
    return bare.isEmpty() ? bare : Optional.of(complete(c, bare.get()));
  }

  /**
   * What the rules need of a household as its readings arrive ({@link AlertRules}): the household with its
   * thresholds (no contacts, no devices), its last door event ({@link Long#MIN_VALUE} when none) and
   * whether a no-activity episode is open, in one statement. Looked up for every household of every
   * batch (10 a batch, 17 batches a second at 10,000 households): the whole household was six.
   */
  static Optional<RuleLook> forRules(Connection c, String id) throws SQLException {
    return AlertJdbc.one(c, "select " + COLUMNS + ", r.heat_temp_deci, r.heat_humidity_deci, r.cold_temp_deci,"
        + " a.last_door_ms, exists (select 1 from sensor_alerts x where x.household_id = ?"
        + " and coalesce(x.device_id, '') = '' and x.kind = ?"
        + " and x.state <> 'resolved') as quiet_open"
        + " from sensor_households left join sensor_household_rules r on r.household_id = sensor_households.id"
        + " left join sensor_household_activity a on a.household_id = sensor_households.id"
        + " where sensor_households.id = ?", rs -> {
          Household h = bare(rs);
          int heat = rs.getInt("heat_temp_deci");
          HouseholdRules rules = rs.wasNull() ? HouseholdRules.DEFAULTS
              : new HouseholdRules(heat, rs.getInt("heat_humidity_deci"), rs.getInt("cold_temp_deci"));
          long lastDoor = rs.getLong("last_door_ms");
          lastDoor = rs.wasNull() ? Long.MIN_VALUE : lastDoor;
          return new RuleLook(new Household(h.id(), h.patientId(), h.registerPersonKey(), h.residentName(),
              h.address(), h.district(), h.phone(), h.status(), h.consent(), h.noActivityHours(), h.enrolledBy(),
              h.enrolledAt(), h.withdrawnAt(), List.of(), List.of(), rules), lastDoor, rs.getBoolean("quiet_open"));
        }, id, AlertKind.NO_ACTIVITY.code(), id);
  }

  /** A household as the rules look at it on arrival: see {@link #forRules}. */
  record RuleLook(Household household, long lastDoorMs, boolean quietOpen) {}

  /** Every household, newest enrolment first, with contacts and devices. */
  static List<Household> all(Connection c) throws SQLException {
    List<Household> bare = AlertJdbc.list(c, "select " + COLUMNS + " from sensor_households order by enrolled_at desc",
        HouseholdSql::bare);
    List<Household> out = new java.util.ArrayList<>();
    for (Household h : bare) {
      out.add(complete(c, h));
    }
    return out;
  }

  /** The households of a patient (one active at most; withdrawn ones stay for their history). */
  static List<String> idsOfPatient(Connection c, String patientId) throws SQLException {
    return AlertJdbc.list(c, "select id from sensor_households where patient_id = ? order by enrolled_at",
        rs -> rs.getString(1), patientId);
  }

  static boolean activeForPatient(Connection c, String patientId) throws SQLException {
    return AlertJdbc.one(c, "select 1 from sensor_households where patient_id = ? and status = 'active'",
        rs -> true, patientId).isPresent();
  }

  static boolean activeForPerson(Connection c, String personKey) throws SQLException {
    return AlertJdbc.one(c, "select 1 from sensor_households where register_person_key = ? and status = 'active'",
        rs -> true, personKey).isPresent();
  }

  static List<String> activeIds(Connection c) throws SQLException {
    return AlertJdbc.list(c, "select id from sensor_households where status = 'active'", rs -> rs.getString(1));
  }

  static boolean withdraw(Connection c, String id, String by, String at) throws SQLException {
    return AlertJdbc.update(c, "update sensor_households set status = 'withdrawn', withdrawn_by = ?, withdrawn_at = ?"
        + " where id = ? and status = 'active'", by, at, id) == 1;
  }

  static boolean deviceExists(Connection c, String deviceId) throws SQLException {
    return AlertJdbc.one(c, "select 1 from sensor_devices where id = ?", rs -> true, deviceId).isPresent();
  }

  static boolean gatewayActive(Connection c, String gatewayId) throws SQLException {
    return AlertJdbc.one(c, "select 1 from sensor_gateways where id = ? and status = 'active'", rs -> true, gatewayId)
        .isPresent();
  }

  /** Keeps the household's last door event (a later one only: readings may arrive out of order). */
  static void doorSeen(Connection c, String householdId, long atMs) throws SQLException {
    AlertJdbc.update(c, "insert into sensor_household_activity (household_id, last_door_ms) values (?, ?)"
        + " on conflict (household_id) do update set last_door_ms = max(last_door_ms, excluded.last_door_ms)",
        householdId, atMs);
  }

  /**
   * {@link #doorSeen} for many households in one statement (the ingest's transaction: a gateway's
   * minute names ten households), from a JSON array of [household id, time].
   */
  static void doorsSeen(Connection c, Map<String, Long> latest) throws SQLException {
    if (latest.isEmpty()) {
      return;
    }
    JsonArray rows = new JsonArray();
    latest.forEach((household, atMs) -> rows.add(new JsonArray().add(household).add(atMs)));
    AlertJdbc.update(c, "insert into sensor_household_activity (household_id, last_door_ms) select value ->> 0,"
        + " value ->> 1 from json_each(?) where true on conflict (household_id)"
        + " do update set last_door_ms = max(last_door_ms, excluded.last_door_ms)", rows.encode());
  }

  /** An active household the timer looks at: its own hours, when it was enrolled, its last door event if kept. */
  record Quiet(String id, Integer noActivityHours, String enrolledAt, String residentName, Long lastDoorMs) {}

  /** The active households without an open no-activity alert, one row each. */
  static List<Quiet> withoutOpenNoActivity(Connection c) throws SQLException {
    return AlertJdbc.list(c, "select h.id, h.no_activity_hours, h.enrolled_at, h.resident_name, a.last_door_ms"
        + " from sensor_households h left join sensor_household_activity a on a.household_id = h.id"
        + " where h.status = 'active' and not exists (select 1 from sensor_alerts x where x.household_id = h.id"
        + " and x.kind = 'no_activity' and x.state <> 'resolved')", rs -> new Quiet(rs.getString(1),
        AlertJdbc.integer(rs, "no_activity_hours"), rs.getString(3), rs.getString(4),
        AlertJdbc.longOrNull(rs, "last_door_ms")));
  }

  /** A device of an active household silent since before {@code beforeMs}, without an open alert of that. */
  record Silent(String deviceId, String householdId, String place, long lastSeenMs, String gatewayId) {}

  static List<Silent> silentDevices(Connection c, long beforeMs) throws SQLException {
    return AlertJdbc.list(c, "select d.id, d.household_id, d.place, d.last_seen_ms, d.gateway_id from sensor_devices d"
        + " join sensor_households h on h.id = d.household_id where h.status = 'active' and d.last_seen_ms < ?"
        + " and not exists (select 1 from sensor_alerts x where x.household_id = d.household_id"
        + " and x.device_id = d.id and x.kind = 'device_silent' and x.state <> 'resolved')",
        rs -> new Silent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5)), beforeMs);
  }

  static void insertScan(Connection c, String id, String sha256, String mediaType, String fileName, long size,
      String by, String at) throws SQLException {
    AlertJdbc.update(c, "insert into sensor_consent_scans (id, sha256, media_type, file_name, size, uploaded_by,"
        + " uploaded_at) values (?, ?, ?, ?, ?, ?, ?)", id, sha256, mediaType, fileName, size, by, at);
  }

  /** A scan's content hash, media type and file name. */
  record Scan(String id, String sha256, String mediaType, String fileName) {}

  static Optional<Scan> scan(Connection c, String id) throws SQLException {
    return AlertJdbc.one(c, "select id, sha256, media_type, file_name from sensor_consent_scans where id = ?",
        rs -> new Scan(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), id);
  }

  private static Household complete(Connection c, Household h) throws SQLException {
    List<Household.Contact> contacts = AlertJdbc.list(c, "select ordinal, name, relation, phone, mail from"
        + " sensor_household_contacts where household_id = ? order by ordinal", rs -> new Household.Contact(rs.getInt(1),
        rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)), h.id());
    List<Household.Device> devices = AlertJdbc.list(c, "select id, gateway_id, place, kind, last_seen_ms, battery from"
        + " sensor_devices where household_id = ? order by id", rs -> new Household.Device(rs.getString(1),
        rs.getString(2), rs.getString(3), rs.getString(4), AlertJdbc.longOrNull(rs, "last_seen_ms"),
        AlertJdbc.integer(rs, "battery")), h.id());
    HouseholdRules rules = AlertJdbc.one(c, "select heat_temp_deci, heat_humidity_deci, cold_temp_deci from"
        + " sensor_household_rules where household_id = ?", rs -> new HouseholdRules(rs.getInt(1), rs.getInt(2),
        rs.getInt(3)), h.id()).orElse(HouseholdRules.DEFAULTS);
    return new Household(h.id(), h.patientId(), h.registerPersonKey(), h.residentName(), h.address(), h.district(),
        h.phone(), h.status(), h.consent(), h.noActivityHours(), h.enrolledBy(), h.enrolledAt(), h.withdrawnAt(),
        contacts, devices, rules);
  }

  private static Household bare(ResultSet rs) throws SQLException {
    return new Household(rs.getString("id"), rs.getString("patient_id"), rs.getString("register_person_key"),
        rs.getString("resident_name"), rs.getString("address"), rs.getString("district"), rs.getString("phone"),
        rs.getString("status"), new Household.Consent(rs.getString("consent_by"), rs.getString("consent_relation"),
        rs.getString("consent_at"), rs.getString("consent_scan_id")), AlertJdbc.integer(rs, "no_activity_hours"),
        rs.getString("enrolled_by"), rs.getString("enrolled_at"), rs.getString("withdrawn_at"), List.of(), List.of(),
        HouseholdRules.DEFAULTS);
  }
}
