package jp.tsunagu.node.sensors;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.idempotency.IdempotencyKeys;

/** Gateway credentials for municipal staff (行政): register a provider's public key, list, revoke. */
final class GatewayRoutes implements RouteSet {

  static final String BASE = "/sensors/gateways";
  private static final Handler<RoutingContext> STAFF = AccessGuard.roles(Role.MUNICIPAL_STAFF);

  private final Gateways gateways;
  private final IdempotencyKeys idempotency;

  GatewayRoutes(Gateways gateways, IdempotencyKeys idempotency) {
    this.gateways = gateways;
    this.idempotency = idempotency;
  }

  @Override
  public void mountApi(Router api) {
    idempotency.guard(api.post(BASE).handler(STAFF).handler(AccessGuard::csrf)).handler(this::issue);
    api.get(BASE).handler(STAFF).handler(this::list);
    api.post(BASE + "/:gatewayId/revoke").handler(STAFF).handler(AccessGuard::csrf).handler(this::revoke);
  }

  private void issue(RoutingContext ctx) {
    Answers.keepWithCreate(ctx);
    gateways.issue(staff(ctx), JsonBodies.required(ctx)).onSuccess(g -> Answers.created(ctx, g)).onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    gateways.list().onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void revoke(RoutingContext ctx) {
    gateways.revoke(staff(ctx), ctx.pathParam("gatewayId")).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private static Gateways.Actor staff(RoutingContext ctx) {
    String id = Principal.required(ctx).user().id();
    return new Gateways.Actor(id, id);
  }
}
