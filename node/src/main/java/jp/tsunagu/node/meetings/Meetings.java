package jp.tsunagu.node.meetings;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.Boards;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;

/**
 * Meetings (ビデオ会議開催支援) as other features use them: scheduling from a board (a patient's team
 * or a group), changes, cancellation, 出欠 and minutes, each told on the board and by mail with the
 * meeting's iCalendar file. Only an active member of the board schedules; the organiser changes,
 * cancels and records the minutes; participants answer. Every read and write is audited.
 */
public final class Meetings {

  /** The answers a participant gives (出欠). */
  static final List<String> RESPONSES = List.of("attend", "decline", "tentative");

  private final NodeServices services;
  private final AuditLog audit;
  private final Boards boards;
  private final VideoLinks videoLinks;
  private final MeetingNotices notices;
  private final MeetingAccess access;
  private final MeetingEvents events;
  private final PartnerScheduling partnerScheduling;
  private final PartnerChanges partnerChanges;
  private final PartnerMinutes partnerMinutes;

  Meetings(NodeServices services, AuditLog audit, Boards boards, VideoLinks videoLinks, MeetingNotices notices,
      MeetingEvents events, PartnerScheduling partnerScheduling) {
    this.services = services;
    this.access = new MeetingAccess(services, audit, boards);
    this.partnerChanges = new PartnerChanges(boards, audit, videoLinks, access, services.clock());
    this.partnerMinutes = new PartnerMinutes(boards, audit, access, services.clock());
    this.partnerScheduling = partnerScheduling;
    this.events = events;
    this.audit = audit;
    this.boards = boards;
    this.videoLinks = videoLinks;
    this.notices = notices;
  }

  /** The node's video links (a review board's session takes one the same way). */
  public VideoLinks videoLinks() {
    return videoLinks;
  }

  /** Schedules a meeting on {@code body.boardId}, posts the invitation and mails the participants. */
  public Future<JsonObject> schedule(Vertx vertx, String userId, JsonObject body) {
    String boardId = MeetingInput.text(body, "boardId");
    Instant now = Instant.now(services.clock());
    return boards.forMember(userId, boardId, "meetings.schedule").compose(board -> {
      MeetingInput input = MeetingInput.of(body, now);
      if (!board.open()) {
        return Future.failedFuture(CodedException.conflict("meetings.board_archived", "このボードは終了しています。"));
      }
      VideoLinks.Video video = input.online() ? videoLinks.issue(input.videoProvider(), input.videoUrl())
          : VideoLinks.Video.NONE;
      if (board.replica()) {
        return submitToHome(userId, boardId, input, video);
      }
      return services.database().write(c -> {
        Meeting meeting = new Meeting(MeetingIds.next(), boardId, input.kind(), input.title(), input.startsAt(),
            input.endsAt(), input.place(), input.online(), video.provider(), video.url(), input.agenda(), "scheduled",
            0, userId, "", "", null, participants(c, boardId, userId, input, List.of()), List.of());
        MeetingSql.insert(c, meeting, now.toString());
        events.publish(c, meeting, userId);
        String postId = notices.post(c, meeting, userId, MeetingNotices.Reason.INVITED).orElse(null);
        audit.append(c, AuditEvent.success(userId, "meetings.scheduled", "board:" + boardId,
            new JsonObject().put("meeting", meeting.id()).put("participants", meeting.participants().size())));
        return new Sent(meeting, postId, access.json(c, meeting, userId));
      }).compose(sent -> told(vertx, sent, MeetingNotices.Reason.INVITED));
    });
  }

