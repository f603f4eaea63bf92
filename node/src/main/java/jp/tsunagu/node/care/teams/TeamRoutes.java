package jp.tsunagu.node.care.teams;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.web.DirectoryQuery;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.federation.PartnerDirectoryApi;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.care.CareFeature;
import jp.tsunagu.node.care.CareErrors;
import jp.tsunagu.node.care.CareContext;
import jp.tsunagu.node.care.CareActor;
import jp.tsunagu.node.web.Answers;

/**
 * Care teams and group members: the team tab, invitations (invite, accept, decline), leaving and
 * removing. The same routes serve {@code /patients/:boardId/team} and {@code /groups/:boardId/team}.
 */
public final class TeamRoutes implements RouteSet {

  private final CareContext care;

  public TeamRoutes(CareContext care) {
    this.care = care;
  }

  @Override
  public void mountApi(Router api) {
    for (BoardKind kind : BoardKind.values()) {
      String base = "/" + kind.path() + "/:boardId/team";
      api.get(base).handler(CareFeature.PROFESSIONALS).handler(ctx -> team(ctx, kind));
      care.services().idempotency().guard(api.post(base + "/invitations").handler(CareFeature.PROFESSIONALS)
          .handler(AccessGuard::csrf)).handler(ctx -> invite(ctx, kind));
      api.post(base + "/leave").handler(CareFeature.PROFESSIONALS).handler(AccessGuard::csrf)
          .handler(ctx -> leave(ctx, kind));
      api.post(base + "/members/:userId/remove").handler(CareFeature.PROFESSIONALS).handler(AccessGuard::csrf)
          .handler(ctx -> remove(ctx, kind));
    }
    api.get("/invitations").handler(CareFeature.PROFESSIONALS).handler(this::invitations);
    api.post("/invitations/:boardId/accept").handler(CareFeature.PROFESSIONALS).handler(AccessGuard::csrf)
        .handler(ctx -> answer(ctx, "active"));
    api.post("/invitations/:boardId/decline").handler(CareFeature.PROFESSIONALS).handler(AccessGuard::csrf)
        .handler(ctx -> answer(ctx, "declined"));
    api.get("/professionals").handler(CareFeature.PROFESSIONALS).handler(this::professionals);
  }

