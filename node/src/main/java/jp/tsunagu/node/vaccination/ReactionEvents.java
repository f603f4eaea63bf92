package jp.tsunagu.node.vaccination;

import static jp.tsunagu.node.care.replication.EventFields.object;
import static jp.tsunagu.node.care.replication.EventFields.requireText;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.feature.TeamEventType.Arrival;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.feature.TeamEventType.Origin;

/**
 * An adverse reaction (副反応) added later to a dose of a shared team: team event {@value #TYPE}, made
 * by the node of the member who recorded it (the home node for its own members; a partner for its
 * members, submitted to the home node). Not {@code vaccination.dose.corrected}: a reaction is not a
 * new version of the dose and any member may add one, where a correction is made at the home node
 * only. Its data: {@code author} (profile), {@code reaction} (id, doseId, kind, onsetAt, outcome,
 * recordedAt); its named objects are the reaction's id (new on every node) and the dose's id.
 *
 * <p>What a receiving node checks beyond what team sync checks of every event: the reaction's id is
 * new and the dose is held here and of this board ({@code sync.object_exists},
 * {@code sync.object_not_on_board}; a copy that lacks the dose skips it); at the home node also the author is an active member of the
 * patient's team now ({@code sync.not_a_member}) and the reaction's fields as the form checks them
 * ({@code validation.required}, {@code vaccination.reaction_incomplete},
 * {@code vaccination.reaction_before_dose}).
 */
final class ReactionEvents {

  static final String TYPE = "vaccination.reaction.recorded";

  private final TimelineNotices notices;
  private final AuditLog audit;

  ReactionEvents(TimelineNotices notices, AuditLog audit) {
    this.notices = notices;
    this.audit = audit;
  }

  static JsonObject data(JsonObject author, DoseSql.Reaction reaction) {
    return new JsonObject().put("author", author).put("reaction", reaction.toJson().put("doseId", reaction.doseId()));
  }

  TeamEventType type() {
    return new TeamEventType(TYPE, Origin.MEMBER_NODE,
        data -> List.of(requireText(object(data, "reaction"), "id"), requireText(object(data, "reaction"), "doseId")),
        this::objects, this::apply);
  }

  private void objects(Connection c, String boardId, Event event) throws SQLException {
    String reactionId = event.targets().get(1);
    String doseId = event.targets().get(2);
    Optional<DoseSql.Stored> dose = DoseSql.byId(c, doseId);
    // A copy may hold the reaction already, on this dose (the board's history carried it, see
    // DoseHistory): the event then changes nothing. The home node refuses one it holds.
    if (DoseSql.reactionExists(c, reactionId) && !(notices.replica(c, boardId) && dose.isPresent()
        && dose.get().patientId().equals(boardId) && reactionOf(c, reactionId, doseId))) {
      throw new SyncRejection("sync.object_exists", "reaction " + reactionId + " already exists");
    }
    // A copy may lack a dose recorded before its node joined the team: the reaction is then skipped
    // there (see apply), never refused, so the board's feed goes on.
    boolean missingOnCopy = dose.isEmpty() && notices.replica(c, boardId);
    if (!missingOnCopy && (dose.isEmpty() || !dose.get().patientId().equals(boardId))) {
      throw new SyncRejection("sync.object_not_on_board", "dose " + doseId + " is not of board " + boardId);
    }
  }

  private static boolean reactionOf(Connection c, String reactionId, String doseId) throws SQLException {
    return DoseSql.reactions(c, doseId).stream().anyMatch(r -> r.id().equals(reactionId));
  }

  /**
   * Checks the reaction as the form does; throws the form's coded refusal. Shared by the form and the
   * home node's check of a partner's submission, so both refuse the same things with the same codes.
   */
  static DoseSql.Reaction check(DoseSql.Stored dose, String id, JsonObject body, String by, String at) {
    String kind = DoseInput.text(body, "kind");
    String outcome = DoseInput.text(body, "outcome");
    java.time.Instant onset = DoseInput.instant(body.getValue("onsetAt"), "発現日時");
    if (kind.isEmpty()) {
      throw CodedException.invalid("validation.required", "副反応の有無・種類を入力してください。");
    }
    boolean none = "none".equals(kind);
    if (!none && (onset == null || outcome.isEmpty())) {
      throw CodedException.invalid("vaccination.reaction_incomplete", "副反応の発現日時と転帰を入力してください。");
    }
    if (onset != null && onset.isBefore(java.time.Instant.parse(dose.givenAt()))) {
      throw CodedException.invalid("vaccination.reaction_before_dose", "副反応の発現日時が接種より前です。");
    }
    return new DoseSql.Reaction(id, dose.id(), kind, none ? null : onset.toString(), none ? "" : outcome, by, at);
  }

  private List<LiveNotice> apply(Connection c, Event event, Arrival arrival) throws SQLException {
    String boardId = event.targets().get(0);
    JsonObject data = new JsonObject(event.data());
    JsonObject fields = object(data, "reaction");
    JsonObject author = object(data, "author");
    String by = notices.localUser(c, requireText(author, "id"), author);
    if (arrival == Arrival.SUBMITTED && !notices.activeMember(c, boardId, by)) {
      throw new SyncRejection("sync.not_a_member", by + " is not a member of board " + boardId + " now");
    }
    Optional<DoseSql.Stored> held = DoseSql.byId(c, event.targets().get(2));
    if (held.isEmpty() || DoseSql.reactionExists(c, event.targets().get(1))) {
      return List.of();
    }
    DoseSql.Stored dose = held.get();
    String at = requireText(fields, "recordedAt");
    try {
      java.time.Instant.parse(at);
    } catch (java.time.format.DateTimeParseException e) {
      throw SyncRejection.malformed("recordedAt is not a time");
    }
    DoseSql.Reaction reaction;
    try {
      reaction = check(dose, event.targets().get(1), fields, by, at);
    } catch (SyncRejection e) {
      throw e;
    } catch (CodedException e) {
      throw new SyncRejection(e.code(), e.getMessage());
    }
    DoseSql.insertReaction(c, reaction);
    audit.append(c, AuditEvent.success(by, "vaccination.reaction.recorded", "patient:" + boardId,
        new JsonObject().put("dose", dose.id()).put("kind", reaction.kind()).put("origin", event.origin())
            .put("event", event.id())));
    return List.of();
  }
}