  /**
   * A meeting on a partner's patient: checked here as the form is, then sent to the patient's home
   * node, which checks it again and tells every member's node (this one too); until then nothing is
   * stored here and the screen says it was sent. Family contacts are invited from the home node.
   */
  private Future<JsonObject> submitToHome(String userId, String boardId, MeetingInput input, VideoLinks.Video video) {
    if (!input.family().isEmpty()) {
      return Future.failedFuture(CodedException.invalid("meetings.family_at_home_only",
          "ご家族の招待は、患者の登録先の地域のメンバーが行います。"));
    }
    return services.database().write(c -> {
      List<Meeting.Participant> people = participants(c, boardId, userId, input, List.of());
      JsonObject sent = partnerScheduling.submit(c, boardId, userId, input, video, people);
      audit.append(c, AuditEvent.success(userId, "meetings.submitted", "board:" + boardId,
          new JsonObject().put("meeting", sent.getString("id")).put("participants", people.size())));
      return sent;
    });
  }

  /** Changes what a meeting is (the organiser); SEQUENCE rises and everyone is told again. */
  public Future<JsonObject> change(Vertx vertx, String userId, String meetingId, JsonObject body) {
    Instant now = Instant.now(services.clock());
    return access.changer(userId, meetingId, "meetings.change").compose(before -> {
      MeetingInput input = MeetingInput.of(body, now);
      VideoLinks.Video video = !input.online() ? VideoLinks.Video.NONE
          : before.videoProvider().equals(input.videoProvider()) && input.videoProvider().equals(JitsiMeet.CODE)
              ? new VideoLinks.Video(JitsiMeet.CODE, before.videoUrl())
              : videoLinks.issue(input.videoProvider(), input.videoUrl());
      return services.database().write(c -> {
        if (boards.board(c, before.boardId()).map(Boards.Board::replica).orElse(false)) {
          return new Sent(null, null, changeAtHome(c, access.current(c, before), userId, input, video));
        }
        Meeting current = access.current(c, before);
        Meeting changed = new Meeting(current.id(), current.boardId(), input.kind(), input.title(), input.startsAt(),
            input.endsAt(), input.place(), input.online(), video.provider(), video.url(), input.agenda(), "scheduled",
            current.sequence() + 1, current.organizerId(), current.minutes(), current.decisions(), current.minutesAt(),
            participants(c, current.boardId(), current.organizerId(), input, current.participants()),
            current.documents());
        MeetingSql.update(c, changed, now.toString());
        events.publish(c, changed, userId);
        String postId = notices.post(c, changed, userId, MeetingNotices.Reason.CHANGED).orElse(null);
        audit.append(c, AuditEvent.success(userId, "meetings.changed", "meeting:" + meetingId,
            new JsonObject().put("sequence", changed.sequence())));
        return new Sent(changed, postId, access.json(c, changed, userId));
      }).compose(sent -> told(vertx, sent, MeetingNotices.Reason.CHANGED));
    });
  }

  /** Cancels a meeting (the organiser): a {@code METHOD:CANCEL} to everyone and a notice on the board. */
  public Future<JsonObject> cancel(Vertx vertx, String userId, String meetingId) {
    Instant now = Instant.now(services.clock());
    return access.changer(userId, meetingId, "meetings.cancel").compose(before -> services.database().write(c -> {
      Meeting current = access.current(c, before);
      if (boards.board(c, current.boardId()).map(Boards.Board::replica).orElse(false)) {
        JsonObject sent = partnerChanges.submitCancel(c, current, userId);
        audit.append(c, AuditEvent.success(userId, "meetings.cancel_submitted", "meeting:" + meetingId, null));
        return new Sent(null, null, sent);
      }
      Meeting cancelled = new Meeting(current.id(), current.boardId(), current.kind(), current.title(),
          current.startsAt(), current.endsAt(), current.place(), current.online(), current.videoProvider(),
          current.videoUrl(), current.agenda(), "cancelled", current.sequence() + 1, current.organizerId(),
          current.minutes(), current.decisions(), current.minutesAt(), current.participants(), current.documents());
      MeetingSql.update(c, cancelled, now.toString());
      events.publish(c, cancelled, userId);
      String postId = notices.post(c, cancelled, userId, MeetingNotices.Reason.CANCELLED).orElse(null);
      audit.append(c, AuditEvent.success(userId, "meetings.cancelled", "meeting:" + meetingId, null));
      return new Sent(cancelled, postId, access.json(c, cancelled, userId));
    })).compose(sent -> told(vertx, sent, MeetingNotices.Reason.CANCELLED));
  }

