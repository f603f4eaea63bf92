package jp.tsunagu.node.sensors;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.storage.Database;

/**
 * The 見守りセンター's work on its alerts: the open ones oldest first with what it needs to phone (the
 * resident's phone and address, the family contacts in order), each call and its outcome, and the
 * alert's way from 発生 through 対応中 to 解決 (with the reason) or escalation; a visit's result closes
 * an alert. 行政 see every alert, the machine ones too (機器の異常), and may take the same steps. Every
 * read of a household's details and every step is audited; each step is also the alert's history.
 */
final class CallCentre {

  private static final int NOTE_MAX = 500;

  private final Database database;
  private final AuditLog audit;
  private final Clock clock;
  private final Escalations escalations;

  CallCentre(Database database, AuditLog audit, Clock clock, Escalations escalations) {
    this.database = database;
    this.audit = audit;
    this.clock = clock;
    this.escalations = escalations;
  }

  /** The open alerts the caller works (the call centre: its own audience; staff: all), oldest first. */
  Future<JsonObject> open(String userId, boolean staff) {
    return database.write(c -> {
      JsonArray out = new JsonArray();
      for (Alert a : AlertSql.openFor(c, staff ? null : "call_centre")) {
        out.add(withHousehold(c, a));
      }
      audit.append(c, AuditEvent.success(userId, "sensors.alerts.listed", "sensors:alerts",
          new JsonObject().put("count", out.size())));
      return new JsonObject().put("alerts", out).put("calls", outcomes());
    });
  }

  /** One alert with its household and its history; the call centre sees only its own audience's. */
  Future<JsonObject> one(String userId, boolean staff, String alertId) {
    return visible(userId, staff, alertId, "sensors.alert.read").compose(alert -> database.write(c -> {
      audit.append(c, AuditEvent.success(userId, "sensors.alert.read", "sensors:alert:" + alertId, new JsonObject()));
      return withHousehold(c, alert).put("steps", Alert.steps(AlertSql.steps(c, alertId)));
    }));
  }

  /** Records a call: the alert is 対応中 from its first call on. */
  Future<JsonObject> call(Vertx vertx, String userId, boolean staff, String alertId, JsonObject body) {
    Optional<AlertCall> outcome = AlertCall.fromCode(text(body, "outcome"));
    String note = text(body, "note");
    if (outcome.isEmpty()) {
      return refuse(userId, alertId, "sensors.alert.call", CodedException.invalid("sensors.invalid_call_outcome",
          "電話の結果を 本人応答・無事 / 応答なし / 体調不良 / 要訪問 から選んでください。"));
    }
    return step(vertx, userId, staff, alertId, "sensors.alert.call", note, (c, alert, now) -> {
      AlertSql.move(c, alertId, List.of("raised"), "in_progress", "acknowledged_ms", now);
      AlertSql.step(c, alertId, now, userId, "call", outcome.get().code(), note);
      return Optional.empty();
    });
  }

  /** Closes the alert with the reason (解決). */
  Future<JsonObject> resolve(Vertx vertx, String userId, boolean staff, String alertId, JsonObject body) {
    String reason = text(body, "reason");
    if (reason.isEmpty()) {
      return refuse(userId, alertId, "sensors.alert.resolve", CodedException.invalid("sensors.reason_required",
          "解決の理由を入力してください。"));
    }
    return step(vertx, userId, staff, alertId, "sensors.alert.resolve", reason, (c, alert, now) -> {
      close(c, alertId, now, userId, "resolved", null, reason);
      return Optional.empty();
    });
  }

  /** Records the result of a visit by the family or the care manager, which closes the alert. */
  Future<JsonObject> visit(Vertx vertx, String userId, boolean staff, String alertId, JsonObject body) {
    String result = text(body, "result");
    if (result.isEmpty()) {
      return refuse(userId, alertId, "sensors.alert.visit", CodedException.invalid("sensors.visit_result_required",
          "訪問の結果を入力してください。"));
    }
    return step(vertx, userId, staff, alertId, "sensors.alert.visit", result, (c, alert, now) -> {
      close(c, alertId, now, userId, "visit", null, result);
      return Optional.empty();
    });
  }

