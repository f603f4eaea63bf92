package jp.tsunagu.node.meetings;

import static jp.tsunagu.node.care.replication.EventFields.array;
import static jp.tsunagu.node.care.replication.EventFields.object;
import static jp.tsunagu.node.care.replication.EventFields.requireText;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.Boards;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.feature.TeamEventType.Arrival;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.feature.TeamEventType.Origin;

/**
 * A change or a cancellation of a meeting on a team homed elsewhere, made by its organiser on her own
 * node: team events {@value #CHANGED} and {@value #CANCELLED}, submitted to the patient's home node,
 * which checks them and sequences them like any partner's write; every member's node (hers too) then
 * changes its copy from the sequenced event. Her node changes nothing before the home node took it.
 *
 * <p>{@value #CHANGED} data: {@code author} (profile), {@code meeting} (id and the form's fields as
 * {@link PartnerScheduling} sends them), {@code participants} (profiles of board members),
 * {@code noticeId} (the change's notice on the timeline), {@code changedAt}. {@value #CANCELLED} data:
 * {@code author}, {@code meetingId}, {@code noticeId}, {@code cancelledAt}. The one named object of
 * each is the meeting.
 *
 * <p>The home node checks, beyond what team sync checks of every event, what it checks of its own
 * member's change: the meeting is of this board ({@code meetings.not_found}); the author is an active
 * member ({@code sync.not_a_member}) who may change it as a member here may, its organiser or the
 * stand-in {@link MeetingAccess} names ({@code meetings.not_organizer}); it is neither cancelled
 * ({@code meetings.cancelled}) nor over ({@code meetings.ended}); the board is open
 * ({@code meetings.board_archived}); a change's form, participants and link as the form's
 * ({@code meetings.in_past}, {@code meetings.participant_not_member}, {@code meetings.link_not_https},
 * …); the notice is new ({@code sync.object_exists}). Each node then raises the meeting's
 * {@code SEQUENCE}, writes the notice and mails its own participants, as a change made at home does.
 * The home node's family contacts stay invited, with their answers (their addresses never leave it).
 */
final class PartnerChanges {

  static final String CHANGED = "meetings.meeting.changed";
  static final String CANCELLED = "meetings.meeting.cancelled";

  private final Boards boards;
  private final AuditLog audit;
  private final VideoLinks videoLinks;
  private final MeetingAccess access;
  private final Clock clock;

  PartnerChanges(Boards boards, AuditLog audit, VideoLinks videoLinks, MeetingAccess access, Clock clock) {
    this.boards = boards;
    this.audit = audit;
    this.videoLinks = videoLinks;
    this.access = access;
    this.clock = clock;
  }

  List<TeamEventType> types() {
    return List.of(
        new TeamEventType(CHANGED, Origin.MEMBER_NODE, data -> List.of(requireText(object(data, "meeting"), "id")),
            this::ofBoardIfHeld, this::changed, new Settled(this::changed)),
        new TeamEventType(CANCELLED, Origin.MEMBER_NODE, data -> List.of(requireText(data, "meetingId")),
            this::ofBoardIfHeld, this::cancelled, new Settled(this::cancelled)));
  }

  /** Sends her change of a meeting on a partner's board to its home node; the screen shows it waiting. */
  JsonObject submitChange(Connection c, Meeting m, String userId, MeetingInput input, VideoLinks.Video video)
      throws SQLException {
    JsonArray people = new JsonArray();
    for (String id : input.participantIds()) {
      if (!id.equals(m.organizerId())) {
        people.add(boards.profile(c, id));
      }
    }
    JsonObject form = PartnerScheduling.form(m.id(), input, video);
    String noticeId = TimelineNotices.newId();
    boards.recordEvent(c, m.boardId(), CHANGED, List.of(m.id()), new JsonObject()
        .put("author", boards.profile(c, userId)).put("meeting", form).put("participants", people)
        .put("noticeId", noticeId).put("changedAt", clock.instant().toString()));
    MeetingSubmissions.pending(c, noticeId, m.id(), m.boardId(), userId, "changed", input.title(),
        clock.instant().toString());
    return new JsonObject().put("id", m.id()).put("boardId", m.boardId()).put("title", input.title())
        .put("syncState", "pending");
  }

  /** Sends her cancellation of a meeting on a partner's board to its home node. */
  JsonObject submitCancel(Connection c, Meeting m, String userId) throws SQLException {
    String noticeId = TimelineNotices.newId();
    boards.recordEvent(c, m.boardId(), CANCELLED, List.of(m.id()), new JsonObject()
        .put("author", boards.profile(c, userId)).put("meetingId", m.id()).put("noticeId", noticeId)
        .put("cancelledAt", clock.instant().toString()));
    MeetingSubmissions.pending(c, noticeId, m.id(), m.boardId(), userId, "cancelled", m.title(),
        clock.instant().toString());
    return new JsonObject().put("id", m.id()).put("boardId", m.boardId()).put("title", m.title())
        .put("syncState", "pending");
  }