  /**
   * Her change of a meeting on a partner's patient: checked here as the form is, then sent to the
   * home node, which checks it again and tells every member's node (this one too); until then her
   * copy stays as it was and the screen says the change was sent. Family contacts are kept as the home
   * node has them (they are invited from there).
   */
  private JsonObject changeAtHome(Connection c, Meeting current, String userId, MeetingInput input,
      VideoLinks.Video video) throws SQLException {
    if (!input.family().isEmpty()) {
      throw CodedException.invalid("meetings.family_at_home_only", "ご家族の招待は、患者の登録先の地域のメンバーが行います。");
    }
    participants(c, current.boardId(), current.organizerId(), new MeetingInput(input.kind(), input.title(),
        input.startsAt(), input.endsAt(), input.place(), input.online(), input.videoProvider(), input.videoUrl(),
        input.agenda(), input.participantIds(), List.of()), List.of());
    JsonObject sent = partnerChanges.submitChange(c, current, userId, input, video);
    audit.append(c, AuditEvent.success(userId, "meetings.change_submitted", "meeting:" + current.id(),
        new JsonObject().put("sequence", current.sequence())));
    return sent;
  }

  /** 出欠: a participant's answer, shown to everyone on the meeting's screen. */
  public Future<JsonObject> respond(String userId, String meetingId, String response) {
    if (!RESPONSES.contains(response)) {
      return Future.failedFuture(CodedException.invalid("meetings.invalid_response", "出欠を選んでください。"));
    }
    return access.visible(userId, meetingId, "meetings.respond").compose(before -> services.database().write(c -> {
      Meeting current = access.current(c, before);
      if (current.participant(userId).isEmpty()) {
        throw CodedException.forbidden("meetings.not_a_participant", "この会議の参加者ではありません。");
      }
      MeetingSql.respond(c, meetingId, userId, response);
      audit.append(c, AuditEvent.success(userId, "meetings.responded", "meeting:" + meetingId,
          new JsonObject().put("response", response)));
      Meeting answered = MeetingSql.byId(c, meetingId).orElseThrow();
      // On a partner's patient the answer goes to the home node, which tells the team's other nodes.
      if (boards.board(c, answered.boardId()).map(Boards.Board::replica).orElse(false)) {
        events.respond(c, answered, userId, response);
      } else {
        events.publish(c, answered, userId);
      }
      return access.json(c, answered, userId);
    }));
  }

