package jp.tsunagu.node.care.teams;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.FieldProblems;
import jp.tsunagu.node.care.patients.PatientSql;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.CareFeature;
import jp.tsunagu.node.care.CareContext;
import jp.tsunagu.node.care.CareActor;
import jp.tsunagu.node.web.Answers;

/**
 * Groups (プロジェクト): boards not tied to a patient, such as infection-control information shared
 * among facilities. Members, timeline, comments, direct posts and attachments are the boards'
 * routes ({@code /groups/:boardId/...}); this class lists, creates and shows groups. Its SQL is here
 * because it is three statements.
 */
public final class GroupRoutes implements RouteSet {

  private final CareContext care;

  public GroupRoutes(CareContext care) {
    this.care = care;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/groups").handler(CareFeature.PROFESSIONALS).handler(this::list);
    care.services().idempotency().guard(api.post("/groups").handler(CareFeature.PROFESSIONALS)
        .handler(AccessGuard::csrf)).handler(this::create);
    api.get("/groups/:boardId").handler(CareFeature.PROFESSIONALS).handler(this::show);
  }

  private void list(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    care.database().read(c -> mine(c, actor.userId()))
        .onSuccess(rows -> ctx.json(new JsonObject().put("groups", new JsonArray(rows))))
        .onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    CareInput input = CareInput.of(ctx);
    FieldProblems problems = new FieldProblems();
    String name = problems.check("name", () -> input.text("name", "グループ名", 60));
    String description = problems.check("description", () -> input.optionalText("description", "説明", 2000));
    problems.throwIfAny();
    String id = CareIds.next();
    Answers.keepWithCreate(ctx);
    care.database().write(c -> {
      String now = care.now();
      BoardSql.insertBoard(c, id, BoardKind.GROUP, now);
      try (PreparedStatement s = c.prepareStatement("insert into care_groups (id, name, description, status,"
          + " created_by, created_at) values (?, ?, ?, 'active', ?, ?)")) {
        s.setString(1, id);
        s.setString(2, name);
        s.setString(3, description);
        s.setString(4, actor.userId());
        s.setString(5, now);
        s.executeUpdate();
      }
      BoardSql.upsertMember(c, id, actor.userId(), "管理者", "active", actor.userId(), now);
      care.audit().append(c, AuditEvent.success(actor.userId(), "care.group.created", "group:" + id, null));
      return group(c, id);
    }).onSuccess(group -> Answers.created(ctx, group)).onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    String id = ctx.pathParam("boardId");
    care.member(actor, BoardKind.GROUP, id, "care.group.read")
        .compose(me -> care.database().read(c -> group(c, id).put("myTeamRole", me.teamRole())))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private static JsonObject group(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "select id, name, description, status, created_at from care_groups where id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new JsonObject().put("id", rs.getString(1)).put("name", rs.getString(2))
            .put("description", rs.getString(3)).put("status", rs.getString(4)).put("createdAt", rs.getString(5));
      }
    }
  }

  private static List<JsonObject> mine(Connection c, String userId) throws SQLException {
    List<JsonObject> found = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select g.id, g.name, g.description, m.team_role, "
        + PatientSql.UNREAD + " from board_members m join care_groups g on g.id = m.board_id"
        + " where m.user_id = ? and m.status = 'active' and g.status = 'active' order by g.name")) {
      s.setString(1, userId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(new JsonObject().put("id", rs.getString(1)).put("name", rs.getString(2))
              .put("description", rs.getString(3)).put("teamRole", rs.getString(4)).put("unread", rs.getInt(5)));
        }
      }
    }
    return found;
  }
}
