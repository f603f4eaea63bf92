package jp.tsunagu.node.care;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.timeline.PostSql;
import jp.tsunagu.node.care.teams.BoardSql;

/**
 * The demo's care teams that span two nodes, made the way people make them: the patient's home node
 * invites a partner's professional by federated id (the board's history goes into the team log),
 * she accepts on her own node, and writes there; everything travels over the nodes' real sync. A
 * rerun leaves teams already formed as they are. Blocking; start-up only.
 */
public final class CareDemoTeams {

  /** One demo team: whose patient (by family name), which partner's professional joins, in what role. */
  public record Team(CareFeature home, String patientFamilyName, CareFeature memberNode, String memberLoginId,
      String teamRole, List<String> notes) {}

  private static final Duration WAIT = Duration.ofSeconds(60);

  private CareDemoTeams() {}

  public static void seed(List<Team> teams) {
    for (Team team : teams) {
      String boardId = invite(team);
      if (boardId == null) {
        continue;
      }
      NodeServices home = team.home().context().services();
      NodeServices memberNode = team.memberNode().context().services();
      String member = localId(memberNode, team.memberLoginId());
      await("the invitation to reach " + memberNode.config().node().name(), () ->
          memberNode.database().submitRead(c -> BoardSql.member(c, boardId, member).isPresent()).join());
      accept(team.memberNode().context(), boardId, member);
      // the history flows once she has accepted (the home node writes it in chunks as soon as the
      // board is shared); her notes follow it, as they would in real use
      long posts = home.database().submitRead(c -> postCount(c, boardId)).join();
      await("the history to reach " + memberNode.config().node().name(), () ->
          memberNode.database().submitRead(c -> postCount(c, boardId) >= posts).join());
      writeNotes(team.memberNode().context(), boardId, member, team.notes());
    }
  }

  /** The home node's side; null when the team was formed by an earlier run. */
  private static String invite(Team team) {
    CareContext home = team.home().context();
    CareContext memberNode = team.memberNode().context();
    String federatedId = team.memberLoginId() + "@" + memberNode.services().config().node().name();
    JsonObject profile = memberNode.database().submitRead(c ->
        memberNode.users().profile(c, localId(c, team.memberLoginId()))).join();
    String boardId = home.database().submitWrite(c -> {
      Optional<String[]> patient = patient(c, team.patientFamilyName());
      if (patient.isEmpty() || BoardSql.member(c, patient.get()[0], federatedId).isPresent()) {
        return null;
      }
      String board = patient.get()[0];
      home.replication().share(c, board);
      home.users().upsertShadow(c, FederatedId.parse(federatedId), profile);
      BoardSql.upsertMember(c, board, federatedId, team.teamRole(), "invited", patient.get()[1], home.now());
      home.recordEvent(c, board, home.events().invited(c, board, federatedId));
      return board;
    }).join();
    return boardId; // the sync engine's sweep writes the shared board's history within a second
  }

  /** The member's node: she accepts (her answer goes to the home node through the outbox). */
  private static void accept(CareContext node, String boardId, String member) {
    node.database().submitWrite(c -> {
      if (!BoardSql.changeStatus(c, boardId, member, "invited", "active", node.now())) {
        return null;
      }
      node.audit().append(c, AuditEvent.success(member, "care.team.accepted", "board:" + boardId, null));
      node.recordEvent(c, boardId, node.events().member(c, boardId, member, member));
      return null;
    }).join();
  }

  /** Her visit notes, written on her node once the team's history is there. */
  private static void writeNotes(CareContext node, String boardId, String member, List<String> notes) {
    CareActor actor = node.database().submitRead(c -> actor(c, member)).join();
    node.database().submitWrite(c -> {
      for (String note : notes) {
        String postId = CareIds.next();
        PostSql.insert(c, new PostSql.NewPost(postId, boardId, actor, "申し送り", "note", note, null, null, List.of(),
            List.of()), node.now());
        node.recordEvent(c, boardId, node.events().post(c, postId));
      }
      return null;
    }).join();
  }

  private static long postCount(Connection c, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select count(*) from posts where board_id = ?")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Optional<String[]> patient(Connection c, String familyName) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "select p.id, p.created_by from patients p join care_boards b on b.id = p.id where p.family_name = ?"
            + " and b.home_node is null order by p.created_at limit 1")) {
      s.setString(1, familyName);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : Optional.empty();
      }
    }
  }

  private static String localId(NodeServices node, String loginId) {
    return node.database().submitRead(c -> localId(c, loginId)).join();
  }

  private static String localId(Connection c, String loginId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select id from users where login_id = ? and home_node is null")) {
      s.setString(1, loginId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("demo account " + loginId + " is missing");
        }
        return rs.getString(1);
      }
    }
  }

  private static CareActor actor(Connection c, String userId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select family_name || ' ' || given_name, facility_id, profession"
        + " from users where id = ?")) {
      s.setString(1, userId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new CareActor(userId, rs.getString(1), Optional.ofNullable(rs.getString(2)), rs.getString(3));
      }
    }
  }

  private static void await(String what, java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the demo waited " + WAIT.toSeconds() + " s for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
