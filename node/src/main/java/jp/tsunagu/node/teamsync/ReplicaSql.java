package jp.tsunagu.node.teamsync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of this node's replicas of boards homed elsewhere: their cursors, their state (live or
 * frozen), and purging a replica with every row it holds.
 */
final class ReplicaSql {

  private ReplicaSql() {}

  /** This node's replicas of boards homed at {@code homeNode}, with how far each has applied. */
  static List<TeamLogSql.SharedBoard> replicas(Connection c, String homeNode) throws SQLException {
    List<TeamLogSql.SharedBoard> boards = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select b.id, max(coalesce((select max(seq) from team_events e"
        + " where e.board_id = b.id), 0), coalesce((select max(seq) from replica_skipped_events k"
        + " where k.board_id = b.id), 0)) from care_boards b where b.home_node = ? and b.replica_state = 'live'")) {
      s.setString(1, homeNode);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          boards.add(new TeamLogSql.SharedBoard(rs.getString(1), rs.getLong(2), rs.getLong(2)));
        }
      }
    }
    return boards;
  }

  /** Whether any professional of this node is (or is invited to be) on the replica board. */
  static boolean anyLocalMember(Connection c, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select 1 from board_members m join users u on u.id = m.user_id"
        + " where m.board_id = ? and u.home_node is null and m.status in ('active', 'invited') limit 1")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  static List<String> replicaHomes(Connection c) throws SQLException {
    List<String> homes = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "select distinct home_node from care_boards where home_node is not null");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        homes.add(rs.getString(1));
      }
    }
    return homes;
  }

  /** The replica boards of a home node in a state. */
  static List<String> replicaIds(Connection c, String homeNode, String state) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "select id from care_boards where home_node = ? and replica_state = ?")) {
      s.setString(1, homeNode);
      s.setString(2, state);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  static void setReplicaState(Connection c, String boardId, String state, String frozenAt, String purgeAfter)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "update care_boards set replica_state = ?, frozen_at = ?, purge_after = ? where id = ?")) {
      s.setString(1, state);
      s.setString(2, frozenAt);
      s.setString(3, purgeAfter);
      s.setString(4, boardId);
      s.executeUpdate();
    }
  }

  static List<String> purgeDue(Connection c, String now) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select id from care_boards where replica_state = 'frozen'"
        + " and purge_after <= ?")) {
      s.setString(1, now);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /**
   * Deletes every row of a replica board, children first (its data leaves this node). Returns the
   * hashes of the files its attachments named, for the caller to delete those no row names any more.
   */
  static List<String> purge(Connection c, String boardId) throws SQLException {
    List<String> hashes = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select distinct a.sha256 from attachments a join posts p"
        + " on p.id = a.post_id where p.board_id = ?")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          hashes.add(rs.getString(1));
        }
      }
    }
    String posts = "(select id from posts where board_id = ?)";
    String[] statements = {
        "delete from post_versions where post_id in " + posts,
        "delete from post_recipients where post_id in " + posts,
        "delete from post_reads where post_id in " + posts,
        "delete from comments where post_id in " + posts,
        "delete from attachments where post_id in " + posts,
        "delete from vitals where board_id = ?",
        "delete from posts where board_id = ?",
        "delete from board_members where board_id = ?",
        "delete from team_events where board_id = ?",
        "delete from replica_skipped_events where board_id = ?",
        "delete from sync_outbox_unsigned where event_id in (select event_id from sync_outbox where board_id = ?)",
        "delete from sync_outbox where board_id = ?",
        "delete from patients where id = ?",
        "delete from care_boards where id = ?"};
    for (String sql : statements) {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setString(1, boardId);
        s.executeUpdate();
      }
    }
    return hashes;
  }

  /** Whether any attachment row (of any board, posted or only uploaded) still names the file. */
  static boolean fileReferenced(Connection c, String sha256) throws SQLException {
    return TeamLogSql.text(c, "select sha256 from attachments where sha256 = ? limit 1", sha256).isPresent();
  }
}
