package jp.tsunagu.node.disaster;

import static jp.tsunagu.node.care.replication.EventFields.object;
import static jp.tsunagu.node.care.replication.EventFields.requireText;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.feature.TeamEventType.Arrival;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.feature.TeamEventType.Origin;

/**
 * The 安否確認 a partner's professional records for a patient whose team spans nodes: team event
 * {@value #TYPE}, made by a member's node for its member and submitted to the patient's home node.
 * Its data: {@code author} (profile), {@code status}, {@code shelter}, {@code note}, {@code recordedAt}
 * and {@code noticeId}, the id of the timeline notice it makes (its one named object: new everywhere).
 *
 * <p>What a receiving node checks beyond what team sync checks of every event (signatures, the board
 * it was sent for, an author of the signing node, the care-team scope):
 * <ul>
 *   <li>the home node (a submission): the author is an active member of the patient's team now
 *   ({@code sync.not_a_member}); the status is one of the seven and a 避難所 is named, the texts within
 *   the screen's limits ({@code disaster.invalid_safety_status}, {@code disaster.shelter_required},
 *   {@code sync.event_malformed}); a disaster is declared here ({@code disaster.not_declared}); staff
 *   confirmed the patient as a person of the current register whom a professional may see now
 *   ({@code disaster.person_not_found}); the record is open ({@code disaster.patient_archived}).
 *   Then it records the 安否確認 (who: the partner's professional), audits it, and writes the notice;
 *   the sequenced event carries the notice to the team's other nodes.
 *   <li>a member node (sequenced by the home): the notice's id is new, then the notice is written.
 * </ul>
 *
 * <p>On the recording member's own node the notice shows 送信待ち until the home node sequences the
 * event, and 送信できませんでした if the home node refuses it (team sync tells the type's settler).
 */
final class SafetyEvents {

  static final String TYPE = "disaster.safety.recorded";

  /** The limits of the 安否確認 form (web.TextInventory), held to a partner's event too. */
  static final int SHELTER_MAX = 60;
  static final int NOTE_MAX = 500;

  private final TimelineNotices notices;
  private final AuditLog audit;
  private final SafetyBoardRelay relay;

  SafetyEvents(TimelineNotices notices, AuditLog audit, SafetyBoardRelay relay) {
    this.notices = notices;
    this.audit = audit;
    this.relay = relay;
  }

  /** The event a member node signs for its professional's 安否確認 on a partner's patient. */
  static JsonObject data(JsonObject author, SafetyStatus status, String shelter, String note, Instant at,
      String noticeId) {
    return new JsonObject().put("author", author).put("status", status.code()).put("shelter", shelter)
        .put("note", note).put("recordedAt", at.toString()).put("noticeId", noticeId);
  }

  TeamEventType type() {
    return new TeamEventType(TYPE, Origin.MEMBER_NODE, data -> List.of(requireText(data, "noticeId")),
        this::noticeIsNew, (c, event, arrival) -> arrival == Arrival.SUBMITTED ? atHome(c, event) : onReplica(c, event),
        new NoticeSettler());
  }

  /**
   * This node's member's notice, written as 送信待ち when she recorded it: shown as sent once the home
   * node sequenced her record, as refused (送信できませんでした) when it refused it, never as recorded.
   */
  private final class NoticeSettler implements TeamEventType.Settler {

    @Override
    public void accepted(Connection c, String boardId, Event event) throws SQLException {
      notices.markSent(c, boardId, event.targets().get(1));
    }

    @Override
    public void refused(Connection c, String boardId, Event event, String code) throws SQLException {
      notices.markRefused(c, event.targets().get(1));
    }
  }

  private void noticeIsNew(Connection c, String boardId, Event event) throws SQLException {
    if (notices.postExists(c, event.targets().get(1))) {
      throw new SyncRejection("sync.object_exists", "post " + event.targets().get(1) + " already exists");
    }
  }

