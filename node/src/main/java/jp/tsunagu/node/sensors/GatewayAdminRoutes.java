package jp.tsunagu.node.sensors;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;

/**
 * Gateway credentials on the admin API ({@code /admin/v1}, loopback, operator token), for
 * {@code tsunagu-admin sensors gateway issue|list|revoke} and the simulator (a gateway's devices).
 * The operator names the account acting ({@code issuedBy}, {@code revokedBy}: a node operator or
 * 行政 login id), which the gateway's record keeps; the audit log's actor is {@code operator}.
 */
final class GatewayAdminRoutes implements RouteSet {

  private final Gateways gateways;

  GatewayAdminRoutes(Gateways gateways) {
    this.gateways = gateways;
  }

  @Override
  public void mountApi(Router api) {
    api.post(GatewayRoutes.BASE).handler(this::issue);
    api.get(GatewayRoutes.BASE).handler(this::list);
    api.post(GatewayRoutes.BASE + "/:gatewayId/revoke").handler(this::revoke);
    api.get(GatewayRoutes.BASE + "/:gatewayId/devices").handler(this::devices);
  }

  private void issue(RoutingContext ctx) {
    JsonObject body = JsonBodies.required(ctx);
    gateways.operator(body.getValue("issuedBy")).compose(actor -> gateways.issue(actor, body))
        .onSuccess(g -> Answers.created(ctx, g)).onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    gateways.list().onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void revoke(RoutingContext ctx) {
    JsonObject body = JsonBodies.required(ctx);
    gateways.operator(body.getValue("revokedBy")).compose(actor -> gateways.revoke(actor, ctx.pathParam("gatewayId")))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void devices(RoutingContext ctx) {
    gateways.devices(ctx.pathParam("gatewayId")).onSuccess(ctx::json).onFailure(ctx::fail);
  }
}
