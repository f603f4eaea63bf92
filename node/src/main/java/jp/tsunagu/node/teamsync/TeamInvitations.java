package jp.tsunagu.node.teamsync;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.replication.EventFields;
import jp.tsunagu.node.care.teams.FederatedUsers;
import jp.tsunagu.node.care.teams.Member;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.care.replication.TeamData;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;

/**
 * Invitations of a partner's professionals, apart from the team's log. The home node tells the
 * invitee's node of an invitation (and of its withdrawal) with one signed envelope; that node keeps
 * it as an invitation its professional accepts or declines, holding only what she needs to decide
 * (the patient's name, kana, birth date, sex and municipality, who invited her and as what). The
 * team's history flows to her node only once she has accepted: a node whose professional was merely
 * invited receives nothing of the patient's record.
 */
public final class TeamInvitations {

  static final String OFFERED = "care.invitation.offered";
  static final String WITHDRAWN = "care.invitation.withdrawn";

  /** Invitations from one home node not yet answered here: more are refused (a partner cannot fill the disk). */
  static final int PENDING_MAX_PER_HOME = 500;

  /** An invitation (or its withdrawal) signed for delivery to the invitee's node. */
  public record Offer(String boardId, String userId, String changedAt, String envelope) {}

  private final NodeIdentity identity;
  private final TeamData data;
  private final FederatedUsers users;
  private final AuditLog audit;
  private final Clock clock;
  private final Predicate<String> careTeamPartner;

  TeamInvitations(NodeIdentity identity, TeamData data, AuditLog audit, Clock clock,
      Predicate<String> careTeamPartner) {
    this.identity = identity;
    this.data = data;
    this.users = data.users();
    this.audit = audit;
    this.clock = clock;
    this.careTeamPartner = careTeamPartner;
  }

  // ----- home node: what to deliver ------------------------------------------------------------------

  private static final String PENDING = "select m.board_id, m.user_id, m.team_role, m.status, m.invited_by,"
      + " m.invited_at, m.changed_at from board_members m join users u on u.id = m.user_id"
      + " join care_boards b on b.id = m.board_id where u.home_node = ? and b.home_node is null"
      + " and b.kind = 'patient' and (m.status = 'invited' or (m.status = 'removed' and m.was_active = 0))"
      + " and not exists (select 1 from invitation_deliveries d where d.board_id = m.board_id"
      + " and d.user_id = m.user_id and d.changed_at = m.changed_at) order by m.changed_at limit 100";