  /** What the record says, checked as the form is: a refusal names what is wrong. */
  private record Content(JsonObject author, SafetyStatus status, String shelter, String note, Instant at,
      String noticeId) {

    static Content of(Event event) {
      JsonObject data = new JsonObject(event.data());
      SafetyStatus status = SafetyStatus.fromCode(data.getValue("status") instanceof String s ? s : "")
          .orElseThrow(() -> new SyncRejection("disaster.invalid_safety_status", "not a 安否 status"));
      String shelter = requireText(data, "shelter").strip();
      String note = requireText(data, "note").strip();
      if (status == SafetyStatus.SHELTER && shelter.isEmpty()) {
        throw new SyncRejection("disaster.shelter_required", "避難所 names the shelter");
      }
      if (shelter.length() > SHELTER_MAX || note.length() > NOTE_MAX) {
        throw SyncRejection.malformed("shelter or note longer than the form allows");
      }
      try {
        return new Content(object(data, "author"), status, status == SafetyStatus.SHELTER ? shelter : "", note,
            Instant.parse(requireText(data, "recordedAt")), requireText(data, "noticeId"));
      } catch (DateTimeParseException e) {
        throw SyncRejection.malformed("recordedAt is not a time");
      }
    }

    String body() {
      return SafetyNotice.body(status, shelter, note, author, at);
    }
  }

  /** The home node: a partner member's 安否確認 of a patient homed here, checked, recorded and noticed. */
  private List<LiveNotice> atHome(Connection c, Event event) throws SQLException {
    String boardId = event.targets().get(0);
    Content content = Content.of(event);
    String author = notices.localUser(c, requireText(content.author(), "id"), content.author());
    if (!notices.activeMember(c, boardId, author)) {
      throw new SyncRejection("sync.not_a_member", author + " is not a member of board " + boardId + " now");
    }
    Optional<DeclarationSql.Declaration> declaration = DeclarationSql.open(c);
    if (declaration.isEmpty()) {
      throw new SyncRejection("disaster.not_declared", "no disaster is declared on the home node");
    }
    Optional<String> key = SafetySql.personOfPatient(c, boardId);
    Optional<RegisterPerson> person = (key.isEmpty() ? Optional.<RegisterPerson>empty()
        : SafetySql.currentPerson(c, key.get())).filter(p -> new Visibility(false, declaration).sees(p));
    if (person.isEmpty()) {
      throw new SyncRejection("disaster.person_not_found", "the patient is no person of the register a member may see");
    }
    if (!notices.open(c, boardId)) {
      throw new SyncRejection("disaster.patient_archived", "the patient's record is archived");
    }
    SafetySql.insert(c, new SafetySql.Check(DisasterIds.next(), declaration.get().id(), person.get().key(),
        person.get().district(), content.status().code(), content.shelter(), content.note(), author,
        content.at().toString()), person.get().municipalityCode());
    audit.append(c, AuditEvent.success(author, "disaster.safety.recorded", "disaster:person:" + person.get().key(),
        new JsonObject().put("declaration", declaration.get().id()).put("status", content.status().code())
            .put("origin", event.origin()).put("event", event.id())));
    notices.postCarried(c, boardId, content.noticeId(), author, content.author(), content.body(),
        content.at().toString());
    relay.recorded(person.get().district());
    return List.of(new LiveNotice(boardId, TimelineNotices.liveEvent(content.noticeId())));
  }

  /** A member node: the notice the home node accepted, on this node's copy of the timeline. */
  private List<LiveNotice> onReplica(Connection c, Event event) throws SQLException {
    String boardId = event.targets().get(0);
    Content content = Content.of(event);
    String author = notices.localUser(c, requireText(content.author(), "id"), content.author());
    boolean written = notices.postCarried(c, boardId, content.noticeId(), author, content.author(), content.body(),
        content.at().toString());
    return written ? List.of(new LiveNotice(boardId, TimelineNotices.liveEvent(content.noticeId()))) : List.of();
  }
}
