package jp.tsunagu.node.sensors;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.feature.TeamEventType.Arrival;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.feature.TeamEventType.Origin;
import jp.tsunagu.node.storage.Database;

/**
 * A monitored patient's sensor status for the partner nodes of the care team: team event
 * {@value #TYPE}, made by the board's home node only (where the household is enrolled and its readings
 * are). Its data: {@code author} (the 行政 user who enrolled the household, as for a timer escalation's
 * notice), {@code issuedAt}, {@code summary}: {@code monitored}, {@code status} (active / withdrawn),
 * {@code lastActivityMs} (the last door event, or null), {@code alerts} (at most {@value #MAX_ALERTS}
 * open ones: id, kind, state, raisedMs, escalatedMs). No names, no readings: what a team member needs to
 * know whether the resident is watched and whether the call centre is on it.
 *
 * <p>Chosen over a read the partner proxies to the home node: the tab then works when the home node is
 * unreachable (it shows when the summary was made), no new federation route or scope is needed, and
 * the team sync already carries only to nodes the board is shared with, in order, signed by the home
 * node. A summary is sent by the rules' timer when it changed: an alert raised, moved or closed, the
 * enrolment or withdrawal, or the last activity later by {@value #ACTIVITY_STEP_MINUTES} minutes.
 *
 * <p>What a receiving node checks beyond what team sync checks of every event (the home node only:
 * {@code sync.type_not_allowed}, {@code sync.not_home_node}; the board shared here:
 * {@code sync.board_not_shared}): the summary's fields and their kinds ({@code sensors.status_malformed}),
 * and that it is for a copy, never a board homed here ({@code sensors.status_not_a_copy}). An older
 * summary than the one kept is ignored (events may be fetched again after a restore). An alert shown
 * escalated is queued for the mail to this node's care managers of the team ({@link PartnerMails}).
 */
final class StatusSummaries {

  static final String TYPE = "sensors.status.summarised";
  static final int MAX_ALERTS = 20;
  static final int ACTIVITY_STEP_MINUTES = 30;
  private static final Set<String> STATES = Set.copyOf(Alert.STATE_LABELS.keySet());

  private final Database database;
  private final AuditLog audit;
  private final TimelineNotices notices;
  private final Clock clock;

  StatusSummaries(Database database, AuditLog audit, TimelineNotices notices, Clock clock) {
    this.database = database;
    this.audit = audit;
    this.notices = notices;
    this.clock = clock;
  }

  TeamEventType type() {
    return new TeamEventType(TYPE, Origin.HOME_NODE, TeamEventType.NOTHING_NAMED, TeamEventType.NO_OBJECT_CHECK,
        this::apply);
  }

  /**
   * Sends the summaries that changed, for the patients homed here: the rules' timer calls it. Which
   * changed is found on a read connection; only those take the writer, where each is made again.
   */
  Future<Integer> sendChanged() {
    return database.read(c -> {
      List<String> changed = new ArrayList<>();
      for (String id : AlertJdbc.list(c, "select id from sensor_households where patient_id is not null",
          rs -> rs.getString(1))) {
        if (due(c, HouseholdSql.byId(c, id).orElseThrow()).isPresent()) {
          changed.add(id);
        }
      }
      return changed;
    }).compose(changed -> changed.isEmpty() ? Future.succeededFuture(0) : database.write(c -> {
      long now = clock.millis();
      int sent = 0;
      for (String id : changed) {
        Household h = HouseholdSql.byId(c, id).orElseThrow();
        Optional<JsonObject> summary = due(c, h);
        if (summary.isPresent()) {
          send(c, h, summary.get(), now);
          sent++;
        }
      }
      return sent;
    }));
  }

  /** The household's summary, when it is of a board homed here, shared, and changed since it was last sent. */
  private Optional<JsonObject> due(Connection c, Household h) throws SQLException {
    if (notices.replica(c, h.patientId()) || !notices.open(c, h.patientId())) {
      return Optional.empty();
    }
    JsonObject summary = summary(c, h);
    Optional<JsonObject> last = AlertJdbc.one(c, "select summary from sensor_status_sent where household_id = ?",
        rs -> new JsonObject(rs.getString(1)), h.id());
    return last.isPresent() && !changed(last.get(), summary) ? Optional.empty() : Optional.of(summary);
  }

  private void send(Connection c, Household h, JsonObject summary, long now) throws SQLException {
    JsonObject data = new JsonObject().put("author", notices.profile(c, h.enrolledBy()))
        .put("issuedAt", Instant.ofEpochMilli(now).toString()).put("summary", summary);
    notices.recordEvent(c, h.patientId(), TYPE, List.of(), data);
    AlertJdbc.update(c, "insert into sensor_status_sent (household_id, summary, sent_ms) values (?, ?, ?)"
        + " on conflict (household_id) do update set summary = excluded.summary, sent_ms = excluded.sent_ms",
        h.id(), summary.encode(), now);
  }

