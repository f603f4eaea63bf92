package jp.tsunagu.node.care;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * 家族にも公開, published by care for the family notebook: which posts of a patient's timeline a team
 * member chose to show the family, and nothing else of the timeline. Only an active note on the
 * patient's own board qualifies: a 特別便 (direct post), a form or vitals never does. Who may choose
 * (an active member) is the caller's check; every method takes the caller's connection so the
 * choice and its audit entry commit together.
 */
public final class FamilySharing {

  /** A post as the family sees it: what and when, and who wrote it (profession and name). */
  public record Shared(String postId, String category, String body, String author, String createdAt) {}

  private static final String QUALIFIES = "select 1 from posts where id = ? and board_id = ? and kind = 'note'"
      + " and direct = 0 and status = 'active' and sync_state is null";

  /** Shows the post to the family; false (nothing written) when the post does not qualify. */
  public boolean share(Connection c, String patientId, String postId, String userId, String at) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(QUALIFIES)) {
      s.setString(1, postId);
      s.setString(2, patientId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
      }
    }
    try (PreparedStatement s = c.prepareStatement("insert into family_shared_posts (post_id, board_id, shared_by,"
        + " shared_at) values (?, ?, ?, ?) on conflict (post_id) do nothing")) {
      s.setString(1, postId);
      s.setString(2, patientId);
      s.setString(3, userId);
      s.setString(4, at);
      s.executeUpdate();
    }
    return true;
  }

  /** Stops showing the post to the family; false when it was not shown. */
  public boolean unshare(Connection c, String patientId, String postId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("delete from family_shared_posts where post_id = ? and board_id = ?")) {
      s.setString(1, postId);
      s.setString(2, patientId);
      return s.executeUpdate() > 0;
    }
  }

  /** The posts shown to the patient's family, newest first; a post deleted since is no longer shown. */
  public List<Shared> shared(Connection c, String patientId) throws SQLException {
    List<Shared> shared = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select p.id, p.category, p.body, p.author_profession,"
        + " p.author_name, p.created_at from family_shared_posts f join posts p on p.id = f.post_id"
        + " where f.board_id = ? and p.board_id = f.board_id and p.status = 'active' and p.direct = 0"
        + " order by p.seq desc limit 100")) {
      s.setString(1, patientId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String profession = jp.tsunagu.node.reference.ReferenceData.get().profession(rs.getString(4))
              .map(jp.tsunagu.node.reference.ReferenceData.Profession::nameJa).orElse(rs.getString(4));
          shared.add(new Shared(rs.getString(1), rs.getString(2), rs.getString(3), profession + " " + rs.getString(5),
              rs.getString(6)));
        }
      }
    }
    return shared;
  }
}