  /** Minutes and decisions (the organiser), with who attended; posted to the board. */
  public Future<JsonObject> recordMinutes(Vertx vertx, String userId, String meetingId, JsonObject body) {
    String minutes = MeetingInput.text(body, "minutes");
    String decisions = MeetingInput.text(body, "decisions");
    if (minutes.isEmpty()) {
      return Future.failedFuture(CodedException.invalid("meetings.minutes_required", "議事録を入力してください。"));
    }
    JsonArray attended = body.getValue("attended") instanceof JsonArray a ? a : new JsonArray();
    Instant now = Instant.now(services.clock());
    return access.minuter(userId, meetingId, "meetings.minutes").compose(before -> services.database().write(c -> {
      Meeting current = access.current(c, before);
      if (!access.started(current)) {
        throw MeetingAccess.notStarted();
      }
      List<String> keys = current.participants().stream().map(Meeting.Participant::key).toList();
      List<String> present = new ArrayList<>();
      for (Object key : attended) {
        if (!(key instanceof String s) || !keys.contains(s)) {
          throw CodedException.invalid("meetings.participant_not_member", "出席者は参加者から選んでください。");
        }
        present.add(s);
      }
      if (boards.board(c, current.boardId()).map(Boards.Board::replica).orElse(false)) {
        // Her copy follows the home node's: the minutes are stored when it has taken them.
        JsonObject sent = partnerMinutes.submit(c, current, userId, minutes, decisions, present);
        audit.append(c, AuditEvent.success(userId, "meetings.minutes_submitted", "meeting:" + meetingId,
            new JsonObject().put("attended", present.size())));
        return new Sent(current, null, sent);
      }
      MeetingSql.minutes(c, meetingId, minutes, decisions, present, now.toString());
      Meeting recorded = MeetingSql.byId(c, meetingId).orElseThrow();
      events.publish(c, recorded, userId);
      String postId = notices.post(c, recorded, userId, MeetingNotices.Reason.MINUTES).orElse(null);
      audit.append(c, AuditEvent.success(userId, "meetings.minutes_recorded", "meeting:" + meetingId,
          new JsonObject().put("attended", present.size())));
      return new Sent(recorded, postId, access.json(c, recorded, userId));
    })).map(sent -> {
      if (sent.postId() != null) {
        boards.committed(vertx, sent.meeting().boardId(), sent.postId());
      }
      return sent.json();
    });
  }

  /** One meeting, for a member of its board or a participant. */
  public Future<JsonObject> one(String userId, String meetingId) {
    return access.visible(userId, meetingId, "meetings.read")
        .compose(m -> services.database().read(c -> access.json(c, m, userId)))
        .compose(json -> audit.record(AuditEvent.success(userId, "meetings.read", "meeting:" + meetingId, null))
            .map(x -> json));
  }

  /** A board's meetings, newest first, for an active member. */
  public Future<JsonObject> ofBoard(String userId, String boardId) {
    return boards.forMember(userId, boardId, "meetings.list").compose(board -> services.database().read(c -> {
      JsonArray list = new JsonArray();
      for (Meeting m : MeetingSql.ofBoard(c, boardId)) {
        list.add(m.toJson(userId, board.name(), board.kind().code()));
      }
      return new JsonObject().put("boardId", boardId).put("boardName", board.name())
          .put("boardKind", board.kind().code()).put("meetings", list).put("kinds", kinds())
          .put("members", members(c, boardId)).put("submissions", MeetingSubmissions.of(c, boardId, userId, null));
    })).compose(json -> audit.record(AuditEvent.success(userId, "meetings.list", "board:" + boardId, null))
        .map(x -> json));
  }

  /**
   * The upcoming meetings of a patient's board ({@code boardId}) to which {@code email} is invited as
   * a family contact, for the family notebook (read-only; the caller audits its read). Never another
   * board's meetings, nor those inviting only other addresses.
   */
  public List<FamilyInvitation> invitingFamily(Connection c, String boardId, String email) throws SQLException {
    if (email == null || email.isBlank()) {
      return List.of();
    }
    return MeetingSql.invitingFamily(c, boardId, email.strip(), Instant.now(services.clock())).stream()
        .map(m -> FamilyInvitation.of(m, email.strip())).toList();
  }

  /**
   * 出欠 of a family contact, given in the family notebook: the answer of the contact invited at
   * {@code email} to an upcoming, scheduled meeting of {@code boardId}, in the caller's transaction.
   * The notebook has checked that its account belongs to that board and address, and audits the
   * answer as its account; the team sees it among the participants, the partners through the
   * meeting's next publication (in the organiser's name: team sync knows no family account). Empty
   * when there is no such invitation (another board, another address, cancelled or over).
   */
  public java.util.Optional<FamilyInvitation> answerForFamily(Connection c, String boardId, String meetingId,
      String email, String response) throws SQLException {
    if (!RESPONSES.contains(response) || email == null || email.isBlank()
        || !MeetingSql.respondAsFamily(c, boardId, meetingId, email.strip(), response, Instant.now(services.clock()))) {
      return java.util.Optional.empty();
    }
    Meeting answered = MeetingSql.byId(c, meetingId).orElseThrow();
    events.publish(c, answered, answered.organizerId());
    return java.util.Optional.of(FamilyInvitation.of(answered, email.strip()));
  }

