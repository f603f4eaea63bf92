package jp.tsunagu.node.meetings;

import static jp.tsunagu.node.care.replication.EventFields.array;
import static jp.tsunagu.node.care.replication.EventFields.object;
import static jp.tsunagu.node.care.replication.EventFields.requireText;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.Boards;
import jp.tsunagu.node.care.attachments.AttachmentType;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.feature.TeamEventType.Arrival;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.feature.TeamEventType.Origin;

/**
 * Meetings on a care team shared with partners, as two team events.
 *
 * <p>{@value #PUBLISHED} (home node only): the meeting as it now stands, sent on every change at the
 * patient's home node (scheduling, a change, a cancellation, an answer given there, minutes). Data:
 * {@code author} (who changed it), {@code meeting} (id, kind, title, startsAt, endsAt, place, online, videoProvider, videoUrl, agenda,
 * status, sequence, minutes, decisions, minutesAt), {@code organizer} (profile) and {@code participants}
 * (each {@code profile} for a professional or null for a family contact, {@code name}, {@code response},
 * {@code attended}). Family contacts' mail addresses never leave the home node. Its one named object is
 * the meeting. A member node checks, beyond what team sync checks of every event: the meeting is new here
 * or already of this board ({@code sync.object_exists}); the kind, times, status and answers are the
 * home node's own vocabulary ({@code sync.event_malformed}). It then keeps its copy of the meeting, so its
 * professionals find it in their 予定, are mailed the invitation, a change or the cancellation with the
 * iCalendar file, and are reminded, all by their own node.
 *
 * <p>{@value #RESPONDED} (a member's node, for its member): a partner participant's 出欠. Data:
 * {@code meetingId}, {@code author} (profile), {@code response}. The home node checks: the meeting is of
 * this board ({@code meetings.not_found}), not cancelled ({@code meetings.cancelled}), the author one of
 * its participants ({@code meetings.not_a_participant}), the answer one of three
 * ({@code meetings.invalid_response}); it records and audits the answer. Every node's copy takes it.
 */
final class MeetingEvents {

  static final String PUBLISHED = "meetings.meeting.published";
  static final String RESPONDED = "meetings.response.recorded";

  private final Boards boards;
  private final AuditLog audit;

  MeetingEvents(Boards boards, AuditLog audit) {
    this.boards = boards;
    this.audit = audit;
  }

  List<TeamEventType> types() {
    return List.of(
        new TeamEventType(PUBLISHED, Origin.HOME_NODE, data -> List.of(requireText(object(data, "meeting"), "id")),
            this::meetingOfBoardOrNew, (c, event, arrival) -> copy(c, event)),
        new TeamEventType(RESPONDED, Origin.MEMBER_NODE, data -> List.of(requireText(data, "meetingId")),
            this::meetingOfBoard, this::responded));
  }

  /**
   * Records the meeting as it stands for the board's partners (nothing when no partner shares the
   * board); {@code author} is who changed it (team sync checks every event's author).
   */
  void publish(Connection c, Meeting m, String author) throws SQLException {
    boards.recordEvent(c, m.boardId(), PUBLISHED, List.of(m.id()), published(c, m, author));
  }

