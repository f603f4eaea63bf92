package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.feature.UsageFigures.number;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.feature.UsageFigures;

/**
 * Cross-node teams for the usage report: this node's patients of a municipality whose team has an
 * active member from a partner node, and the team events accepted in the window per partner node that
 * wrote them (on this node's teams) or that is home to the team (on the replicas this node keeps,
 * counted once for the whole node). Counts only.
 */
public final class TeamSyncFigures implements UsageFigures {

  private static final String BOARDS = "select p.id from patients p join care_boards b on b.id = p.id"
      + " where b.home_node is null and p.municipality_code = ?";

  private final String self;

  public TeamSyncFigures(String self) {
    this.self = self;
  }

  @Override
  public List<Figure> count(Connection c, Window w, Optional<String> municipality) throws SQLException {
    List<Figure> out = new ArrayList<>();
    if (municipality.isEmpty()) {
      for (Object[] row : UsageFigures.pairs(c, "select b.home_node, count(*) from team_events e join care_boards b"
          + " on b.id = e.board_id where b.home_node is not null and e.accepted_at >= ? and e.accepted_at < ?"
          + " group by b.home_node order by b.home_node", w.fromText(), w.toText())) {
        out.add(new Figure("teamsync.replica_events:" + row[0], "連携先ノードのチームの出来事 " + row[0], (Long) row[1]));
      }
      return out;
    }
    String code = municipality.get();
    out.add(new Figure("teamsync.teams_spanning", "他ノードの専門職が参加するチーム", number(c,
        "select count(distinct m.board_id) from board_members m join users u on u.id = m.user_id"
            + " where m.status = 'active' and u.home_node is not null and m.board_id in (" + BOARDS + ")", code)));
    for (Object[] row : UsageFigures.pairs(c, "select origin, count(*) from team_events where board_id in (" + BOARDS
        + ") and origin <> ? and accepted_at >= ? and accepted_at < ? group by origin order by origin",
        code, self, w.fromText(), w.toText())) {
      out.add(new Figure("teamsync.events:" + row[0], "連携先ノードから受けた出来事 " + row[0], (Long) row[1]));
    }
    return out;
  }
}
