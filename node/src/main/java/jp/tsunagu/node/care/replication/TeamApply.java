package jp.tsunagu.node.care.replication;

import static jp.tsunagu.node.care.replication.EventFields.object;
import static jp.tsunagu.node.care.replication.EventFields.requireText;
import static jp.tsunagu.node.feature.TeamEventType.NOTHING_NAMED;
import static jp.tsunagu.node.feature.TeamEventType.NO_OBJECT_CHECK;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.feature.TeamEventType.Arrival;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.feature.TeamEventType.Origin;
import jp.tsunagu.node.care.timeline.PostWriter;
import jp.tsunagu.node.care.timeline.Author;
import jp.tsunagu.node.care.teams.TeamRoles;
import jp.tsunagu.node.care.teams.TeamPermissions;
import jp.tsunagu.node.care.teams.Member;
import jp.tsunagu.node.care.teams.FederatedUsers;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.teams.BoardKind;
import jp.tsunagu.node.care.patients.PatientSql;
import jp.tsunagu.node.care.patients.Patient;
import jp.tsunagu.node.care.attachments.AttachmentFiles;

/**
 * Applies a team event to the care tables: on the home node a partner's submission (after checking
 * that its author belongs to the signing node, is a member now, and that the content is valid), on
 * a member node an event the home node sequenced (already checked there). Whatever fails throws,
 * and the caller's transaction leaves nothing behind. Here the dispatch, the checks of arrival and
 * the team's own events (opening, patient, invitations, membership); the timeline's events are
 * {@link TimelineApply}'s.
 */
final class TeamApply {

  private final FederatedUsers users;
  private final Predicate<String> careTeamPartner;
  private final TimelineApply timeline;

  /**
   * @param careTeamPartner whether a node may take part in care teams with this one now
   */
  TeamApply(FederatedUsers users, AttachmentFiles files, Predicate<String> careTeamPartner) {
    this.users = users;
    this.careTeamPartner = careTeamPartner;
    this.timeline = new TimelineApply(users, files);
  }

  /** What one event type does to the care tables, once its author is known as a local user id. */
  @FunctionalInterface
  private interface Handler {
    List<LiveNotice> apply(Connection c, Event event, String boardId, String author, boolean check)
        throws SQLException;
  }

  /** The applier of a type: the checks of its arrival, then the type's own writes. */
  private TeamEventType.Applier applier(Handler handler) {
    return (c, event, arrival) -> arrival == Arrival.SUBMITTED ? submission(c, event, handler)
        : sequenced(c, event, handler);
  }

  /**
   * A partner's submission to a board homed here (the incoming-event policy has checked its shape
   * and the objects it names): membership now and content, then the same writes a local member makes.
   */
  private List<LiveNotice> submission(Connection c, Event event, Handler handler) throws SQLException {
    JsonObject data = new JsonObject(event.data());
    JsonObject authorProfile = object(data, "author");
    String authorId = requireText(authorProfile, "id");
    String boardId = event.targets().get(0);
    String author = users.localUser(c, authorId, authorProfile);
    var membership = BoardSql.member(c, boardId, author);
    boolean answeringInvitation = event.type().equals(TeamEvents.MEMBER) && membership.isPresent()
        && "invited".equals(membership.get().status()) && authorId.equals(data.getString("member"));
    if (!answeringInvitation && (membership.isEmpty() || !membership.get().active())) {
      throw new SyncRejection("sync.not_a_member", authorId + " is not a member of board " + boardId + " now");
    }
    if (!event.type().equals(TeamEvents.MEMBER) && !event.type().equals(TeamEvents.READ)) {
      PostWriter.requireOpen(c, BoardKind.PATIENT, boardId);
    }
    return handler.apply(c, event, boardId, author, true);
  }

  /** An event the home node sequenced, on this node's replica of the board. */
  private List<LiveNotice> sequenced(Connection c, Event event, Handler handler) throws SQLException {
    JsonObject authorProfile = object(new JsonObject(event.data()), "author");
    String author = users.localUser(c, requireText(authorProfile, "id"), authorProfile);
    return handler.apply(c, event, event.targets().get(0), author, false);
  }