  /**
   * Her own event, settled by the home node: taken, her node changes its copy from it (the event is
   * not applied again when it comes back); refused, her screen says so with the reason.
   */
  private final class Settled implements TeamEventType.Settler {
    private final TeamEventType.Applier applier;

    Settled(TeamEventType.Applier applier) {
      this.applier = applier;
    }

    @Override
    public void accepted(Connection c, String boardId, Event event) throws SQLException {
      applier.apply(c, event, Arrival.SEQUENCED);
      MeetingSubmissions.taken(c, requireText(new JsonObject(event.data()), "noticeId"));
    }

    @Override
    public void refused(Connection c, String boardId, Event event, String code) throws SQLException {
      MeetingSubmissions.refused(c, requireText(new JsonObject(event.data()), "noticeId"), code,
          clock.instant().toString());
    }
  }

  /** Another board's meeting is never named; one not held here is refused at home, skipped on a copy. */
  private void ofBoardIfHeld(Connection c, String boardId, Event event) throws SQLException {
    Optional<Meeting> held = MeetingSql.byId(c, event.targets().get(1));
    if (held.isPresent() && !held.get().boardId().equals(boardId)) {
      throw new SyncRejection("meetings.not_found", "no meeting " + event.targets().get(1) + " on board " + boardId);
    }
  }

  /** What the change is about, checked at the home node as a change made there is; empty on a copy without it. */
  private Optional<Meeting> target(Connection c, Event event, String meetingId, String author, Arrival arrival,
      Instant now) throws SQLException {
    String boardId = event.targets().get(0);
    Optional<Meeting> m = MeetingSql.byId(c, meetingId).filter(x -> x.boardId().equals(boardId));
    if (arrival == Arrival.SEQUENCED) {
      return m; // a copy follows what the home node took (a meeting it never held stays unknown here)
    }
    if (m.isEmpty()) {
      throw new SyncRejection("meetings.not_found", "no meeting " + meetingId + " on board " + boardId);
    }
    if (!boards.activeMember(c, boardId, author)) {
      throw new SyncRejection("sync.not_a_member", author + " is not a member of board " + boardId + " now");
    }
    if (!access.mayChange(c, m.get(), author)) {
      throw new SyncRejection("meetings.not_organizer", author + " is not the meeting's organiser");
    }
    if (m.get().cancelled()) {
      throw new SyncRejection("meetings.cancelled", "the meeting is cancelled");
    }
    if (!m.get().endsAt().isAfter(now)) {
      throw new SyncRejection("meetings.ended", "the meeting is over");
    }
    if (!boards.board(c, boardId).map(Boards.Board::open).orElse(false)) {
      throw new SyncRejection("meetings.board_archived", "the board is archived");
    }
    return m;
  }

  private List<LiveNotice> changed(Connection c, Event event, Arrival arrival) throws SQLException {
    JsonObject data = new JsonObject(event.data());
    JsonObject form = object(data, "meeting");
    JsonObject author = object(data, "author");
    String authorId = boards.localUser(c, requireText(author, "id"), author);
    String noticeId = requireText(data, "noticeId");
    Instant at = time(data, "changedAt");
    boolean home = arrival == Arrival.SUBMITTED;
    Instant now = clock.instant();
    Optional<Meeting> found = target(c, event, requireText(form, "id"), authorId, arrival, now);
    if (found.isEmpty()) {
      return List.of();
    }
    Meeting current = found.get();
    List<String> ids = new ArrayList<>();
    for (Object entry : array(data, "participants")) {
      JsonObject profile = entry instanceof JsonObject o ? o : new JsonObject();
      ids.add(boards.localUser(c, requireText(profile, "id"), profile));
    }
    MeetingInput input;
    try {
      JsonObject body = form.copy().put("participants", new JsonArray(new ArrayList<>(ids)));
      body.remove("familyContacts");
      // A copy takes what the home node took (its clock may be past the start when the event arrives).
      input = MeetingInput.of(body, home ? now : Instant.EPOCH);
      if (home && input.online()) {
        videoLinks.check(MeetingInput.text(form, "videoProvider"), MeetingInput.text(form, "videoUrl"));
      }
    } catch (SyncRejection e) {
      throw e;
    } catch (CodedException e) {
      throw new SyncRejection(e.code(), e.getMessage());
    }
    if (home && boards.postExists(c, noticeId)) {
      throw new SyncRejection("sync.object_exists", "post " + noticeId + " already exists");
    }
    Meeting changed = new Meeting(current.id(), current.boardId(), input.kind(), input.title(), input.startsAt(),
        input.endsAt(), input.place(), input.online(), input.online() ? MeetingInput.text(form, "videoProvider")
            : "none", input.online() ? MeetingInput.text(form, "videoUrl") : "", input.agenda(), "scheduled",
        current.sequence() + 1, current.organizerId(), current.minutes(), current.decisions(), current.minutesAt(),
        participants(c, current, ids, home), current.documents());
    return told(c, event, changed, authorId, author, noticeId, at, MeetingNotices.Reason.CHANGED, home);
  }

