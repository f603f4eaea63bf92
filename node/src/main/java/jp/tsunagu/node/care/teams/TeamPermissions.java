package jp.tsunagu.node.care.teams;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.care.replication.SyncRejection;

/**
 * Who may end another member's membership of a board, in one place for the team routes and for a
 * partner's {@code care.member.changed} submitted to the home node:
 * <ul>
 *   <li>the managers remove other members and take back invitations: the professional who registered
 *       the patient (or created the group) and the members with a managing team role (主治医 and
 *       ケアマネジャー in a patient's team, 管理者 in a group);</li>
 *   <li>any member takes back an invitation she sent herself, as long as it is not yet accepted;</li>
 *   <li>the registering professional is removed by nobody (she may leave);</li>
 *   <li>everyone may leave, and nobody removes herself (she leaves);</li>
 *   <li>only the managers invite with a managing role, so those without the permission cannot hand it out.</li>
 * </ul>
 * Others are members, so they are told they may not (403 {@code care.not_allowed}), not 404.
 */
public final class TeamPermissions {

  public static final Set<String> MANAGING_ROLES = Set.of("主治医", "ケアマネジャー", "管理者");

  private TeamPermissions() {}

  /** Whether {@code actor}, an active member, may remove {@code target} (one of the board's rows). */
  static boolean mayRemove(Connection c, String boardId, Member actor, Member target) throws SQLException {
    return removable(c, boardId, actor, List.of(target)).contains(target.userId());
  }

  /** The ids among {@code members} whom {@code actor}, an active member, may remove. */
  static Set<String> removable(Connection c, String boardId, Member actor, List<Member> members)
      throws SQLException {
    Optional<String> registrant = registrant(c, boardId);
    boolean manages = manages(actor, registrant);
    Map<String, String> invitedBy = invitedBy(c, boardId);
    Set<String> removable = new HashSet<>();
    for (Member target : members) {
      boolean open = target.active() || "invited".equals(target.status());
      if (!open || target.userId().equals(actor.userId()) || registrant.map(target.userId()::equals).orElse(false)) {
        continue;
      }
      boolean ownInvitation = "invited".equals(target.status())
          && actor.userId().equals(invitedBy.get(target.userId()));
      if (manages || ownInvitation) {
        removable.add(target.userId());
      }
    }
    return removable;
  }

  /**
   * Whether {@code actor}, an active member, manages the board's membership. Only a manager invites
   * with a managing role, so the permission cannot be handed out by those who lack it.
   */
  public static boolean manages(Connection c, String boardId, Member actor) throws SQLException {
    return manages(actor, registrant(c, boardId));
  }

  /** The roles {@code actor}, an active member, may invite with. */
  static List<String> inviteRoles(Connection c, BoardKind kind, String boardId, Member actor) throws SQLException {
    boolean manages = manages(c, boardId, actor);
    return TeamRoles.of(kind).stream().filter(role -> manages || !MANAGING_ROLES.contains(role)).toList();
  }

  private static boolean manages(Member actor, Optional<String> registrant) {
    return registrant.map(actor.userId()::equals).orElse(false) || MANAGING_ROLES.contains(actor.teamRole());
  }

  /**
   * The same rule for a partner's {@code care.member.changed} with status {@code removed}, submitted
   * to the home node: refused as a team event is. A membership that is not open is left to the
   * caller's own check ({@code care.member_not_found}).
   */
  public static void requireMayRemove(Connection c, String boardId, String actorId, String targetId) throws SQLException {
    Optional<Member> actor = BoardSql.member(c, boardId, actorId).filter(Member::active);
    Optional<Member> target = BoardSql.member(c, boardId, targetId)
        .filter(m -> m.active() || "invited".equals(m.status()));
    if (actor.isPresent() && target.isPresent() && !mayRemove(c, boardId, actor.get(), target.get())) {
      throw new SyncRejection("care.not_allowed", actorId + " may not remove " + targetId + " from board " + boardId);
    }
  }

  static CodedException notAllowed() {
    return CodedException.forbidden("care.not_allowed",
        "メンバーを外せるのは、登録した方・主治医・ケアマネジャー（グループでは管理者）と、招待した本人（承諾前の招待の取り消し）です。");
  }

  static CodedException managingRoleNotAllowed() {
    return CodedException.forbidden("care.not_allowed",
        "主治医・ケアマネジャー（グループでは管理者）として招待できるのは、登録した方・主治医・ケアマネジャー（グループでは管理者）です。");
  }

  /** Who registered the patient or created the group. */
  private static Optional<String> registrant(Connection c, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select created_by from patients where id = ?"
        + " union all select created_by from care_groups where id = ?")) {
      s.setString(1, boardId);
      s.setString(2, boardId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private static Map<String, String> invitedBy(Connection c, String boardId) throws SQLException {
    Map<String, String> found = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement("select user_id, invited_by from board_members where board_id = ?")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return found;
  }
}
