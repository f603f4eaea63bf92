package jp.tsunagu.node.family;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;

/**
 * 家族にも公開: a team member shows one post of the patient's timeline in the family notebook, or stops
 * showing it. Off by default; only a note qualifies (never a 特別便, a form or vitals), and only on a
 * patient homed here (the family's accounts live here). Anything else is the same 404 as a post that
 * does not exist; non-members get care's 404.
 */
final class SharedPostRoutes implements RouteSet {

  private final FamilyContext family;

  SharedPostRoutes(FamilyContext family) {
    this.family = family;
  }

  @Override
  public void mountApi(Router api) {
    var professionals = AccessGuard.roles(Role.PROFESSIONAL);
    api.post("/patients/:patientId/family/shared-posts").handler(professionals).handler(AccessGuard::csrf)
        .handler(this::share);
    api.delete("/patients/:patientId/family/shared-posts/:postId").handler(professionals).handler(AccessGuard::csrf)
        .handler(this::unshare);
  }

  private void share(RoutingContext ctx) {
    String userId = Principal.required(ctx).user().id();
    String patientId = ctx.pathParam("patientId");
    JsonObject body = JsonBodies.required(ctx);
    String postId = body.getValue("postId") instanceof String s ? s : "";
    change(ctx, userId, patientId, postId, true);
  }

  private void unshare(RoutingContext ctx) {
    change(ctx, Principal.required(ctx).user().id(), ctx.pathParam("patientId"), ctx.pathParam("postId"), false);
  }

  private void change(RoutingContext ctx, String userId, String patientId, String postId, boolean share) {
    String target = FamilyContext.patientTarget(patientId);
    String action = share ? "family.post.shared" : "family.post.unshared";
    String at = family.now().toString();
    family.patients().forMember(userId, patientId, action).compose(p -> family.services().database().write(c -> {
      boolean done = !family.notices().replica(c, patientId) && (share
          ? family.sharing().share(c, patientId, postId, userId, at) : family.sharing().unshare(c, patientId, postId));
      if (done) {
        family.audit().append(c, AuditEvent.success(userId, action, target, new JsonObject().put("post", postId)));
      }
      return done;
    })).compose(done -> done ? Future.succeededFuture()
        : family.<Void>refused(userId, action, target, FamilyErrors.notFound()))
        .onSuccess(v -> ctx.json(new JsonObject().put("postId", postId).put("shared", share)))
        .onFailure(ctx::fail);
  }
}