  /** Invitations of the peer's professionals (or their withdrawals) not yet delivered, each signed. */
  List<Offer> pending(Connection c, String peer) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(PENDING)) {
      s.setString(1, peer);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), rs.getString(7)});
        }
      }
    }
    List<Offer> offers = new ArrayList<>();
    for (String[] r : rows) {
      boolean offered = "invited".equals(r[3]);
      JsonObject content = new JsonObject().put("member", r[1]).put("teamRole", r[2]).put("invitedAt", r[5]);
      if (offered) {
        content.put("invitedBy", users.profile(c, r[4])).put("patient", data.patientSummary(c, r[0]));
      }
      Event event = new Event(UUID.randomUUID().toString(), offered ? OFFERED : WITHDRAWN, identity.name(),
          identity.name(), List.of(r[0]), clock.instant(), Json.parseObject(content.encode()));
      offers.add(new Offer(r[0], r[1], r[6], EventEnvelope.sign(event, identity)));
    }
    return offers;
  }

  /** The nodes with an invitation (or withdrawal) on a board homed here still to be delivered. */
  static List<String> undeliveredNodes(Connection c, String boardId) throws SQLException {
    List<String> nodes = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select distinct u.home_node from board_members m"
        + " join users u on u.id = m.user_id where m.board_id = ? and u.home_node is not null"
        + " and (m.status = 'invited' or (m.status = 'removed' and m.was_active = 0))"
        + " and not exists (select 1 from invitation_deliveries d where d.board_id = m.board_id"
        + " and d.user_id = m.user_id and d.changed_at = m.changed_at)")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          nodes.add(rs.getString(1));
        }
      }
    }
    return nodes;
  }

  /** The peer has the offer (or refused it for good, with its code): it is not sent again. */
  void delivered(Connection c, String peer, Offer offer, String refusedCode) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert or ignore into invitation_deliveries (board_id, user_id,"
        + " changed_at, delivered_at) values (?, ?, ?, ?)")) {
      s.setString(1, offer.boardId());
      s.setString(2, offer.userId());
      s.setString(3, offer.changedAt());
      s.setString(4, clock.instant().toString());
      s.executeUpdate();
    }
    if (refusedCode != null) {
      audit.append(c, AuditEvent.refused("node:" + peer, "sync.invitation.refused", "patient:" + offer.boardId(),
          new JsonObject().put("member", offer.userId()).put("code", refusedCode)));
    }
  }

  // ----- the invitee's node: receiving -----------------------------------------------------------------

  /**
   * An invitation (or withdrawal) the home node signed, already verified against its key, sent by
   * {@code sender} for {@code pathBoardId}. Checked: the sender signed it and is its home, it is for
   * the board in the path, an agreement with the care-team scope covers the sender, the invitee is an
   * active professional of this node, and the board is not one of this node's own or another node's.
   */
  List<LiveNotice> receive(Connection c, Event event, String sender, String pathBoardId) throws SQLException {
    if (!event.origin().equals(sender) || !event.home().equals(sender)) {
      throw new SyncRejection("sync.not_home_node", "an invitation is signed and sent by the board's home node");
    }
    if (!event.type().equals(OFFERED) && !event.type().equals(WITHDRAWN)) {
      throw new SyncRejection("sync.type_unknown", "not an invitation: " + event.type());
    }
    if (event.targets().size() != 1 || !event.targets().get(0).equals(pathBoardId)) {
      throw new SyncRejection("envelope.id_mismatch", "the invitation is not for board " + pathBoardId);
    }
    if (!careTeamPartner.test(sender)) {
      throw new SyncRejection("federation.scope_not_granted", "no active agreement with the care-team scope covers "
          + sender);
    }
    JsonObject content = new JsonObject(event.data());
    IncomingEventPolicy.checkText(content);
    String memberId = EventFields.requireText(content, "member");
    String member = localProfessional(c, memberId);
    Optional<TeamLogSql.BoardHome> board = TeamLogSql.board(c, pathBoardId);
    if (board.isPresent() && !board.get().homeNode().map(sender::equals).orElse(false)) {
      throw new SyncRejection("sync.not_home_node", sender + " is not the home node of board " + pathBoardId);
    }
    String now = clock.instant().toString();
    if (event.type().equals(WITHDRAWN)) {
      return withdrawn(c, pathBoardId, member, sender, now);
    }
    String teamRole = EventFields.requireText(content, "teamRole");
    if (!data.patientTeamRole(teamRole)) {
      throw SyncRejection.malformed("team role " + teamRole);
    }
    JsonObject inviterProfile = EventFields.object(content, "invitedBy");
    String inviterId = EventFields.requireText(inviterProfile, "id");
    if (FederatedId.tryParse(inviterId).map(id -> id.node().equals(users.localNode())).orElse(true)) {
      throw SyncRejection.malformed("the inviter is not a partner's professional");
    }
    String inviter = users.localUser(c, inviterId, EventFields.profileFrom(event, inviterId, inviterProfile));
    if (board.isEmpty()) {
      if (pendingFrom(c, sender) >= PENDING_MAX_PER_HOME) {
        throw new SyncRejection("sync.too_many_invitations", sender + " has " + PENDING_MAX_PER_HOME
            + " invitations waiting for an answer here already");
      }
      data.openInvitedReplica(c, pathBoardId, sender, EventFields.object(content, "patient"), inviter, now);
    }
    Optional<Member> existing = data.member(c, pathBoardId, member);
    if (existing.isPresent() && (existing.get().active() || "invited".equals(existing.get().status()))) {
      return List.of(); // delivered again: it stands as it is
    }
    data.upsertMember(c, pathBoardId, member, teamRole, "invited", inviter, now);
    audit.append(c, AuditEvent.success("node:" + sender, "sync.invitation.received", "patient:" + pathBoardId,
        new JsonObject().put("member", member).put("invitedBy", inviterId).put("teamRole", teamRole)));
    return List.of(new LiveNotice(pathBoardId, new JsonObject().put("type", "team")));
  }

  private List<LiveNotice> withdrawn(Connection c, String boardId, String member, String sender, String now)
      throws SQLException {
    if (!data.changeMemberStatus(c, boardId, member, "invited", "removed", now)) {
      return List.of();
    }
    audit.append(c, AuditEvent.success("node:" + sender, "sync.invitation.withdrawn", "patient:" + boardId,
        new JsonObject().put("member", member)));
    return List.of(new LiveNotice(boardId, new JsonObject().put("type", "team")));
  }

  /** The users row of an active professional of this node named by federated id; refused otherwise. */
  private String localProfessional(Connection c, String federatedId) throws SQLException {
    Optional<FederatedId> id = FederatedId.tryParse(federatedId);
    if (id.isEmpty() || !id.get().node().equals(users.localNode()) || users.unknownLocal(c, federatedId)) {
      throw new SyncRejection("sync.user_unknown", federatedId + " is not a professional of " + users.localNode());
    }
    String userId = users.localUser(c, federatedId, null);
    if (!data.invitable(c, userId)) {
      throw new SyncRejection("sync.user_unknown", federatedId + " is not a professional of " + users.localNode());
    }
    return userId;
  }

  /** Boards of a home node held here only as an invitation (no history yet). */
  private static long pendingFrom(Connection c, String home) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select count(*) from care_boards b where b.home_node = ?"
        + " and not exists (select 1 from team_events e where e.board_id = b.id)")) {
      s.setString(1, home);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