  MeetingAccess access() {
    return access;
  }

  /** Her changes and cancellations of meetings on partners' boards, as team events (see {@link PartnerChanges}). */
  PartnerChanges partnerChanges() {
    return partnerChanges;
  }

  /** Her minutes of meetings on partners' boards, as a team event (see {@link PartnerMinutes}). */
  PartnerMinutes partnerMinutes() {
    return partnerMinutes;
  }

  static JsonArray kinds() {
    JsonArray kinds = new JsonArray();
    for (MeetingKind kind : MeetingKind.values()) {
      kinds.add(new JsonObject().put("code", kind.code()).put("label", kind.labelJa()));
    }
    return kinds;
  }

  private JsonArray members(Connection c, String boardId) throws SQLException {
    JsonArray members = new JsonArray();
    boards.activeMembers(c, boardId).forEach(p -> members.add(new JsonObject().put("userId", p.userId())
        .put("name", p.name()).put("partner", p.partner()).put("homeNode", p.homeNode())));
    return members;
  }

  /**
   * The participants: the organiser, the members chosen (each an active member of the board now) and
   * the family contacts; an answer already given is kept across a change.
   */
  private List<Meeting.Participant> participants(Connection c, String boardId, String organizerId, MeetingInput input,
      List<Meeting.Participant> before) throws SQLException {
    Map<String, Boards.Person> members = boards.activeMembers(c, boardId).stream()
        .collect(Collectors.toMap(Boards.Person::userId, Function.identity()));
    Map<String, Meeting.Participant> answered = before.stream()
        .collect(Collectors.toMap(Meeting.Participant::key, Function.identity()));
    List<Meeting.Participant> people = new ArrayList<>();
    List<String> ids = new ArrayList<>(List.of(organizerId));
    input.participantIds().stream().filter(id -> !id.equals(organizerId)).forEach(ids::add);
    for (String id : ids) {
      Boards.Person person = members.get(id);
      if (person == null) {
        throw CodedException.invalid("meetings.participant_not_member", "参加者はボードのメンバーから選んでください。");
      }
      String response = answered.containsKey(id) ? answered.get(id).response()
          : id.equals(organizerId) ? "attend" : "pending";
      people.add(new Meeting.Participant(id, id, person.email(), person.name(), response, false));
    }
    for (MeetingInput.Family family : input.family()) {
      String response = answered.containsKey(family.key()) ? answered.get(family.key()).response() : "pending";
      people.add(new Meeting.Participant(family.key(), null, family.email(), family.name(), response, false));
    }
    return people;
  }

  /** What a write made: the meeting, its notice on the board, and the answer. */
  private record Sent(Meeting meeting, String postId, JsonObject json) {}

  /**
   * The answer {@link #schedule} gives, from what its write returned (a meeting scheduled here, or one
   * sent to a partner's home node): what the route keeps with the create for a retry of its key.
   */
  static JsonObject scheduledAnswer(Object written) {
    return written instanceof Sent sent ? sent.json() : written instanceof JsonObject json ? json : null;
  }

  private Future<JsonObject> told(Vertx vertx, Sent sent, MeetingNotices.Reason reason) {
    if (sent.meeting() == null) {
      return Future.succeededFuture(sent.json()); // sent to the home node, which tells everyone
    }
    if (sent.postId() != null) {
      boards.committed(vertx, sent.meeting().boardId(), sent.postId());
    }
    return notices.mail(vertx, sent.meeting(), reason).map(x -> sent.json());
  }
}
