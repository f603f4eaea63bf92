package jp.tsunagu.node.sensors;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.storage.Database;

/**
 * The rules, evaluated as readings arrive ({@link #stored}) and on the timer ({@link #sweep}: silence is
 * itself an event). Each raises an alert once per episode: while an alert of the same rule and subject
 * is open, a further reading that meets the rule only adds to it (a door event during an open
 * no-activity alert is recorded on it as a step).
 */
final class AlertRules implements NewReadings {

  /** Where a raised alert is announced (the call-centre screens read their list again). */
  static final String ADDRESS = "tsunagu.sensors.alerts";

  private final Database database;
  private final AuditLog audit;
  private final Clock clock;
  private final RuleSettings settings;
  private final Escalations escalations;

  AlertRules(Database database, AuditLog audit, Clock clock, RuleSettings settings, Escalations escalations) {
    this.database = database;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
    this.escalations = escalations;
  }

  @Override
  public void stored(List<Reading> readings) {
    io.vertx.core.Context context = Vertx.currentContext();
    evaluate(context == null ? null : context.owner(), readings);
  }

  /**
   * {@link #stored}, with a future that completes once the alerts it raised are committed. What the
   * readings call for is found on a reader first: most batches raise nothing (no rule is met, or its
   * episode is open already) and the ingest's own write kept the last door event, so the single writer,
   * which the nurses' and everyone's writes wait on, is taken only for the households with something
   * to raise or to record, where it is looked at again.
   */
  Future<List<Alert>> evaluate(Vertx vertx, List<Reading> readings) {
    Map<String, List<Reading>> byHousehold = new LinkedHashMap<>();
    readings.forEach(r -> byHousehold.computeIfAbsent(r.householdId(), k -> new ArrayList<>()).add(r));
    return database.read(c -> {
      List<String> due = new ArrayList<>();
      for (Map.Entry<String, List<Reading>> entry : byHousehold.entrySet()) {
        Optional<HouseholdSql.RuleLook> look = HouseholdSql.forRules(c, entry.getKey())
            .filter(found -> found.household().active());
        if (look.isPresent() && callsForWriter(c, look.get(), entry.getValue())) {
          due.add(entry.getKey());
        }
      }
      return due;
    }).compose(due -> due.isEmpty() ? Future.succeededFuture(List.<Alert>of()) : database.write(c -> {
      long now = clock.millis();
      List<Alert> raised = new ArrayList<>();
      for (String id : due) {
        Optional<Household> household = HouseholdSql.byId(c, id).filter(Household::active);
        if (household.isPresent()) {
          raised.addAll(onReadings(c, household.get(), byHousehold.get(id), now));
        }
      }
      return raised;
    })).onSuccess(raised -> announce(vertx, raised));
  }

  /** Whether a household's readings meet a rule whose episode is not open, or bring a door event to record. */
  private boolean callsForWriter(Connection c, HouseholdSql.RuleLook look, List<Reading> readings)
      throws SQLException {
    Household h = look.household();
    Reading lastDoor = null;
    for (Reading r : readings) {
      if (door(r) && (lastDoor == null || r.atMs() > lastDoor.atMs())) {
        lastDoor = r;
      }
      if ((heat(h, r) && AlertSql.open(c, h.id(), AlertKind.HEAT, null).isEmpty())
          || (cold(h, r) && AlertSql.open(c, h.id(), AlertKind.COLD, null).isEmpty())
          || (lowBattery(r) && AlertSql.open(c, h.id(), AlertKind.LOW_BATTERY, r.deviceId()).isEmpty())) {
        return true;
      }
    }
    if (lastDoor == null) {
      return false;
    }
    return look.lastDoorMs() < lastDoor.atMs() || look.quietOpen();
  }

  private static boolean door(Reading r) {
    return "open".equals(r.kind()) || "close".equals(r.kind());
  }

  private static boolean heat(Household h, Reading r) {
    return "climate".equals(r.kind()) && r.tempDeci() != null && r.tempDeci() >= h.rules().heatTempDeci()
        && r.humidityDeci() != null && r.humidityDeci() >= h.rules().heatHumidityDeci();
  }

  private static boolean cold(Household h, Reading r) {
    return "climate".equals(r.kind()) && r.tempDeci() != null && r.tempDeci() <= h.rules().coldTempDeci();
  }

  private boolean lowBattery(Reading r) {
    return r.battery() != null && r.battery() <= settings.lowBatteryPercent();
  }

  private List<Alert> onReadings(Connection c, Household h, List<Reading> readings, long now) throws SQLException {
    List<Alert> raised = new ArrayList<>();
    Reading lastDoor = null;
    for (Reading r : readings) {
      if (door(r) && (lastDoor == null || r.atMs() > lastDoor.atMs())) {
        lastDoor = r;
      }
      if (heat(h, r)) {
        raise(c, h, AlertKind.HEAT, null, climate(r), now).ifPresent(raised::add);
      }
      if (cold(h, r)) {
        raise(c, h, AlertKind.COLD, null, climate(r), now).ifPresent(raised::add);
      }
      if (lowBattery(r)) {
        raise(c, h, AlertKind.LOW_BATTERY, r.deviceId(), new JsonObject().put("battery", r.battery())
            .put("place", r.place()), now).ifPresent(raised::add);
      }
    }
    if (lastDoor != null) {
      HouseholdSql.doorSeen(c, h.id(), lastDoor.atMs());
      Optional<Alert> quiet = AlertSql.open(c, h.id(), AlertKind.NO_ACTIVITY, null);
      if (quiet.isPresent()) {
        AlertSql.step(c, quiet.get().id(), now, "rules", "door_event", null,
            HouseholdPlaces.label(lastDoor.place()) + " " + local(lastDoor.atMs()));
      }
    }
    return raised;
  }