  /** Escalates to the family contacts and the care manager now. */
  Future<JsonObject> escalate(Vertx vertx, String userId, boolean staff, String alertId, JsonObject body) {
    String note = text(body, "note");
    return step(vertx, userId, staff, alertId, "sensors.alert.escalate", note, (c, alert, now) -> {
      if (!alert.audience().equals("call_centre") || "escalated".equals(alert.state())) {
        throw CodedException.conflict("sensors.alert_not_escalatable", "このアラートは連絡済みか、連絡の対象ではありません。");
      }
      Household h = HouseholdSql.byId(c, alert.householdId()).orElseThrow();
      return Optional.of(escalations.escalate(c, alert, h, userId, note, now));
    });
  }

  private void close(Connection c, String alertId, long now, String userId, String step, String outcome,
      String text) throws SQLException {
    AlertSql.move(c, alertId, List.of("raised", "in_progress", "escalated"), "resolved", "resolved_ms", now);
    AlertSql.resolution(c, alertId, ("visit".equals(step) ? "訪問: " : "") + text);
    AlertSql.step(c, alertId, now, userId, step, outcome, text);
  }

  /** A step's work inside the write that also audits it; it may hand back an escalation to finish. */
  private interface StepWork {
    Optional<Escalations.Done> run(Connection c, Alert alert, long now) throws SQLException;
  }

  private Future<JsonObject> step(Vertx vertx, String userId, boolean staff, String alertId, String action, String note,
      StepWork work) {
    if (note.length() > NOTE_MAX) {
      return refuse(userId, alertId, action, CodedException.invalid("sensors.note_too_long",
          "メモは" + NOTE_MAX + "文字以内で入力してください。"));
    }
    return visible(userId, staff, alertId, action).compose(found -> database.write(c -> {
      Alert alert = AlertSql.byId(c, alertId).orElseThrow();
      if (!alert.open()) {
        throw CodedException.conflict("sensors.alert_closed", "このアラートはすでに解決済みです。");
      }
      long now = clock.millis();
      Optional<Escalations.Done> done = work.run(c, alert, now);
      audit.append(c, AuditEvent.success(userId, action, "sensors:alert:" + alertId, new JsonObject()));
      return new Result(withHousehold(c, AlertSql.byId(c, alertId).orElseThrow())
          .put("steps", Alert.steps(AlertSql.steps(c, alertId))), done);
    }).recover(e -> e instanceof CodedException coded && coded.kind() == CodedException.Kind.CONFLICT
        ? refuse(userId, alertId, action, coded) : Future.failedFuture(e))
        .compose(result -> result.done().map(d -> escalations.committed(vertx, d)).orElse(Future.succeededFuture())
            .map(result.answer())));
  }

  private record Result(JsonObject answer, Optional<Escalations.Done> done) {}

  private Future<Alert> visible(String userId, boolean staff, String alertId, String action) {
    return database.read(c -> AlertSql.byId(c, alertId)).compose(found -> {
      if (found.isPresent() && (staff || "call_centre".equals(found.get().audience()))) {
        return Future.succeededFuture(found.get());
      }
      return refuse(userId, alertId, action, CodedException.notFound("sensors.alert_not_found",
          "指定のアラートは見つかりません。"));
    });
  }

  private JsonObject withHousehold(Connection c, Alert a) throws SQLException {
    JsonObject json = a.toJson();
    if (a.householdId() != null) {
      HouseholdSql.byId(c, a.householdId()).ifPresent(h -> json.put("household", new JsonObject()
          .put("id", h.id()).put("residentName", h.residentName()).put("address", h.address())
          .put("district", h.district()).put("phone", h.phone())
          .put("contacts", new JsonArray(h.contacts().stream().map(Household.Contact::toJson).toList()))));
    }
    return json;
  }

  private static JsonArray outcomes() {
    JsonArray out = new JsonArray();
    for (AlertCall call : AlertCall.values()) {
      out.add(new JsonObject().put("code", call.code()).put("label", call.labelJa()));
    }
    return out;
  }

  static String text(JsonObject body, String field) {
    return body.getValue(field) instanceof String s ? s.strip() : "";
  }

  private <T> Future<T> refuse(String userId, String alertId, String action, CodedException refusal) {
    return audit.record(AuditEvent.refused(userId, action, "sensors:alert:" + alertId,
        new JsonObject().put("code", refusal.code()))).transform(ignored -> Future.failedFuture(refusal));
  }
}
