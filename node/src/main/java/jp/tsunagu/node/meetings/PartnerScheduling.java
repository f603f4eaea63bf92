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
 * A meeting set up by a partner's member on her own node for a team homed elsewhere: team event
 * {@value #TYPE}, made by her node and submitted to the patient's home node, which checks it and
 * sequences it like any partner's write; the sequenced event then brings the meeting to every
 * member's node (hers too: her node keeps nothing before the home node has taken it). Data:
 * {@code author} (profile; the organiser), {@code meeting} (id and the scheduling form's fields:
 * kind, title, date, time, durationMinutes, online, place, videoProvider, videoUrl, agenda),
 * {@code participants} (profiles of board members), {@code noticeId} (the invitation on the
 * timeline) and {@code scheduledAt}. Its one named object is the meeting, new on the home node.
 *
 * <p>The home node checks, beyond what team sync checks of every event: the author is an active
 * member now ({@code sync.not_a_member}); the board is open ({@code meetings.board_archived}); the
 * form as the home's own form is checked, with the same codes ({@code meetings.in_past},
 * {@code meetings.ends_before_start}, {@code meetings.invalid_kind}, …); each participant is an
 * active member ({@code meetings.participant_not_member}); the link by the home's rules
 * ({@code meetings.link_not_https}, {@code meetings.provider_not_allowed}); the meeting and the notice
 * are new ({@code sync.object_exists}). Family contacts are invited from the home node only (their
 * addresses never leave it). Every node then stores the meeting (organiser: the partner's member),
 * writes the invitation notice, and mails its own participants with the iCalendar file.
 */
final class PartnerScheduling {

  static final String TYPE = "meetings.meeting.scheduled";

  private final Boards boards;
  private final AuditLog audit;
  private final VideoLinks videoLinks;
  private final Clock clock;

  PartnerScheduling(Boards boards, AuditLog audit, VideoLinks videoLinks, Clock clock) {
    this.boards = boards;
    this.audit = audit;
    this.videoLinks = videoLinks;
    this.clock = clock;
  }

  TeamEventType type() {
    return new TeamEventType(TYPE, Origin.MEMBER_NODE, data -> List.of(requireText(object(data, "meeting"), "id")),
        this::newOrHeldOnCopy, this::apply, new TeamEventType.Settler() {
          // The writing node keeps nothing until the home node has taken the meeting: its own event,
          // come back sequenced, then makes its copy as it does on every other member's node.
          @Override
          public void accepted(Connection c, String boardId, Event event) throws SQLException {
            apply(c, event, Arrival.SEQUENCED);
            MeetingSubmissions.taken(c, requireText(new JsonObject(event.data()), "noticeId"));
          }

          // Her screen then says it could not be sent, and why, instead of waiting for ever.
          @Override
          public void refused(Connection c, String boardId, Event event, String code) throws SQLException {
            MeetingSubmissions.refused(c, requireText(new JsonObject(event.data()), "noticeId"), code,
                clock.instant().toString());
          }
        });
  }

  /**
   * Submits a meeting a member of this node sets up on a partner's patient (checked here as the form
   * is, then again at the home node); returns what the screen shows until the meeting comes back.
   */
  JsonObject submit(Connection c, String boardId, String userId, MeetingInput input, VideoLinks.Video video,
      List<Meeting.Participant> participants) throws SQLException {
    String id = MeetingIds.next();
    JsonArray people = new JsonArray();
    for (Meeting.Participant p : participants) {
      people.add(boards.profile(c, p.userId()));
    }
    String noticeId = TimelineNotices.newId();
    boards.recordEvent(c, boardId, TYPE, List.of(id), new JsonObject().put("author", boards.profile(c, userId))
        .put("meeting", form(id, input, video)).put("participants", people).put("noticeId", noticeId)
        .put("scheduledAt", clock.instant().toString()));
    MeetingSubmissions.pending(c, noticeId, id, boardId, userId, "scheduled", input.title(),
        clock.instant().toString());
    return new JsonObject().put("id", id).put("boardId", boardId).put("title", input.title())
        .put("syncState", "pending");
  }

  /** The scheduling form's fields as a partner's event carries them (a set-up or a change). */
  static JsonObject form(String id, MeetingInput input, VideoLinks.Video video) {
    java.time.ZonedDateTime start = input.startsAt().atZone(Meeting.JAPAN);
    return new JsonObject().put("id", id).put("kind", input.kind().code()).put("title", input.title())
        .put("date", start.toLocalDate().toString()).put("time", start.toLocalTime().toString())
        .put("durationMinutes", java.time.Duration.between(input.startsAt(), input.endsAt()).toMinutes())
        .put("online", input.online()).put("place", input.place()).put("videoProvider", video.provider())
        .put("videoUrl", video.url()).put("agenda", input.agenda());
  }

  /** New here; on a member's copy it may be held already, of this board (the event came twice). */
  private void newOrHeldOnCopy(Connection c, String boardId, Event event) throws SQLException {
    Optional<Meeting> held = MeetingSql.byId(c, event.targets().get(1));
    boolean copy = boards.board(c, boardId).map(Boards.Board::replica).orElse(false);
    if (held.isPresent() && !(copy && held.get().boardId().equals(boardId))) {
      throw new SyncRejection("sync.object_exists", "meeting " + event.targets().get(1) + " already exists");
    }
  }

  private List<LiveNotice> apply(Connection c, Event event, Arrival arrival) throws SQLException {
    String boardId = event.targets().get(0);
    JsonObject data = new JsonObject(event.data());
    JsonObject form = object(data, "meeting");
    String meetingId = requireText(form, "id");
    if (MeetingSql.byId(c, meetingId).isPresent()) {
      return List.of(); // a copy that holds it (checked to be of this board)
    }
    JsonObject author = object(data, "author");
    String organizer = boards.localUser(c, requireText(author, "id"), author);
    String noticeId = requireText(data, "noticeId");
    Instant at;
    try {
      at = Instant.parse(requireText(data, "scheduledAt"));
    } catch (DateTimeParseException e) {
      throw SyncRejection.malformed("scheduledAt is not a time");
    }
    boolean home = arrival == Arrival.SUBMITTED;
    if (home && !boards.activeMember(c, boardId, organizer)) {
      throw new SyncRejection("sync.not_a_member", organizer + " is not a member of board " + boardId + " now");
    }
    if (home && !boards.board(c, boardId).map(Boards.Board::open).orElse(false)) {
      throw new SyncRejection("meetings.board_archived", "the board is archived");
    }
    List<String> ids = new ArrayList<>();
    JsonArray chosen = new JsonArray();
    for (Object entry : array(data, "participants")) {
      JsonObject profile = entry instanceof JsonObject o ? o : new JsonObject();
      String userId = boards.localUser(c, requireText(profile, "id"), profile);
      ids.add(userId);
      chosen.add(userId);
    }
    MeetingInput input;
    // The home node checks the form as its own form is checked; a copy takes what the home node took
    // (its clock may be past the start by the time the event arrives).
    Instant now = home ? clock.instant() : Instant.EPOCH;
    try {
      JsonObject body = form.copy().put("participants", chosen);
      body.remove("familyContacts");
      input = MeetingInput.of(body, now);
      if (home) {
        videoLinks.check(MeetingInput.text(form, "videoProvider"), MeetingInput.text(form, "videoUrl"));
      }
    } catch (SyncRejection e) {
      throw e;
    } catch (CodedException e) {
      throw new SyncRejection(e.code(), e.getMessage());
    }
    List<Meeting.Participant> people = participants(c, boardId, organizer, ids, home);
    String provider = input.online() ? MeetingInput.text(form, "videoProvider") : "none";
    Meeting meeting = new Meeting(meetingId, boardId, input.kind(), input.title(), input.startsAt(), input.endsAt(),
        input.place(), input.online(), provider, input.online() ? MeetingInput.text(form, "videoUrl") : "",
        input.agenda(), "scheduled", 0, organizer, "", "", null, people, List.of());
    if (home && boards.postExists(c, noticeId)) {
      throw new SyncRejection("sync.object_exists", "post " + noticeId + " already exists");
    }
    if (home) {
      MeetingSql.insert(c, meeting, at.toString());
      audit.append(c, AuditEvent.success(organizer, "meetings.scheduled", "board:" + boardId, new JsonObject()
          .put("meeting", meetingId).put("participants", people.size()).put("origin", event.origin())
          .put("event", event.id())));
    } else {
      MeetingSql.saveCopy(c, meeting, at.toString());
    }
    // Each node mails its own participants (the meetings job, after this transaction).
    MeetingSql.queueMail(c, meetingId, 0, MeetingNotices.Reason.INVITED.name(), at.toString());
    boolean noticed = boards.noticeCarried(c, boardId, noticeId, organizer, author,
        MeetingNotices.body(meeting, MeetingNotices.Reason.INVITED), at.toString());
    return noticed ? List.of(new LiveNotice(boardId, TimelineNotices.liveEvent(noticeId))) : List.of();
  }

  /**
   * The organiser (attending) and the members chosen, each an active member of the board; the home
   * node refuses anyone else, a copy keeps whom the home node took.
   */
  private List<Meeting.Participant> participants(Connection c, String boardId, String organizer, List<String> ids,
      boolean home) throws SQLException {
    Map<String, Boards.Person> members = boards.activeMembers(c, boardId).stream()
        .collect(Collectors.toMap(Boards.Person::userId, Function.identity()));
    List<String> all = new ArrayList<>(List.of(organizer));
    ids.stream().filter(id -> !all.contains(id)).forEach(all::add);
    List<Meeting.Participant> people = new ArrayList<>();
    for (String id : all) {
      Boards.Person person = members.get(id);
      if (person == null && home) {
        throw new SyncRejection("meetings.participant_not_member", id + " is not an active member of the board");
      }
      String name = person != null ? person.name() : id;
      people.add(new Meeting.Participant(id, id, boards.email(c, id).orElse(""), name,
          id.equals(organizer) ? "attend" : "pending", false));
    }
    return people;
  }
}
