package jp.tsunagu.node.vaccination;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.idempotency.IdempotencyKeys;

/**
 * A patient's vaccinations, for the members of the patient's team: the history and statuses (the
 * 予防接種 tab), recording a dose, correcting it, adding an adverse reaction, the statuses the
 * patient list shows as icons, and the home-vaccination plans.
 */
final class VaccinationRoutes implements RouteSet {

  private static final Handler<RoutingContext> PROFESSIONALS = AccessGuard.roles(Role.PROFESSIONAL,
      Role.FACILITY_ADMIN);
  private static final Handler<RoutingContext> SIGNED_IN = AccessGuard.roles(Role.PROFESSIONAL,
      Role.FACILITY_ADMIN, Role.MUNICIPAL_STAFF);

  private final Doses doses;
  private final Plans plans;
  private final Vaccines vaccines;
  private final PatientStatuses statuses;
  private final IdempotencyKeys idempotency;

  VaccinationRoutes(Doses doses, Plans plans, Vaccines vaccines, PatientStatuses statuses,
      IdempotencyKeys idempotency) {
    this.doses = doses;
    this.plans = plans;
    this.vaccines = vaccines;
    this.statuses = statuses;
    this.idempotency = idempotency;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/vaccination/vaccines").handler(SIGNED_IN).handler(ctx -> vaccines.list().onSuccess(ctx::json)
        .onFailure(ctx::fail));
    api.get("/vaccination/statuses").handler(PROFESSIONALS).handler(this::statuses);
    api.get("/vaccination/plans").handler(PROFESSIONALS).handler(ctx -> plans.list(user(ctx),
        ctx.request().getParam("scope", "mine")).onSuccess(ctx::json).onFailure(ctx::fail));
    api.get("/patients/:boardId/vaccinations").handler(PROFESSIONALS).handler(ctx -> doses.history(user(ctx),
        ctx.pathParam("boardId")).onSuccess(ctx::json).onFailure(ctx::fail));
    idempotency.guard(api.post("/patients/:boardId/vaccinations").handler(PROFESSIONALS).handler(AccessGuard::csrf))
        .handler(this::record);
    api.put("/vaccinations/:doseId").handler(PROFESSIONALS).handler(AccessGuard::csrf).handler(ctx -> doses
        .correct(ctx.vertx(), user(ctx), ctx.pathParam("doseId"), JsonBodies.required(ctx)).onSuccess(ctx::json)
        .onFailure(ctx::fail));
    idempotency.guard(api.post("/vaccinations/:doseId/reactions").handler(PROFESSIONALS).handler(AccessGuard::csrf))
        .handler(ctx -> {
          Answers.keepWithCreate(ctx);
          doses.react(user(ctx), ctx.pathParam("doseId"), JsonBodies.required(ctx))
              .onSuccess(saved -> Answers.created(ctx, saved)).onFailure(ctx::fail);
        });
    idempotency.guard(api.post("/patients/:boardId/vaccination-plans").handler(SIGNED_IN)
        .handler(AccessGuard::csrf)).handler(ctx -> {
          Answers.keepWithCreate(ctx);
          plans.wish(user(ctx), Principal.required(ctx).user().role() == Role.MUNICIPAL_STAFF, ctx.pathParam("boardId"),
              JsonBodies.required(ctx)).onSuccess(saved -> Answers.created(ctx, saved)).onFailure(ctx::fail);
        });
    api.post("/vaccination-plans/:planId/schedule").handler(PROFESSIONALS).handler(AccessGuard::csrf)
        .handler(ctx -> plans.schedule(user(ctx), ctx.pathParam("planId"), JsonBodies.required(ctx))
            .onSuccess(ctx::json).onFailure(ctx::fail));
    api.post("/vaccination-plans/:planId/decline").handler(PROFESSIONALS).handler(AccessGuard::csrf)
        .handler(ctx -> plans.decline(user(ctx), ctx.pathParam("planId"), JsonBodies.required(ctx))
            .onSuccess(ctx::json).onFailure(ctx::fail));
  }

  private void record(RoutingContext ctx) {
    JsonObject body = JsonBodies.required(ctx);
    Answers.keepWithCreate(ctx);
    doses.record(ctx.vertx(), user(ctx), ctx.pathParam("boardId"), body)
        .onSuccess(saved -> Answers.created(ctx, saved)).onFailure(ctx::fail);
  }

  private void statuses(RoutingContext ctx) {
    String ids = ctx.request().getParam("patients", "");
    statuses.of(user(ctx), java.util.Arrays.stream(ids.split(",")).map(String::strip).filter(s -> !s.isEmpty())
        .distinct().limit(500).toList()).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private static String user(RoutingContext ctx) {
    return Principal.required(ctx).user().id();
  }
}