  /**
   * The timer's look at what silence means at {@code nowMs}: a household without a door event past its
   * deadline, a device or a gateway that stopped reporting; then the alerts left unacknowledged too long
   * are escalated. What is due is found on a reader, one row per household, so the writer is held only
   * to raise what is due.
   */
  Future<List<Alert>> sweep(Vertx vertx, long nowMs) {
    return database.read(c -> due(c, nowMs)).compose(due -> due.isEmpty() ? Future.succeededFuture(List.<Alert>of())
        : database.write(c -> {
          List<Alert> raised = new ArrayList<>();
          for (Alert alert : due) {
            raised(c, AlertSql.raiseOnce(c, alert)).ifPresent(raised::add);
          }
          return raised;
        })).onSuccess(raised -> announce(vertx, raised))
        .compose(raised -> escalateOverdue(vertx, nowMs).map(raised));
  }

  /** Escalates the call-centre alerts left unacknowledged for the configured minutes at {@code nowMs}. */
  Future<Void> escalateOverdue(Vertx vertx, long nowMs) {
    return escalations.overdue(vertx, nowMs - settings.escalateAfterMinutes() * 60_000L, nowMs);
  }

  private List<Alert> due(Connection c, long nowMs) throws SQLException {
    List<Alert> due = new ArrayList<>();
    List<String> silentGateways = AlertJdbc.list(c, "select id from sensor_gateways where status = 'active'"
        + " and last_seen_ms is not null and last_seen_ms < ?", rs -> rs.getString(1),
        nowMs - settings.gatewaySilentMinutes() * 60_000L);
    for (String gateway : silentGateways) {
      due.add(new Alert(AlertIds.next(), null, gateway, null, AlertKind.GATEWAY_SILENT, "staff", "raised", nowMs,
          new JsonObject().put("gatewayId", gateway), null, null, null, null));
    }
    for (HouseholdSql.Quiet h : HouseholdSql.withoutOpenNoActivity(c)) {
      // Every stored door event is kept as the household's last (V280 filled it from the readings before):
      // without one, the household has had none since its enrolment.
      long lastDoor = h.lastDoorMs() != null ? h.lastDoorMs() : Instant.parse(h.enrolledAt()).toEpochMilli();
      if (nowMs >= settings.noActivityDeadline(lastDoor, h.noActivityHours())) {
        due.add(alert(h.id(), AlertKind.NO_ACTIVITY, null, new JsonObject().put("lastDoorMs", lastDoor)
            .put("hours", settings.noActivityHours(lastDoor, h.noActivityHours()))
            .put("residentName", h.residentName()), nowMs));
      }
    }
    for (HouseholdSql.Silent d : HouseholdSql.silentDevices(c, nowMs - settings.deviceSilentHours() * 3_600_000L)) {
      if (!silentGateways.contains(d.gatewayId())) {
        due.add(alert(d.householdId(), AlertKind.DEVICE_SILENT, d.deviceId(), new JsonObject().put("place", d.place())
            .put("lastSeenMs", d.lastSeenMs()), nowMs));
      }
    }
    return due;
  }

  private static Alert alert(String householdId, AlertKind kind, String deviceId, JsonObject detail, long now) {
    return new Alert(AlertIds.next(), householdId, null, deviceId, kind, kind.audience(), "raised", now, detail, null,
        null, null, null);
  }

  private Optional<Alert> raise(Connection c, Household h, AlertKind kind, String deviceId, JsonObject detail,
      long now) throws SQLException {
    Alert alert = new Alert(AlertIds.next(), h.id(), null, deviceId, kind, kind.audience(), "raised", now,
        detail.put("residentName", h.residentName()), null, null, null, null);
    return raised(c, AlertSql.raiseOnce(c, alert));
  }

  private Optional<Alert> raised(Connection c, Optional<Alert> alert) throws SQLException {
    if (alert.isPresent()) {
      Alert a = alert.get();
      audit.append(c, AuditEvent.success("rules", "sensors.alert.raised", "sensors:alert:" + a.id(),
          new JsonObject().put("kind", a.kind().code()).put("household", a.householdId())
              .put("gateway", a.gatewayId())));
    }
    return alert;
  }

  private static void announce(Vertx vertx, List<Alert> raised) {
    if (vertx != null && !raised.isEmpty()) {
      vertx.eventBus().publish(ADDRESS, new JsonObject().put("raised", raised.size()));
    }
  }

  private static JsonObject climate(Reading r) {
    return new JsonObject().put("tempDeci", r.tempDeci()).put("humidityDeci", r.humidityDeci()).put("atMs", r.atMs());
  }

  private String local(long ms) {
    return Instant.ofEpochMilli(ms).atZone(settings.zone()).toLocalDateTime().toString().replace('T', ' ');
  }
}