  /**
   * The care feature's team event types: what each names, how its objects are checked, how it is
   * applied. The protocol's README lists the same, type by type.
   */
  List<TeamEventType> types() {
    return List.of(
        new TeamEventType(TeamEvents.OPENED, Origin.HOME_NODE, NOTHING_NAMED, NO_OBJECT_CHECK,
            (c, event, arrival) -> {
              if (arrival == Arrival.SUBMITTED) {
                throw new SyncRejection("sync.type_not_allowed", event.type() + " is made by the home node only");
              }
              JsonObject data = new JsonObject(event.data());
              openReplica(c, event, event.targets().get(0), data, object(data, "author"));
              return List.of();
            }),
        new TeamEventType(TeamEvents.PATIENT, Origin.HOME_NODE, NOTHING_NAMED, NO_OBJECT_CHECK,
            applier((c, event, boardId, author, check) -> {
              updatePatient(c, boardId, object(new JsonObject(event.data()), "patient"));
              return List.of();
            })),
        new TeamEventType(TeamEvents.INVITED, Origin.MEMBER_NODE, NOTHING_NAMED, NO_OBJECT_CHECK,
            applier((c, event, boardId, author, check) ->
                invite(c, event, boardId, author, new JsonObject(event.data()), check))),
        new TeamEventType(TeamEvents.MEMBER, Origin.MEMBER_NODE, NOTHING_NAMED, NO_OBJECT_CHECK,
            applier((c, event, boardId, author, check) ->
                memberChanged(c, boardId, author, new JsonObject(event.data()), check))),
        new TeamEventType(TeamEvents.POST, Origin.MEMBER_NODE,
            data -> List.of(requireText(object(data, "post"), "id")), EventObjects::newPost,
            applier((c, event, boardId, author, check) -> {
              JsonObject data = new JsonObject(event.data());
              return timeline.post(c, boardId, Author.of(author, object(data, "author")), object(data, "post"), check);
            })),
        new TeamEventType(TeamEvents.EDITED, Origin.MEMBER_NODE, data -> List.of(requireText(data, "postId")),
            EventObjects::postOfBoard, applier((c, event, boardId, author, check) ->
                timeline.edit(c, boardId, author, new JsonObject(event.data()), check))),
        new TeamEventType(TeamEvents.DELETED, Origin.MEMBER_NODE, data -> List.of(requireText(data, "postId")),
            EventObjects::postOfBoard, applier((c, event, boardId, author, check) ->
                timeline.delete(c, boardId, author, new JsonObject(event.data()), check))),
        new TeamEventType(TeamEvents.COMMENT, Origin.MEMBER_NODE,
            data -> List.of(requireText(object(data, "comment"), "postId")), EventObjects::newComment,
            applier((c, event, boardId, author, check) -> {
              JsonObject data = new JsonObject(event.data());
              return timeline.comment(c, boardId, Author.of(author, object(data, "author")), object(data, "comment"),
                  check);
            })),
        new TeamEventType(TeamEvents.READ, Origin.MEMBER_NODE, EventObjects::postsRead, EventObjects::postsOfBoard,
            applier((c, event, boardId, author, check) ->
                timeline.read(c, boardId, author, new JsonObject(event.data())))));
  }

  private void openReplica(Connection c, Event event, String boardId, JsonObject data, JsonObject authorProfile)
      throws SQLException {
    String creator = users.localUser(c, requireText(authorProfile, "id"), authorProfile);
    try (PreparedStatement s = c.prepareStatement("insert into care_boards (id, kind, created_at, home_node,"
        + " replica_state) values (?, 'patient', ?, ?, 'live') on conflict (id) do nothing")) {
      s.setString(1, boardId);
      s.setString(2, event.issuedAt().toString());
      s.setString(3, event.home());
      s.executeUpdate();
    }
    JsonObject patient = object(data, "patient");
    Patient.Details details = details(patient);
    PatientSql.insertReplica(c, boardId, details, patient.getString("status", "active"), creator,
        patient.getString("createdAt", event.issuedAt().toString()));
    // the invitation held only the patient's name and birth date: the history brings the rest
    PatientSql.update(c, boardId, details, patient.getString("updatedAt", event.issuedAt().toString()));
  }

  private static void updatePatient(Connection c, String boardId, JsonObject patient) throws SQLException {
    PatientSql.update(c, boardId, details(patient), patient.getString("updatedAt"));
    PatientSql.setStatus(c, boardId, patient.getString("status", "active"), patient.getString("updatedAt"));
  }

