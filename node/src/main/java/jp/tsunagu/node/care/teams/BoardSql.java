package jp.tsunagu.node.care.teams;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of boards and their members (care teams and group members). */
public final class BoardSql {

  private static final String MEMBER_COLUMNS = "select m.board_id, m.user_id, u.family_name || ' ' || u.given_name,"
      + " u.profession, coalesce(f.name, u.remote_facility, ''), m.team_role, m.status, f.municipality_code,"
      + " u.home_node from board_members m"
      + " join users u on u.id = m.user_id left join facilities f on f.id = u.facility_id";

  /** An active membership of a board of a kind that is live here; binds board, user, kind. */
  public static final String ACTIVE_MEMBER = "select 1 from board_members m join care_boards b on b.id = m.board_id"
      + " where m.board_id = ? and m.user_id = ? and m.status = 'active' and b.kind = ?"
      + " and coalesce(b.replica_state, 'live') = 'live'";

  private BoardSql() {}

  public static void insertBoard(Connection c, String id, BoardKind kind, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into care_boards (id, kind, created_at) values (?, ?, ?)")) {
      s.setString(1, id);
      s.setString(2, kind.code());
      s.setString(3, now);
      s.executeUpdate();
    }
  }

  /** The caller's active membership of a board of that kind; empty for anyone else. */
  public static Optional<Member> activeMember(Connection c, String boardId, BoardKind kind, String userId)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(MEMBER_COLUMNS + " join care_boards b on b.id = m.board_id"
        + " where m.board_id = ? and m.user_id = ? and m.status = 'active' and b.kind = ?"
        + " and coalesce(b.replica_state, 'live') = 'live'")) {
      s.setString(1, boardId);
      s.setString(2, userId);
      s.setString(3, kind.code());
      List<Member> found = read(s);
      return found.stream().findFirst();
    }
  }

  /**
   * Whether the user is an active member of a board of that kind: the test of {@link #activeMember}
   * without the member's names and place, for the reads that need no more than the answer (the
   * timeline page: two B-tree searches fewer on pages a reader's cache dropped at the last commit).
   */
  public static boolean isActiveMember(Connection c, String boardId, BoardKind kind, String userId)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(ACTIVE_MEMBER)) {
      s.setString(1, boardId);
      s.setString(2, userId);
      s.setString(3, kind.code());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  public static Optional<Member> member(Connection c, String boardId, String userId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(MEMBER_COLUMNS + " where m.board_id = ? and m.user_id = ?")) {
      s.setString(1, boardId);
      s.setString(2, userId);
      return read(s).stream().findFirst();
    }
  }

  /**
   * Active and invited members, for the team tab and the 特別便 recipients: active first, then by kana
   * (by name where a partner's professional has none here), then by id, so the order never changes.
   */
  public static List<Member> members(Connection c, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(MEMBER_COLUMNS
        + " where m.board_id = ? and m.status in ('active', 'invited') order by m.status,"
        + " coalesce(nullif(u.family_kana || u.given_kana, ''), u.family_name || u.given_name), m.user_id")) {
      s.setString(1, boardId);
      return read(s);
    }
  }

  public static List<String> activeMemberIds(Connection c, String boardId) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "select user_id from board_members where board_id = ? and status = 'active'")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /**
   * Adds or re-invites a member (someone who left may be invited again). An update, then an insert
   * when there was no row, rather than an upsert: under an upsert's conflict handling the board_touches
   * trigger's own "insert or ignore" is not ignored, and re-inviting failed on the touched board's key.
   */
  public static void upsertMember(Connection c, String boardId, String userId, String teamRole, String status,
      String invitedBy, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update board_members set team_role = ?, status = ?,"
        + " invited_by = ?, invited_at = ?, changed_at = ? where board_id = ? and user_id = ?")) {
      s.setString(1, teamRole);
      s.setString(2, status);
      s.setString(3, invitedBy);
      s.setString(4, now);
      s.setString(5, now);
      s.setString(6, boardId);
      s.setString(7, userId);
      if (s.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement s = c.prepareStatement("insert into board_members (board_id, user_id, team_role, status,"
        + " invited_by, invited_at, changed_at) values (?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, boardId);
      s.setString(2, userId);
      s.setString(3, teamRole);
      s.setString(4, status);
      s.setString(5, invitedBy);
      s.setString(6, now);
      s.setString(7, now);
      s.executeUpdate();
    }
  }

  public static boolean changeStatus(Connection c, String boardId, String userId, String from, String to, String now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "update board_members set status = ?, changed_at = ? where board_id = ? and user_id = ? and status = ?")) {
      s.setString(1, to);
      s.setString(2, now);
      s.setString(3, boardId);
      s.setString(4, userId);
      s.setString(5, from);
      return s.executeUpdate() == 1;
    }
  }

  /** A professional of this node who can be invited (active, with a facility). */
  public static boolean invitable(Connection c, String userId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select 1 from users where id = ? and status = 'active'"
        + " and facility_id is not null and role in ('professional', 'facility_admin')")) {
      s.setString(1, userId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static List<Member> read(PreparedStatement s) throws SQLException {
    List<Member> members = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        members.add(new Member(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
      }
    }
    return members;
  }

  /** The node a board is homed at, empty for a board homed here (or unknown). */
  public static Optional<String> homeNode(Connection c, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select home_node from care_boards where id = ?")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** Whether a write on this board goes to another node (its home) rather than straight to the team. */
  public static boolean replica(Connection c, String boardId) throws SQLException {
    return homeNode(c, boardId).isPresent();
  }
}