  /** The data of {@value #PUBLISHED}: the meeting as it stands, its participants and its documents. */
  JsonObject published(Connection c, Meeting m, String author) throws SQLException {
    JsonArray people = new JsonArray();
    for (Meeting.Participant p : m.participants()) {
      people.add(new JsonObject().put("profile", p.family() ? null : boards.profile(c, p.userId()))
          .put("name", p.name()).put("response", p.response()).put("attended", p.attended()));
    }
    JsonObject meeting = new JsonObject().put("id", m.id()).put("kind", m.kind().code()).put("title", m.title())
        .put("startsAt", m.startsAt().toString()).put("endsAt", m.endsAt().toString()).put("place", m.place())
        .put("online", m.online()).put("videoProvider", m.videoProvider()).put("videoUrl", m.videoUrl())
        .put("agenda", m.agenda()).put("status", m.status()).put("sequence", m.sequence())
        .put("minutes", m.minutes()).put("decisions", m.decisions()).put("minutesAt", m.minutesAt());
    JsonArray documents = new JsonArray();
    JsonArray files = new JsonArray();
    for (Meeting.Document d : m.documents()) {
      // Kept by hash for the partner nodes on every publication, so a document added before they
      // could fetch one is servable too (a file it names that the home node does not serve would
      // hold up the board's feed on the partner).
      Optional<MeetingSql.Content> content = MeetingSql.document(c, m.id(), d.id());
      Optional<AttachmentType> type = content.flatMap(x -> AttachmentType.detect(x.bytes()));
      if (type.isPresent()) {
        String sha256 = boards.shareFile(c, m.boardId(), content.get().bytes(), type.get());
        documents.add(new JsonObject().put("id", d.id()).put("name", d.name()).put("sha256", sha256));
        files.add(sha256);
      }
    }
    return new JsonObject()
        .put("author", boards.profile(c, author)).put("meeting", meeting)
        .put("organizer", boards.profile(c, m.organizerId())).put("participants", people)
        .put("documents", documents).put("files", files);
  }

  /** A partner participant's answer, for the patient's home node. */
  void respond(Connection c, Meeting m, String userId, String response) throws SQLException {
    boards.recordEvent(c, m.boardId(), RESPONDED, List.of(m.id()), new JsonObject().put("meetingId", m.id())
        .put("author", boards.profile(c, userId)).put("response", response));
  }

  private void meetingOfBoardOrNew(Connection c, String boardId, Event event) throws SQLException {
    Optional<Meeting> found = MeetingSql.byId(c, event.targets().get(1));
    if (found.isPresent() && !found.get().boardId().equals(boardId)) {
      throw new SyncRejection("sync.object_exists", "meeting " + event.targets().get(1) + " is of another board");
    }
  }

  private void meetingOfBoard(Connection c, String boardId, Event event) throws SQLException {
    if (MeetingSql.byId(c, event.targets().get(1)).filter(m -> m.boardId().equals(boardId)).isEmpty()) {
      throw new SyncRejection("meetings.not_found", "no meeting " + event.targets().get(1) + " on board " + boardId);
    }
  }

  private List<LiveNotice> copy(Connection c, Event event) throws SQLException {
    String boardId = event.targets().get(0);
    JsonObject data = new JsonObject(event.data());
    JsonObject m = object(data, "meeting");
    MeetingKind kind = MeetingKind.ofCode(requireText(m, "kind")).orElseThrow(() ->
        SyncRejection.malformed("unknown kind of meeting"));
    String status = requireText(m, "status");
    if (!status.equals("scheduled") && !status.equals("cancelled")) {
      throw SyncRejection.malformed("unknown status " + status);
    }
    Instant starts;
    Instant ends;
    try {
      starts = Instant.parse(requireText(m, "startsAt"));
      ends = Instant.parse(requireText(m, "endsAt"));
    } catch (DateTimeParseException e) {
      throw SyncRejection.malformed("startsAt or endsAt is not a time");
    }
    if (!ends.isAfter(starts) || !(m.getValue("sequence") instanceof Number sequence)
        || !(m.getValue("online") instanceof Boolean online)) {
      throw SyncRejection.malformed("the meeting's times, sequence or online flag are malformed");
    }
    JsonObject organizer = object(data, "organizer");
    String organizerId = boards.localUser(c, requireText(organizer, "id"), organizer);
    List<Meeting.Participant> people = new ArrayList<>();
    int family = 0;
    for (Object entry : array(data, "participants")) {
      JsonObject p = entry instanceof JsonObject o ? o : new JsonObject();
      String response = requireText(p, "response");
      if (!Meetings.RESPONSES.contains(response) && !response.equals("pending")) {
        throw SyncRejection.malformed("unknown answer " + response);
      }
      boolean attended = Boolean.TRUE.equals(p.getValue("attended"));
      JsonObject profile = p.getValue("profile") instanceof JsonObject o ? o : null;
      if (profile == null) {
        people.add(new Meeting.Participant("family:" + (++family), null, "", requireText(p, "name"), response,
            attended));
      } else {
        String userId = boards.localUser(c, requireText(profile, "id"), profile);
        people.add(new Meeting.Participant(userId, userId, boards.email(c, userId).orElse(""),
            requireText(p, "name"), response, attended));
      }
    }
    String minutesAt = m.getValue("minutesAt") instanceof String s ? s : null;
    Optional<Meeting> before = MeetingSql.byId(c, requireText(m, "id"));
    MeetingSql.saveCopy(c, new Meeting(requireText(m, "id"), boardId, kind, requireText(m, "title"), starts, ends,
        requireText(m, "place"), online, requireText(m, "videoProvider"), requireText(m, "videoUrl"),
        requireText(m, "agenda"), status, sequence.intValue(), organizerId, requireText(m, "minutes"),
        requireText(m, "decisions"), minutesAt, people, List.of()), event.issuedAt().toString());
    copyDocuments(c, requireText(m, "id"), organizerId, data, event.issuedAt().toString());
    // This node mails its own participants as the home node mails its own: a new meeting, a change of
    // what it is (the sequence rose), a cancellation. An answer or minutes alone raise no sequence.
    MeetingNotices.Reason reason = before.isEmpty() ? MeetingNotices.Reason.INVITED
        : status.equals("cancelled") ? MeetingNotices.Reason.CANCELLED : MeetingNotices.Reason.CHANGED;
    if (before.isEmpty() || sequence.intValue() > before.get().sequence()) {
      MeetingSql.queueMail(c, requireText(m, "id"), sequence.intValue(), reason.name(), event.issuedAt().toString());
    }
    return List.of();
  }

