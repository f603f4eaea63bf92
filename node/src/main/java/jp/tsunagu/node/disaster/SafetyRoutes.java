package jp.tsunagu.node.disaster;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.EventStream;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.idempotency.IdempotencyKeys;

/**
 * 安否確認: recording a person's safety (staff, and professionals for their own confirmed patients),
 * the progress board per 地区 for staff, and its live stream, which says only which 地区 changed so
 * the board is read again (names never travel on it).
 */
final class SafetyRoutes implements RouteSet {

  private static final Handler<RoutingContext> STAFF = AccessGuard.roles(Role.MUNICIPAL_STAFF);
  private static final Handler<RoutingContext> RECORDERS = AccessGuard.roles(Role.MUNICIPAL_STAFF,
      Role.PROFESSIONAL, Role.FACILITY_ADMIN);

  private final SafetyChecks checks;
  private final IdempotencyKeys idempotency;

  SafetyRoutes(SafetyChecks checks, IdempotencyKeys idempotency) {
    this.checks = checks;
    this.idempotency = idempotency;
  }

  @Override
  public void mountApi(Router api) {
    idempotency.guard(api.post("/disaster/safety-checks").handler(RECORDERS).handler(AccessGuard::csrf))
        .handler(this::record);
    api.get("/disaster/safety-board").handler(STAFF).handler(this::board);
    api.get("/disaster/safety-board/live").handler(STAFF).handler(this::live);
  }

  private void record(RoutingContext ctx) {
    JsonObject body = JsonBodies.required(ctx);
    Principal who = Principal.required(ctx);
    Answers.keepWithCreate(ctx);
    checks.record(ctx.vertx(), who.user().id(), who.user().role() == Role.MUNICIPAL_STAFF, body)
        .onSuccess(saved -> Answers.created(ctx, saved)).onFailure(ctx::fail);
  }

  private void board(RoutingContext ctx) {
    checks.board().onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void live(RoutingContext ctx) {
    EventStream.relaying(ctx, SafetyChecks.ADDRESS, "safety", JsonObject::encode);
  }
}