  /** Another state or alert is news at once; the last activity only when it moved on by a step. */
  private static boolean changed(JsonObject last, JsonObject now) {
    if (!last.getString("status").equals(now.getString("status")) || !last.getJsonArray("alerts")
        .equals(now.getJsonArray("alerts"))) {
      return true;
    }
    Long before = last.getLong("lastActivityMs");
    Long after = now.getLong("lastActivityMs");
    return after != null && (before == null || after - before >= ACTIVITY_STEP_MINUTES * 60_000L);
  }

  static JsonObject summary(Connection c, Household h) throws SQLException {
    JsonArray alerts = new JsonArray();
    for (Alert a : AlertSql.ofHousehold(c, h.id(), 100)) {
      if (a.open() && alerts.size() < MAX_ALERTS) {
        alerts.add(new JsonObject().put("id", a.id()).put("kind", a.kind().code()).put("state", a.state())
            .put("raisedMs", a.raisedMs()).put("escalatedMs", a.escalatedMs()));
      }
    }
    Long lastActivity = AlertJdbc.one(c, "select last_door_ms from sensor_household_activity where household_id = ?",
        rs -> rs.getLong(1), h.id()).orElse(null);
    return new JsonObject().put("monitored", h.active()).put("status", h.status()).put("lastActivityMs", lastActivity)
        .put("alerts", alerts);
  }

  private List<LiveNotice> apply(Connection c, Event event, Arrival arrival) throws SQLException {
    String boardId = event.targets().get(0);
    if (arrival == Arrival.SUBMITTED || !notices.replica(c, boardId)) {
      throw new SyncRejection("sensors.status_not_a_copy", "a sensor status is sent to a copy of the board only");
    }
    JsonObject data = new JsonObject(event.data());
    JsonObject summary = checked(data);
    String issuedAt = data.getString("issuedAt");
    Optional<String> kept = AlertJdbc.one(c, "select issued_at from sensor_partner_status where patient_id = ?",
        rs -> rs.getString(1), boardId);
    if (kept.isPresent() && Instant.parse(kept.get()).isAfter(Instant.parse(issuedAt))) {
      return List.of();
    }
    AlertJdbc.update(c, "insert into sensor_partner_status (patient_id, summary, issued_at, event_id) values"
        + " (?, ?, ?, ?) on conflict (patient_id) do update set summary = excluded.summary,"
        + " issued_at = excluded.issued_at, event_id = excluded.event_id", boardId, summary.encode(), issuedAt,
        event.id());
    PartnerMails.queue(c, boardId, summary.getJsonArray("alerts"), Instant.now(clock).toString());
    audit.append(c, AuditEvent.success("sync:" + event.origin(), "sensors.status.received", "patient:" + boardId,
        new JsonObject().put("event", event.id()).put("alerts", summary.getJsonArray("alerts").size())));
    return List.of();
  }

  /** The summary as this node will show it, every field of its kind; anything else refuses the event. */
  static JsonObject checked(JsonObject data) {
    try {
      Instant.parse(data.getString("issuedAt"));
      JsonObject s = data.getJsonObject("summary");
      Object last = s.getValue("lastActivityMs");
      JsonArray alerts = s.getJsonArray("alerts");
      boolean ok = s.getValue("monitored") instanceof Boolean && Set.of("active", "withdrawn")
          .contains(s.getString("status")) && (last == null || last instanceof Number n && n.longValue() >= 0)
          && alerts != null && alerts.size() <= MAX_ALERTS;
      JsonArray clean = new JsonArray();
      for (int i = 0; ok && i < alerts.size(); i++) {
        JsonObject a = alerts.getJsonObject(i);
        String id = a.getString("id");
        ok = id != null && id.matches("[A-Za-z0-9_-]{1,64}") && AlertKind.fromCode(a.getString("kind")).isPresent()
            && STATES.contains(a.getString("state")) && a.getValue("raisedMs") instanceof Number
            && (a.getValue("escalatedMs") == null || a.getValue("escalatedMs") instanceof Number);
        if (ok) {
          clean.add(new JsonObject().put("id", id).put("kind", a.getString("kind")).put("state", a.getString("state"))
              .put("raisedMs", a.getLong("raisedMs")).put("escalatedMs", a.getLong("escalatedMs")));
        }
      }
      if (!ok) {
        throw new SyncRejection("sensors.status_malformed", "the sensor status summary is not well formed");
      }
      return new JsonObject().put("monitored", s.getBoolean("monitored")).put("status", s.getString("status"))
          .put("lastActivityMs", last == null ? null : ((Number) last).longValue()).put("alerts", clean);
    } catch (ClassCastException | NullPointerException | java.time.format.DateTimeParseException e) {
      throw new SyncRejection("sensors.status_malformed", "the sensor status summary is not well formed");
    }
  }
}