  private void team(RoutingContext ctx, BoardKind kind) {
    CareActor actor = CareActor.of(ctx);
    String boardId = ctx.pathParam("boardId");
    care.member(actor, kind, boardId, "care.team.read")
        .compose(me -> care.auditedRead(care.database().read(c -> {
          List<Member> members = BoardSql.members(c, boardId);
          Places places = care.replication().places();
          Set<String> removable = TeamPermissions.removable(c, boardId, me, members);
          return new JsonObject().put("members", new JsonArray(members.stream()
                  .map(m -> m.toJson(places).put("removable", removable.contains(m.userId()))).toList()))
              .put("teamRoles", new JsonArray(TeamRoles.of(kind)))
              .put("inviteRoles", new JsonArray(TeamPermissions.inviteRoles(c, kind, boardId, me)));
        }), actor, "care.team.read", kind.auditTarget(boardId)))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private void invite(RoutingContext ctx, BoardKind kind) {
    CareActor actor = CareActor.of(ctx);
    String boardId = ctx.pathParam("boardId");
    CareInput input = CareInput.of(ctx);
    String invitee = input.text("userId", "招待する方", 120);
    String teamRole = input.oneOf("teamRole", "チームでの役割", TeamRoles.of(kind));
    JsonObject profile = input.json().getJsonObject("profile");
    Answers.keepWithCreate(ctx);
    care.member(actor, kind, boardId, "care.team.invite").compose(me -> care.database().write(c -> {
      if (TeamPermissions.MANAGING_ROLES.contains(teamRole) && !TeamPermissions.manages(c, boardId, me)) {
        throw TeamPermissions.managingRoleNotAllowed();
      }
      String userId = inviteeRow(c, kind, boardId, invitee, profile);
      var existing = BoardSql.member(c, boardId, userId);
      if (existing.isPresent() && (existing.get().active() || "invited".equals(existing.get().status()))) {
        throw CodedException.conflict("care.already_member", "この方はすでにメンバーか招待中です。");
      }
      BoardSql.upsertMember(c, boardId, userId, teamRole, "invited", actor.userId(), care.now());
      care.audit().append(c, AuditEvent.success(actor.userId(), "care.team.invited", kind.auditTarget(boardId),
          new JsonObject().put("invitee", userId).put("teamRole", teamRole)));
      care.recordEvent(c, boardId, care.events().invited(c, boardId, userId));
      care.recordLive(c, boardId, new JsonObject().put("type", "team"));
      // The answer is made here, where it is kept with the invitation for a retry of its key.
      Places places = care.replication().places();
      return new JsonObject().put("members", new JsonArray(BoardSql.members(c, boardId).stream()
          .map(m -> m.toJson(places)).toList()));
    }).recover(error -> refusedForWantOfPermission(actor, kind, boardId, "care.team.invite",
        new JsonObject().put("invitee", invitee).put("teamRole", teamRole), error))).onSuccess(invited -> {
      CareContext.boardChanged(ctx.vertx(), boardId);
      Answers.created(ctx, invited);
    }).onFailure(ctx::fail);
  }

  /**
   * The users row of whom to invite: a professional of this node by user id, or one of a partner
   * node by federated id ({@code loginId@node}, as the partner directory gives it) when an active
   * agreement with the care-team scope covers that node. A board homed here becomes shared with
   * the first partner's professional: its history goes into the team log first.
   */
  private String inviteeRow(java.sql.Connection c, BoardKind kind, String boardId, String invitee,
      JsonObject profile) throws java.sql.SQLException {
    var federated = FederatedId.tryParse(invitee);
    FederatedUsers users = care.users();
    if (federated.isEmpty() || federated.get().node().equals(users.localNode())) {
      String userId = invitee;
      if (federated.isPresent()) {
        try {
          userId = users.localUser(c, invitee, null);
        } catch (SyncRejection unknown) {
          throw FederatedUsers.notInvitable();
        }
      }
      if (!BoardSql.invitable(c, userId)) {
        throw FederatedUsers.notInvitable();
      }
      return userId;
    }
    if (kind != BoardKind.PATIENT) {
      throw CodedException.invalid("care.remote_not_allowed", "他の市町村の専門職は支援対象者のチームにのみ招待できます。");
    }
    if (!care.replication().careTeamPartner().test(federated.get().node())) {
      throw CodedException.invalid("care.partner_unavailable",
          "この市町村とは、支援チームを共有する広域連携協定が有効ではありません。");
    }
    if (!BoardSql.replica(c, boardId)) {
      care.replication().share(c, boardId);
    }
    // who they are comes from their own node (its directory answer), never from the request
    users.upsertShadow(c, federated.get(), care.replication().partnerProfile(invitee));
    return federated.get().toString();
  }

  private void leave(RoutingContext ctx, BoardKind kind) {
    CareActor actor = CareActor.of(ctx);
    changeMembership(ctx, kind, actor, actor.userId(), "left", "care.team.left");
  }

  private void remove(RoutingContext ctx, BoardKind kind) {
    CareActor actor = CareActor.of(ctx);
    String userId = ctx.pathParam("userId");
    if (userId.equals(actor.userId())) {
      ctx.fail(CodedException.invalid("care.remove_self", "ご自身はチームから「退出」してください。"));
      return;
    }
    changeMembership(ctx, kind, actor, userId, "removed", "care.team.removed");
  }

  /**
   * Ends a membership (one's own or another member's), keeping the row as history. Removing someone
   * else takes the permission {@link TeamPermissions} defines; a member without it gets an audited 403.
   */
  private void changeMembership(RoutingContext ctx, BoardKind kind, CareActor actor, String userId, String to,
      String action) {
    String boardId = ctx.pathParam("boardId");
    care.member(actor, kind, boardId, action).compose(me -> care.database().<Void>write(c -> {
      if (!userId.equals(actor.userId())) {
        Member target = BoardSql.member(c, boardId, userId).filter(m -> m.active() || "invited".equals(m.status()))
            .orElseThrow(() -> CodedException.notFound("care.member_not_found", "このメンバーは見つかりません。"));
        if (!TeamPermissions.mayRemove(c, boardId, me, target)) {
          throw TeamPermissions.notAllowed();
        }
      }
      String now = care.now();
      boolean changed = BoardSql.changeStatus(c, boardId, userId, "active", to, now)
          || BoardSql.changeStatus(c, boardId, userId, "invited", to, now);
      if (!changed) {
        throw CodedException.notFound("care.member_not_found", "このメンバーは見つかりません。");
      }
      care.audit().append(c, AuditEvent.success(actor.userId(), action, kind.auditTarget(boardId),
          new JsonObject().put("member", userId)));
      care.recordEvent(c, boardId, care.events().member(c, boardId, userId, actor.userId()));
      care.recordLive(c, boardId, new JsonObject().put("type", "team"));
      return null;
    }).recover(error -> refusedForWantOfPermission(actor, kind, boardId, action,
        new JsonObject().put("member", userId), error))).onSuccess(v -> {
      CareContext.boardChanged(ctx.vertx(), boardId);
      ctx.response().setStatusCode(204).end();
    }).onFailure(ctx::fail);
  }

  /** A change refused for want of the permission ({@link TeamPermissions}) leaves a trace in the audit log. */
  private <T> Future<T> refusedForWantOfPermission(CareActor actor, BoardKind kind, String boardId, String action,
      JsonObject detail, Throwable error) {
    if (!(error instanceof CodedException refusal) || !"care.not_allowed".equals(refusal.code())) {
      return Future.failedFuture(error);
    }
    return care.audit().record(AuditEvent.refused(actor.userId(), action, kind.auditTarget(boardId),
        detail.put("reason", "not_allowed"))).transform(ignored -> Future.failedFuture(error));
  }

  private void invitations(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    Places places = care.replication().places();
    care.database().read(c -> TeamSql.invitations(c, actor.userId(), places))
        .onSuccess(rows -> ctx.json(new JsonObject().put("invitations", new JsonArray(rows))))
        .onFailure(ctx::fail);
  }

  private void answer(RoutingContext ctx, String to) {
    CareActor actor = CareActor.of(ctx);
    String boardId = ctx.pathParam("boardId");
    care.database().write(c -> {
      if (!BoardSql.changeStatus(c, boardId, actor.userId(), "invited", to, care.now())) {
        throw CareErrors.notFound();
      }
      care.audit().append(c, AuditEvent.success(actor.userId(), "care.team." + ("active".equals(to) ? "accepted"
          : "declined"), "board:" + boardId, null));
      care.recordEvent(c, boardId, care.events().member(c, boardId, actor.userId(), actor.userId()));
      care.recordLive(c, boardId, new JsonObject().put("type", "team"));
      return null;
    }).onSuccess(v -> {
      CareContext.boardChanged(ctx.vertx(), boardId);
      ctx.response().setStatusCode(204).end();
    }).onFailure(ctx::fail);
  }

  /** This node's professionals to invite: a search text is required, so nobody lists the whole node. */
  private void professionals(RoutingContext ctx) {
    String query = DirectoryQuery.require(ctx.request().getParam("q"));
    care.database().read(c -> TeamSql.professionals(c, query))
        .onSuccess(rows -> ctx.json(new JsonObject().put("professionals", new JsonArray(rows))))
        .onFailure(ctx::fail);
  }
}
