package jp.tsunagu.node.care.teams;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What other features may learn of a board and its people: its kind and name, members' mail addresses. */
public final class BoardDirectorySql {

  /** A board as a meeting or a notice names it. */
  public record Named(String id, BoardKind kind, String name, boolean replica, boolean open) {}

  /** An active member with the address her node mails her at (empty for a partner's professional). */
  public record Reachable(String userId, String name, String profession, String email, String homeNode) {}

  private BoardDirectorySql() {}

  public static Optional<Named> board(Connection c, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select b.kind, coalesce(p.family_name || ' ' || p.given_name,"
        + " g.name, ''), b.home_node is not null, coalesce(p.status, g.status, 'archived') = 'active'"
        + " from care_boards b left join patients p on p.id = b.id left join care_groups g on g.id = b.id"
        + " where b.id = ?")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new Named(boardId, BoardKind.ofCode(rs.getString(1)), rs.getString(2),
            rs.getBoolean(3), rs.getBoolean(4))) : Optional.empty();
      }
    }
  }

  public static List<Reachable> activeMembers(Connection c, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select u.id, u.family_name || ' ' || u.given_name, u.profession,"
        + " case when u.home_node is null then u.email else '' end, u.home_node from board_members m"
        + " join users u on u.id = m.user_id where m.board_id = ? and m.status = 'active'"
        + " order by u.family_kana, u.given_kana, u.id")) {
      s.setString(1, boardId);
      List<Reachable> found = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(new Reachable(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
        }
      }
      return found;
    }
  }

  /** Patients' teams homed here with a partner's professional among their active members, oldest first. */
  public static List<String> sharedPatientBoards(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select b.id from care_boards b where b.kind = 'patient'"
        + " and b.home_node is null and exists (select 1 from board_members m join users u on u.id = m.user_id"
        + " where m.board_id = b.id and m.status = 'active' and u.home_node is not null) order by b.created_at, b.id")) {
      List<String> found = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
      return found;
    }
  }

  /** Partners' patients' teams this node holds a copy of, with a professional of this node active in them. */
  public static List<String> partnersPatientBoards(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select b.id from care_boards b where b.kind = 'patient'"
        + " and b.home_node is not null and exists (select 1 from board_members m join users u on u.id = m.user_id"
        + " where m.board_id = b.id and m.status = 'active' and u.home_node is null) order by b.created_at, b.id")) {
      List<String> found = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
      return found;
    }
  }

  /** The address a user of this node is mailed at; empty for a partner's professional or no such user. */
  public static Optional<String> email(Connection c, String userId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select email from users where id = ? and home_node is null")) {
      s.setString(1, userId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }
}
