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
import java.util.Optional;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.Boards;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.feature.TeamEventType.Arrival;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.feature.TeamEventType.Origin;

/**
 * Minutes of a meeting on a team homed elsewhere, recorded by its organiser on her own node: team
 * event {@value #RECORDED}, submitted to the patient's home node, which checks it and sequences it
 * like any partner's write; every member's node (hers too) then stores the minutes and posts them on
 * the board from the sequenced event. Her node stores nothing before the home node took it.
 *
 * <p>Data: {@code author} (profile), {@code meetingId}, {@code minutes}, {@code decisions},
 * {@code attended} (profiles of the members who attended), {@code noticeId} (the minutes' post on the
 * timeline), {@code recordedAt}. The one named object is the meeting.
 *
 * <p>The home node checks what it checks of its own organiser's minutes: the meeting is of this board
 * ({@code meetings.not_found}); the author is an active member ({@code sync.not_a_member}) who is its
 * organiser or the stand-in {@link MeetingAccess} names ({@code meetings.not_organizer}); it is not
 * cancelled ({@code meetings.cancelled}) and has started by the home node's clock
 * ({@code meetings.not_started}); minutes are given ({@code meetings.minutes_required}) and every
 * attendee is a participant ({@code meetings.participant_not_member}); the post is new
 * ({@code sync.object_exists}); a field missing or of the wrong type is {@code sync.event_malformed}.
 */
final class PartnerMinutes {

  static final String RECORDED = "meetings.minutes.recorded";

  private final Boards boards;
  private final AuditLog audit;
  private final MeetingAccess access;
  private final Clock clock;

  PartnerMinutes(Boards boards, AuditLog audit, MeetingAccess access, Clock clock) {
    this.boards = boards;
    this.audit = audit;
    this.access = access;
    this.clock = clock;
  }

  TeamEventType type() {
    return new TeamEventType(RECORDED, Origin.MEMBER_NODE, data -> List.of(requireText(data, "meetingId")),
        this::ofBoardIfHeld, this::recorded, new TeamEventType.Settler() {
          @Override
          public void accepted(Connection c, String boardId, Event event) throws SQLException {
            recorded(c, event, Arrival.SEQUENCED);
            MeetingSubmissions.taken(c, requireText(new JsonObject(event.data()), "noticeId"));
          }

          @Override
          public void refused(Connection c, String boardId, Event event, String code) throws SQLException {
            MeetingSubmissions.refused(c, requireText(new JsonObject(event.data()), "noticeId"), code,
                clock.instant().toString());
          }
        });
  }

  /** Sends her minutes of a meeting on a partner's board to its home node; the screen shows them waiting. */
  JsonObject submit(Connection c, Meeting m, String userId, String minutes, String decisions, List<String> attended)
      throws SQLException {
    JsonArray people = new JsonArray();
    for (String id : attended) {
      people.add(boards.profile(c, id));
    }
    String noticeId = TimelineNotices.newId();
    String now = clock.instant().toString();
    boards.recordEvent(c, m.boardId(), RECORDED, List.of(m.id()), new JsonObject()
        .put("author", boards.profile(c, userId)).put("meetingId", m.id()).put("minutes", minutes)
        .put("decisions", decisions).put("attended", people).put("noticeId", noticeId).put("recordedAt", now));
    MeetingSubmissions.pending(c, noticeId, m.id(), m.boardId(), userId, "minutes", m.title(), now);
    return new JsonObject().put("id", m.id()).put("boardId", m.boardId()).put("title", m.title())
        .put("syncState", "pending");
  }

  /** Another board's meeting is never named; one not held here is refused at home, skipped on a copy. */
  private void ofBoardIfHeld(Connection c, String boardId, Event event) throws SQLException {
    Optional<Meeting> held = MeetingSql.byId(c, event.targets().get(1));
    if (held.isPresent() && !held.get().boardId().equals(boardId)) {
      throw new SyncRejection("meetings.not_found", "no meeting " + event.targets().get(1) + " on board " + boardId);
    }
  }

