package jp.tsunagu.node.family;

import static jp.tsunagu.node.care.replication.EventFields.object;
import static jp.tsunagu.node.care.replication.EventFields.requireText;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.feature.TeamEventType.Arrival;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.feature.TeamEventType.Origin;

/**
 * 訪問予定 on a board shared with partner nodes, as team events: the home node's team plans and cancels
 * visits and the events bring them to every partner's copy; a partner's member plans her own visit
 * and cancels it by submitting the event to the home node, which checks it and sequences it like any
 * partner's write (her node keeps nothing before the home node took it, as with a partner's meeting).
 *
 * <p>{@value #PLANNED}: data {@code author} (profile), {@code visit} (id, date, from, to, profession),
 * {@code plannedAt}; its named object is the visit, new on the home node. {@value #CANCELLED}: data
 * {@code author}, {@code visitId}, {@code cancelledAt}; its named object is a visit of the board.
 *
 * <p>Beyond what team sync checks of every event (the board it was sent for, an author of the signing
 * node, the named ids), the home node checks a partner's submission: the visit is new
 * ({@code sync.object_exists}) or, to cancel, a visit of this board ({@code family.visit_not_found});
 * the author is an active member now ({@code sync.not_a_member}); the form by the team's own rules
 * ({@code family.visit_date_invalid}, {@code family.visit_time_invalid},
 * {@code family.visit_profession_unknown}); a cancellation is of the author's own visit
 * ({@code family.visit_not_own}) still planned ({@code family.visit_not_found}). A copy takes what the
 * home node took.
 */
final class VisitEvents {

  static final String PLANNED = "family.visit.planned";
  static final String CANCELLED = "family.visit.cancelled";

  private final FamilyContext family;

  VisitEvents(FamilyContext family) {
    this.family = family;
  }

  List<TeamEventType> types() {
    return List.of(
        new TeamEventType(PLANNED, Origin.MEMBER_NODE, data -> List.of(requireText(object(data, "visit"), "id")),
            this::newOrHeldOnCopy, this::applyPlanned, appliedWhenAccepted(this::applyPlanned)),
        new TeamEventType(CANCELLED, Origin.MEMBER_NODE, data -> List.of(requireText(data, "visitId")),
            this::visitOfBoard, this::applyCancelled, appliedWhenAccepted(this::applyCancelled)));
  }

  /** The data of a visit planned by {@code userId}, for the board's log or a partner's submission. */
  JsonObject planned(Connection c, VisitSql.Visit v, String userId, String at) throws SQLException {
    return new JsonObject().put("author", family.notices().profile(c, userId)).put("visit", new JsonObject()
        .put("id", v.id()).put("date", v.date()).put("from", v.from()).put("to", v.to())
        .put("profession", v.profession())).put("plannedAt", at);
  }

  void recordPlanned(Connection c, VisitSql.Visit v, String userId, String at) throws SQLException {
    family.notices().recordEvent(c, v.patientId(), PLANNED, List.of(v.id()), planned(c, v, userId, at));
  }

  void recordCancelled(Connection c, String patientId, String visitId, String userId, String at) throws SQLException {
    family.notices().recordEvent(c, patientId, CANCELLED, List.of(visitId), new JsonObject()
        .put("author", family.notices().profile(c, userId)).put("visitId", visitId).put("cancelledAt", at));
  }

  /**
   * The writing node keeps nothing until the home node has taken its member's write: the event, come
   * back sequenced, then makes the change as on every other member's node.
   */
  private static TeamEventType.Settler appliedWhenAccepted(TeamEventType.Applier applier) {
    return new TeamEventType.Settler() {
      @Override
      public void accepted(Connection c, String boardId, Event event) throws SQLException {
        applier.apply(c, event, Arrival.SEQUENCED);
      }

      @Override
      public void refused(Connection c, String boardId, Event event, String code) {}
    };
  }

  /** New here; on a copy it may be held already, of this board (the event came twice). */
  private void newOrHeldOnCopy(Connection c, String boardId, Event event) throws SQLException {
    Optional<VisitSql.Stored> held = VisitSql.byId(c, event.targets().get(1));
    boolean copy = family.notices().replica(c, boardId);
    if (held.isPresent() && !(copy && held.get().visit().patientId().equals(boardId))) {
      throw new SyncRejection("sync.object_exists", "visit " + event.targets().get(1) + " already exists");
    }
  }

