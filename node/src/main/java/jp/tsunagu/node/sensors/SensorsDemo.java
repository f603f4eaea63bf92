package jp.tsunagu.node.sensors;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.feature.NodeServices;

/**
 * The demo's monitored households: three of the node's demo patients, each with a 玄関 and a 冷蔵庫
 * door sensor and a 居室 temperature/humidity sensor behind the node's demo gateway, and a week of
 * readings in a daily pattern (doors in the morning, at noon and in the evening; the room warming by
 * day) with their hourly aggregates, so the patient page's charts have something to show. The last
 * household goes quiet: its own no-activity hours run out a few minutes after the demo starts, so the
 * 見守りセンター screen shows its alert while the demo is watched. Seeding again adds nothing.
 */
final class SensorsDemo {

  static final int HOUSEHOLDS = 3;
  static final int DAYS = 7;
  /** The quiet household's own hours, and how soon after the start its alert falls due. */
  static final int QUIET_HOURS = 3;
  static final Duration QUIET_ALERT_AFTER = Duration.ofMinutes(2);
  private static final int[][] DOOR_TIMES = {{6, 40}, {7, 10}, {11, 50}, {15, 20}, {18, 10}, {21, 30}};
  private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

  private SensorsDemo() {}

  static void seed(NodeServices services, AuditLog audit, PatientAccess patients) {
    List<PatientAccess.Registered> registered = await(patients.registeredForStaff());
    if (registered.isEmpty()) {
      return;
    }
    String node = services.config().node().name();
    Instant now = Instant.now(services.clock());
    await(services.database().write(c -> {
      if (AlertJdbc.one(c, "select 1 from sensor_households", rs -> true).isPresent()) {
        return null;
      }
      Optional<String> staff = AlertJdbc.one(c, "select id from users where login_id = ?", rs -> rs.getString(1),
          node + "-gyosei");
      if (staff.isEmpty()) {
        return null;
      }
      String gateway = "demo-gw-" + node;
      AlertJdbc.update(c, "insert into sensor_gateways (id, name, provider, public_key, status, rate_per_minute,"
          + " issued_by, issued_at) values (?, ?, 'デモ事業者', 'demo: its readings are seeded, not delivered', 'active',"
          + " 600, ?, ?) on conflict do nothing", gateway, "デモ見守りゲートウェイ", staff.get(), now.toString());
      Random random = new Random(node.hashCode());
      List<PatientAccess.Registered> chosen = registered.subList(0, Math.min(HOUSEHOLDS, registered.size()));
      for (int i = 0; i < chosen.size(); i++) {
        boolean quiet = i == chosen.size() - 1;
        Household h = household(chosen.get(i), node, i, gateway, staff.get(), now, quiet);
        HouseholdSql.insert(c, h);
        HouseholdSql.placeIn(c, h.id(), chosen.get(i).municipalityCode());
        readings(c, h, now, quiet, random);
        audit.append(c, AuditEvent.success(staff.get(), "sensors.household.enrolled", "sensors:household:" + h.id(),
            new JsonObject().put("patient", h.patientId()).put("demo", true)));
      }
      return null;
    }));
  }

  private static Household household(PatientAccess.Registered p, String node, int i, String gateway, String staff,
      Instant now, boolean quiet) {
    String id = AlertIds.next();
    String local = p.address().replaceFirst("^.*?[市町村]", "");
    String district = local.replaceAll("[0-9０-９].*$", "");
    String suffix = node + "-" + (i + 1);
    List<Household.Device> devices = List.of(
        new Household.Device("demo-door-" + suffix, gateway, "entrance", "door", null, null),
        new Household.Device("demo-fridge-" + suffix, gateway, "fridge", "door", null, null),
        new Household.Device("demo-room-" + suffix, gateway, "room", "climate", null, null));
    String family = p.name().split(" ")[0];
    List<Household.Contact> contacts = List.of(new Household.Contact(1, family + " 由美", "長女",
        "090-0000-00" + (10 + i), "family-" + suffix + "@demo.invalid"));
    return new Household(id, p.id(), null, p.name(), p.address(), district.isEmpty() ? "中心部" : district,
        "0265-00-10" + (10 + i), "active", new Household.Consent(p.name(), "本人",
        LocalDate.ofInstant(now, JAPAN).minusDays(30).toString(), null), quiet ? QUIET_HOURS : null, staff,
        now.minus(Duration.ofDays(DAYS + 1)).toString(), null, contacts, devices, HouseholdRules.DEFAULTS);
  }

