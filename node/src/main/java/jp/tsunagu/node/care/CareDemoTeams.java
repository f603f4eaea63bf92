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
import jp.tsunagu.node.NodeServices;
import jp.tsunagu.node.audit.AuditEvent;

/**
 * The demo's care teams that span two nodes, made the way people make them: the patient's home node
 * invites a partner's professional by federated id (the board's history goes into the team log),
 * she accepts on her own node, and writes there; everything travels over the nodes' real sync. A
 * rerun leaves teams already formed as they are. Blocking; start-up only.
 */
public final class CareDemoTeams {

  /** One demo team: whose patient (by family name), which partner's professional joins, in what role. */
  public record Team(NodeServices home, String patientFamilyName, NodeServices memberNode, String memberLoginId,
      String teamRole, List<String> notes) {}

  private static final Duration WAIT = Duration.ofSeconds(60);

  private CareDemoTeams() {}

  public static void seed(List<Team> teams) {
    for (Team team : teams) {
      String boardId = invite(team);
      if (boardId == null) {
        continue;
      }
      String member = localId(team.memberNode(), team.memberLoginId());
      TeamLog log = TeamSync.of(team.home()).log();
      while (team.home().database().submitWrite(c -> log.shareNext(c, boardId)).join()) {
        // the patient's history, chunk by chunk, before the partner's member starts working
      }
      long history = team.home().database().submitRead(c -> TeamLogSql.latestSeq(c, boardId)).join();
      await("the invitation to reach " + team.memberNode().config().node().name(), () ->
          team.memberNode().database().submitRead(c -> BoardSql.member(c, boardId, member).isPresent()).join());
      accept(team, boardId, member);
      // the history flows once she has accepted; her notes follow it, as they would in real use
      await("the history to reach " + team.memberNode().config().node().name(), () ->
          team.memberNode().database().submitRead(c -> TeamLogSql.latestSeq(c, boardId) >= history).join());
      writeNotes(team, boardId, member);
    }
  }

  /** The home node's side; null when the team was formed by an earlier run. */
  private static String invite(Team team) {
    TeamSync sync = TeamSync.of(team.home());
    String memberNode = team.memberNode().config().node().name();
    String federatedId = team.memberLoginId() + "@" + memberNode;
    JsonObject profile = team.memberNode().database().submitRead(c ->
        TeamSync.of(team.memberNode()).users().profile(c, localId(c, team.memberLoginId()))).join();
    return team.home().database().submitWrite(c -> {
      Optional<String[]> patient = patient(c, team.patientFamilyName());
      if (patient.isEmpty() || BoardSql.member(c, patient.get()[0], federatedId).isPresent()) {
        return null;
      }
      String boardId = patient.get()[0];
      sync.log().share(c, boardId);
      sync.users().upsertShadow(c, FederatedId.parse(federatedId), profile);
      BoardSql.upsertMember(c, boardId, federatedId, team.teamRole(), "invited", patient.get()[1],
          team.home().clock().instant().toString());
      sync.log().record(c, boardId, sync.log().events().invited(c, boardId, federatedId));
      return boardId;
    }).join();
  }

  /** The member's node: she accepts (her answer goes to the home node through the outbox). */
  private static void accept(Team team, String boardId, String member) {
    TeamSync sync = TeamSync.of(team.memberNode());
    team.memberNode().database().submitWrite(c -> {
      if (!BoardSql.changeStatus(c, boardId, member, "invited", "active", team.memberNode().clock().instant()
          .toString())) {
        return null;
      }
      sync.audit().append(c, AuditEvent.success(member, "care.team.accepted", "board:" + boardId, null));
      sync.log().record(c, boardId, sync.log().events().member(c, boardId, member, member));
      return null;
    }).join();
  }

  /** Her visit notes, written on her node once the team's history is there. */
  private static void writeNotes(Team team, String boardId, String member) {
    TeamSync sync = TeamSync.of(team.memberNode());
    CareActor actor = team.memberNode().database().submitRead(c -> actor(c, member)).join();
    team.memberNode().database().submitWrite(c -> {
      for (String note : team.notes()) {
        String postId = CareIds.next();
        PostSql.insert(c, new PostSql.NewPost(postId, boardId, actor, "申し送り", "note", note, null, null, List.of(),
            List.of()), team.memberNode().clock().instant().toString());
        sync.log().record(c, boardId, sync.log().events().post(c, postId));
      }
      return null;
    }).join();
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