  /**
   * A visit of this board. A copy may lack it (a visit planned before the partner joined and cancelled
   * before its history reached the copy): the cancellation then changes nothing there.
   */
  private void visitOfBoard(Connection c, String boardId, Event event) throws SQLException {
    Optional<VisitSql.Stored> held = VisitSql.byId(c, event.targets().get(1));
    boolean lackedOnCopy = held.isEmpty() && family.notices().replica(c, boardId);
    if (!lackedOnCopy && held.filter(v -> v.visit().patientId().equals(boardId)).isEmpty()) {
      throw new SyncRejection("family.visit_not_found", "no visit " + event.targets().get(1) + " on board " + boardId);
    }
  }

  private List<LiveNotice> applyPlanned(Connection c, Event event, Arrival arrival) throws SQLException {
    String boardId = event.targets().get(0);
    JsonObject data = new JsonObject(event.data());
    JsonObject form = object(data, "visit");
    String visitId = requireText(form, "id");
    if (VisitSql.byId(c, visitId).isPresent()) {
      return List.of(); // a copy that holds it (checked to be of this board)
    }
    boolean home = arrival == Arrival.SUBMITTED;
    String author = author(c, data, home, boardId);
    String at = time(data, "plannedAt");
    if (visitId.length() > 64) {
      throw SyncRejection.malformed("the visit's id is too long");
    }
    VisitSql.Visit visit;
    try {
      visit = VisitForm.checked(visitId, boardId, form.getString("date"), form.getString("from"), form.getString("to"),
          form.getString("profession"), home ? Optional.of(LocalDate.now(family.services().clock()
              .withZone(FamilyContext.JAPAN))) : Optional.empty());
    } catch (CodedException e) {
      throw new SyncRejection(e.code(), e.getMessage());
    }
    VisitSql.insert(c, visit, author, at);
    if (home) {
      family.audit().append(c, AuditEvent.success(author, "family.visit.planned",
          FamilyContext.patientTarget(boardId), new JsonObject().put("visit", visitId).put("date", visit.date())
              .put("origin", event.origin()).put("event", event.id())));
    }
    return List.of();
  }

  private List<LiveNotice> applyCancelled(Connection c, Event event, Arrival arrival) throws SQLException {
    String boardId = event.targets().get(0);
    JsonObject data = new JsonObject(event.data());
    String visitId = requireText(data, "visitId");
    boolean home = arrival == Arrival.SUBMITTED;
    String author = author(c, data, home, boardId);
    String at = time(data, "cancelledAt");
    Optional<VisitSql.Stored> held = VisitSql.byId(c, visitId).filter(v -> v.visit().patientId().equals(boardId));
    if (held.isEmpty() && !home) {
      return List.of(); // a copy that never had it (see visitOfBoard)
    }
    VisitSql.Stored visit = held.orElseThrow(() -> new SyncRejection("family.visit_not_found",
        "no visit " + visitId + " on the board"));
    if (home && !visit.plannedBy().equals(author)) {
      throw new SyncRejection("family.visit_not_own", author + " did not plan visit " + visitId);
    }
    if (visit.cancelledAt().isPresent()) {
      if (home) {
        throw new SyncRejection("family.visit_not_found", "visit " + visitId + " is cancelled already");
      }
      return List.of(); // a copy that has the cancellation
    }
    VisitSql.cancel(c, boardId, visitId, at);
    if (home) {
      family.audit().append(c, AuditEvent.success(author, "family.visit.cancelled",
          FamilyContext.patientTarget(boardId), new JsonObject().put("visit", visitId)
              .put("origin", event.origin()).put("event", event.id())));
    }
    return List.of();
  }

  /** The author's users row; on the home node she must be an active member of the team now. */
  private String author(Connection c, JsonObject data, boolean home, String boardId) throws SQLException {
    JsonObject profile = object(data, "author");
    String author = family.notices().localUser(c, requireText(profile, "id"), profile);
    if (home && !family.notices().activeMember(c, boardId, author)) {
      throw new SyncRejection("sync.not_a_member", author + " is not a member of board " + boardId + " now");
    }
    return author;
  }

  private static String time(JsonObject data, String key) {
    try {
      return Instant.parse(requireText(data, key)).toString();
    } catch (DateTimeParseException e) {
      throw SyncRejection.malformed(key + " is not a time");
    }
  }
}
