package jp.tsunagu.node.care.teams;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.storage.SqlLike;

/** The SQL of invitations and of the directory of professionals one can invite. */
final class TeamSql {

  private TeamSql() {}

  /**
   * The caller's open invitations, naming what they are invited to (an invitee may know that much):
   * the patient's municipality, and who invited her with their facility and municipality, so an
   * invitation from a partner municipality is told apart from one of her own.
   */
  static List<JsonObject> invitations(Connection c, String userId, Places places) throws SQLException {
    List<JsonObject> found = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select m.board_id, b.kind, coalesce(p.family_name || ' ' ||"
        + " p.given_name, g.name), m.team_role, u.family_name || ' ' || u.given_name, m.invited_at,"
        + " p.municipality_code, coalesce(f.name, u.remote_facility, ''), f.municipality_code, u.home_node"
        + " from board_members m join care_boards b on b.id = m.board_id left join patients p on p.id = b.id"
        + " left join care_groups g on g.id = b.id join users u on u.id = m.invited_by"
        + " left join facilities f on f.id = u.facility_id"
        + " where m.user_id = ? and m.status = 'invited' and coalesce(b.replica_state, 'live') = 'live'"
        + " order by m.invited_at desc")) {
      s.setString(1, userId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(new JsonObject().put("boardId", rs.getString(1)).put("kind", rs.getString(2))
              .put("title", rs.getString(3)).put("teamRole", rs.getString(4)).put("invitedBy", rs.getString(5))
              .put("invitedAt", rs.getString(6)).put("patientMunicipality", Places.municipality(rs.getString(7)))
              .put("inviterFacility", rs.getString(8))
              .put("inviterMunicipality", places.of(rs.getString(9), rs.getString(10)))
              .put("inviterPartner", rs.getString(10) != null));
        }
      }
    }
    return found;
  }

  /** Active professionals of this node matching a name or kana, with facility and profession. */
  static List<JsonObject> professionals(Connection c, String query) throws SQLException {
    String like = SqlLike.contains(query);
    List<JsonObject> found = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select u.id, u.family_name || ' ' || u.given_name, u.profession,"
        + " f.name, f.municipality_code from users u join facilities f on f.id = u.facility_id where u.status = 'active'"
        + " and u.role in ('professional', 'facility_admin') and (u.family_name || u.given_name like ?" + SqlLike.ESCAPE
        + " or u.family_kana || u.given_kana like ?" + SqlLike.ESCAPE + " or f.name like ?" + SqlLike.ESCAPE + ")"
        + " order by u.family_kana, u.given_kana, u.id limit 50")) {
      s.setString(1, like);
      s.setString(2, like);
      s.setString(3, like);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(Member.person(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), null).toJson().put("id", rs.getString(1)));
        }
      }
    }
    return found;
  }
}