  /**
   * A week of doors and room climate, and the hourly aggregates of it. The quiet household's last door
   * event is its own hours before the start plus a little, so its alert falls due just after.
   */
  private static void readings(Connection c, Household h, Instant now, boolean quiet, Random random)
      throws SQLException {
    long lastDoorAllowed = quiet ? now.minus(Duration.ofHours(QUIET_HOURS)).plus(QUIET_ALERT_AFTER).toEpochMilli()
        : now.toEpochMilli();
    List<long[]> doors = new ArrayList<>();
    LocalDate today = LocalDate.ofInstant(now, JAPAN);
    for (LocalDate day = today.minusDays(DAYS); !day.isAfter(today); day = day.plusDays(1)) {
      for (int[] t : DOOR_TIMES) {
        long at = day.atTime(t[0], t[1]).atZone(JAPAN).toInstant().toEpochMilli() + random.nextInt(20) * 60_000L;
        if (at <= lastDoorAllowed) {
          doors.add(new long[] {at, 0});
          doors.add(new long[] {at + 60_000L + random.nextInt(60) * 1000L, 1});
        }
      }
    }
    if (quiet) {
      doors.add(new long[] {lastDoorAllowed, 0});
    }
    long sequence = 1;
    for (long[] door : doors) {
      String device = sequence % 3 == 0 ? h.devices().get(1).id() : h.devices().get(0).id();
      reading(c, device, sequence++, door[0], door[1] == 0 ? "open" : "close", null, null);
    }
    long start = now.minus(Duration.ofDays(DAYS)).toEpochMilli() / 3_600_000L * 3_600_000L;
    for (long hour = start; hour <= now.toEpochMilli(); hour += 3_600_000L) {
      int local = Instant.ofEpochMilli(hour).atZone(JAPAN).getHour();
      int temp = 215 + (int) Math.round(40 * Math.sin(Math.PI * (local - 8) / 12.0)) + random.nextInt(6);
      int humidity = 560 + random.nextInt(80);
      reading(c, h.devices().get(2).id(), sequence++, hour + 5 * 60_000L, "climate", temp, humidity);
    }
    HouseholdSql.doorSeen(c, h.id(), doors.stream().mapToLong(d -> d[0]).max().orElse(now.toEpochMilli()));
    AlertJdbc.update(c, "insert into sensor_hourly (household_id, hour_ms, door_events, climate_count, temp_min_deci,"
        + " temp_max_deci, temp_sum_deci, hum_min_deci, hum_max_deci, hum_sum_deci) select k.household_id,"
        + " r.at_ms / 3600000 * 3600000, sum(r.kind < 2), sum(r.kind = 2), min(r.temp_deci), max(r.temp_deci),"
        + " coalesce(sum(r.temp_deci), 0), min(r.humidity_deci), max(r.humidity_deci), coalesce(sum(r.humidity_deci), 0)"
        + " from sensor_readings r join sensor_household_keys k on k.key = r.household_key where k.household_id = ?"
        + " group by r.at_ms / 3600000", h.id());
  }

  private static void reading(Connection c, String device, long sequence, long at, String kind,
      Integer temp, Integer humidity) throws SQLException {
    ReadingSql.insertOne(c, device, sequence, at, kind, temp, humidity, 90, at);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the demo's watch sensors were not seeded within 60 s", e);
    }
  }
}