  /**
   * The meeting's documents, whose files team sync fetched from the home node by hash before this
   * event was applied (each checked against its hash on arrival, and by content here as an upload is);
   * this node's participants then read them as the home node's do.
   */
  private void copyDocuments(Connection c, String meetingId, String organizerId, JsonObject data, String at)
      throws SQLException {
    for (Object entry : data.getJsonArray("documents", new JsonArray())) {
      JsonObject d = entry instanceof JsonObject o ? o : new JsonObject();
      String id = requireText(d, "id");
      String sha256 = requireText(d, "sha256");
      String name = requireText(d, "name");
      if (!sha256.matches("[0-9a-f]{64}") || name.length() > 200) {
        throw SyncRejection.malformed("a document's hash or name is malformed");
      }
      if (MeetingSql.documentExists(c, id)) {
        continue;
      }
      byte[] content = boards.arrivedFile(sha256).orElseThrow(() ->
          new SyncRejection("sync.attachment_missing", "document " + sha256 + " has not arrived"));
      AttachmentType type = AttachmentType.detect(content).filter(t -> t.allowsName(name)).orElseThrow(() ->
          new SyncRejection("meetings.document_unsupported", "document " + id + " is not of an accepted type"));
      MeetingSql.insertDocument(c, id, meetingId, name, type.mediaType(), content, organizerId, at);
    }
  }

  private List<LiveNotice> responded(Connection c, Event event, Arrival arrival) throws SQLException {
    JsonObject data = new JsonObject(event.data());
    JsonObject author = object(data, "author");
    String response = requireText(data, "response");
    if (!Meetings.RESPONSES.contains(response)) {
      throw new SyncRejection("meetings.invalid_response", "not an answer: " + response);
    }
    String userId = boards.localUser(c, requireText(author, "id"), author);
    Meeting m = MeetingSql.byId(c, requireText(data, "meetingId")).orElseThrow(() ->
        new SyncRejection("meetings.not_found", "no such meeting"));
    if (arrival == Arrival.SUBMITTED) {
      if (m.cancelled()) {
        throw new SyncRejection("meetings.cancelled", "the meeting is cancelled");
      }
      if (m.participant(userId).isEmpty()) {
        throw new SyncRejection("meetings.not_a_participant", requireText(author, "id") + " is not a participant");
      }
      audit.append(c, AuditEvent.success(userId, "meetings.responded", "meeting:" + m.id(),
          new JsonObject().put("response", response).put("origin", event.origin()).put("event", event.id())));
    }
    MeetingSql.respond(c, m.id(), userId, response);
    return List.of();
  }
}