  private static Patient.Details details(JsonObject p) {
    try {
      return new Patient.Details(p.getString("familyName"), p.getString("givenName"), p.getString("familyKana"),
          p.getString("givenKana"), LocalDate.parse(p.getString("birthDate")), p.getString("sex"),
          p.getString("address"), p.getString("municipalityCode"), p.getString("phone"), p.getString("familyDoctor"),
          p.getString("careLevel"), p.getString("emergencyContacts"), p.getString("acpNotes"), p.getString("remarks"));
    } catch (RuntimeException e) {
      throw SyncRejection.malformed("patient details: " + e.getMessage());
    }
  }

  private List<LiveNotice> invite(Connection c, Event event, String boardId, String author, JsonObject data,
      boolean check) throws SQLException {
    JsonObject profile = object(data, "member");
    String memberFederatedId = requireText(profile, "id");
    String teamRole = requireText(data, "teamRole");
    if (check) {
      FederatedId id = FederatedId.tryParse(memberFederatedId)
          .orElseThrow(() -> SyncRejection.malformed("member id"));
      if (!TeamRoles.PATIENT.contains(teamRole)) {
        throw SyncRejection.malformed("team role " + teamRole);
      }
      if (!id.node().equals(users.localNode()) && !careTeamPartner.test(id.node())) {
        throw new SyncRejection("sync.scope_missing", id.node() + " shares no care-team agreement with this node");
      }
      Optional<Member> inviter = BoardSql.member(c, boardId, author).filter(Member::active);
      if (TeamPermissions.MANAGING_ROLES.contains(teamRole)
          && (inviter.isEmpty() || !TeamPermissions.manages(c, boardId, inviter.get()))) {
        throw new SyncRejection("care.not_allowed", "only a member who manages the team invites as " + teamRole);
      }
    }
    if (!check && users.unknownLocal(c, memberFederatedId)) {
      return List.of(); // invited by an id no user of this node has: nothing to show anyone here
    }
    String member = users.localUser(c, memberFederatedId, id(memberFederatedId).equals(users.localNode()) ? null
        : EventFields.profileFrom(event, memberFederatedId, profile));
    var existing = BoardSql.member(c, boardId, member);
    if (check && existing.isPresent() && (existing.get().active() || "invited".equals(existing.get().status()))) {
      throw new SyncRejection("care.already_member", memberFederatedId + " is already a member or invited");
    }
    if (!check && existing.isPresent() && existing.get().active()) {
      return List.of(); // the history arriving after she accepted: her acceptance stands
    }
    BoardSql.upsertMember(c, boardId, member, teamRole, "invited", author, TimelineApply.at(data));
    return List.of(new LiveNotice(boardId, new JsonObject().put("type", "team")));
  }

  private static String id(String federatedId) {
    return FederatedId.tryParse(federatedId).map(FederatedId::node).orElse("");
  }

  private List<LiveNotice> memberChanged(Connection c, String boardId, String author, JsonObject data, boolean check)
      throws SQLException {
    if (!check && users.unknownLocal(c, requireText(data, "member"))) {
      return List.of();
    }
    String member = users.localUser(c, requireText(data, "member"), null);
    String status = requireText(data, "status");
    if (!List.of("active", "left", "removed", "declined").contains(status)) {
      throw SyncRejection.malformed("member status " + status);
    }
    boolean self = member.equals(author);
    if (check && (status.equals("removed") == self)) {
      throw new SyncRejection("sync.not_allowed", "a member leaves or answers for themselves and removes others");
    }
    if (check && status.equals("removed")) {
      TeamPermissions.requireMayRemove(c, boardId, author, member);
    }
    String now = TimelineApply.at(data);
    boolean changed = switch (status) {
      case "active", "declined" -> BoardSql.changeStatus(c, boardId, member, "invited", status, now);
      default -> BoardSql.changeStatus(c, boardId, member, "active", status, now)
          || BoardSql.changeStatus(c, boardId, member, "invited", status, now);
    };
    if (check && !changed) {
      throw new SyncRejection("care.member_not_found", "no such membership to change");
    }
    return List.of(new LiveNotice(boardId, new JsonObject().put("type", "team")));
  }
}