  private List<LiveNotice> recorded(Connection c, Event event, Arrival arrival) throws SQLException {
    JsonObject data = new JsonObject(event.data());
    JsonObject author = object(data, "author");
    String authorId = boards.localUser(c, requireText(author, "id"), author);
    String noticeId = requireText(data, "noticeId");
    String meetingId = requireText(data, "meetingId");
    Instant at = time(data);
    boolean home = arrival == Arrival.SUBMITTED;
    String minutes = text(data, "minutes").strip();
    String decisions = text(data, "decisions").strip();
    String boardId = event.targets().get(0);
    Optional<Meeting> found = MeetingSql.byId(c, meetingId).filter(x -> x.boardId().equals(boardId));
    if (home) {
      check(c, found, boardId, authorId, minutes);
      if (boards.postExists(c, noticeId)) {
        throw new SyncRejection("sync.object_exists", "post " + noticeId + " already exists");
      }
    }
    if (found.isEmpty()) {
      return List.of(); // a copy follows what the home node took (a meeting it never held stays unknown here)
    }
    Meeting m = found.get();
    List<String> keys = m.participants().stream().map(Meeting.Participant::key).toList();
    List<String> present = new ArrayList<>();
    for (Object entry : array(data, "attended")) {
      if (!(entry instanceof JsonObject profile)) {
        throw SyncRejection.malformed("attended holds profiles");
      }
      String id = boards.localUser(c, requireText(profile, "id"), profile);
      if (keys.contains(id)) {
        present.add(id);
      } else if (home) {
        throw new SyncRejection("meetings.participant_not_member", id + " is not a participant");
      }
    }
    MeetingSql.minutes(c, m.id(), minutes, decisions, present, at.toString());
    Meeting recorded = MeetingSql.byId(c, m.id()).orElseThrow();
    if (home) {
      audit.append(c, AuditEvent.success(authorId, "meetings.minutes_recorded", "meeting:" + m.id(),
          new JsonObject().put("attended", present.size()).put("origin", event.origin()).put("event", event.id())));
    }
    boolean noticed = boards.noticeCarried(c, boardId, noticeId, authorId, author,
        MeetingNotices.body(recorded, MeetingNotices.Reason.MINUTES), at.toString());
    return noticed ? List.of(new LiveNotice(boardId, TimelineNotices.liveEvent(noticeId))) : List.of();
  }

  /** What the home node checks of minutes from a partner's node, as of its own organiser's. */
  private void check(Connection c, Optional<Meeting> found, String boardId, String authorId, String minutes)
      throws SQLException {
    if (found.isEmpty()) {
      throw new SyncRejection("meetings.not_found", "no such meeting on board " + boardId);
    }
    Meeting m = found.get();
    if (!boards.activeMember(c, boardId, authorId)) {
      throw new SyncRejection("sync.not_a_member", authorId + " is not a member of board " + boardId + " now");
    }
    if (!access.mayChange(c, m, authorId)) {
      throw new SyncRejection("meetings.not_organizer", authorId + " is not the meeting's organiser");
    }
    if (m.cancelled()) {
      throw new SyncRejection("meetings.cancelled", "the meeting is cancelled");
    }
    if (!access.started(m)) {
      throw new SyncRejection("meetings.not_started", "the meeting has not started");
    }
    if (minutes.isEmpty()) {
      throw new SyncRejection("meetings.minutes_required", "no minutes");
    }
  }

  private static String text(JsonObject data, String field) {
    if (!(data.getValue(field) instanceof String s)) {
      throw SyncRejection.malformed(field + " is not text");
    }
    return s;
  }

  private static Instant time(JsonObject data) {
    try {
      return Instant.parse(requireText(data, "recordedAt"));
    } catch (DateTimeParseException e) {
      throw SyncRejection.malformed("recordedAt is not a time");
    }
  }
}