  private List<LiveNotice> cancelled(Connection c, Event event, Arrival arrival) throws SQLException {
    JsonObject data = new JsonObject(event.data());
    JsonObject author = object(data, "author");
    String authorId = boards.localUser(c, requireText(author, "id"), author);
    String noticeId = requireText(data, "noticeId");
    Instant at = time(data, "cancelledAt");
    boolean home = arrival == Arrival.SUBMITTED;
    Optional<Meeting> found = target(c, event, requireText(data, "meetingId"), authorId, arrival, clock.instant());
    if (found.isEmpty() || found.get().cancelled()) {
      return List.of();
    }
    if (home && boards.postExists(c, noticeId)) {
      throw new SyncRejection("sync.object_exists", "post " + noticeId + " already exists");
    }
    Meeting m = found.get();
    Meeting cancelled = new Meeting(m.id(), m.boardId(), m.kind(), m.title(), m.startsAt(), m.endsAt(), m.place(),
        m.online(), m.videoProvider(), m.videoUrl(), m.agenda(), "cancelled", m.sequence() + 1, m.organizerId(),
        m.minutes(), m.decisions(), m.minutesAt(), m.participants(), m.documents());
    return told(c, event, cancelled, authorId, author, noticeId, at, MeetingNotices.Reason.CANCELLED, home);
  }

  /** Stores the meeting as it now is, audits it at home, and tells this node's participants and board. */
  private List<LiveNotice> told(Connection c, Event event, Meeting m, String authorId, JsonObject author,
      String noticeId, Instant at, MeetingNotices.Reason reason, boolean home) throws SQLException {
    MeetingSql.update(c, m, at.toString());
    if (home) {
      audit.append(c, AuditEvent.success(authorId, reason == MeetingNotices.Reason.CANCELLED ? "meetings.cancelled"
          : "meetings.changed", "meeting:" + m.id(), new JsonObject().put("sequence", m.sequence())
          .put("origin", event.origin()).put("event", event.id())));
    }
    // Each node mails its own participants (the meetings job, after this transaction).
    MeetingSql.queueMail(c, m.id(), m.sequence(), reason.name(), at.toString());
    boolean noticed = boards.noticeCarried(c, m.boardId(), noticeId, authorId, author, MeetingNotices.body(m, reason),
        at.toString());
    return noticed ? List.of(new LiveNotice(m.boardId(), TimelineNotices.liveEvent(noticeId))) : List.of();
  }

  /**
   * The organiser, the members chosen (each an active member at home; a copy keeps whom the home node
   * took) and the family contacts the meeting has, each keeping an answer already given.
   */
  private List<Meeting.Participant> participants(Connection c, Meeting current, List<String> ids, boolean home)
      throws SQLException {
    Map<String, Boards.Person> members = boards.activeMembers(c, current.boardId()).stream()
        .collect(Collectors.toMap(Boards.Person::userId, Function.identity()));
    Map<String, Meeting.Participant> before = current.participants().stream()
        .collect(Collectors.toMap(Meeting.Participant::key, Function.identity(), (a, b) -> a));
    List<String> all = new ArrayList<>(List.of(current.organizerId()));
    ids.stream().filter(id -> !all.contains(id)).forEach(all::add);
    List<Meeting.Participant> people = new ArrayList<>();
    for (String id : all) {
      Boards.Person person = members.get(id);
      if (person == null && home && !id.equals(current.organizerId())) {
        throw new SyncRejection("meetings.participant_not_member", id + " is not an active member of the board");
      }
      Meeting.Participant was = before.get(id);
      String response = was != null ? was.response() : id.equals(current.organizerId()) ? "attend" : "pending";
      String name = person != null ? person.name() : was != null ? was.name() : id;
      people.add(new Meeting.Participant(id, id, boards.email(c, id).orElse(""), name, response, false));
    }
    current.participants().stream().filter(Meeting.Participant::family).forEach(people::add);
    return people;
  }

  private static Instant time(JsonObject data, String field) {
    try {
      return Instant.parse(requireText(data, field));
    } catch (DateTimeParseException e) {
      throw SyncRejection.malformed(field + " is not a time");
    }
  }
}
