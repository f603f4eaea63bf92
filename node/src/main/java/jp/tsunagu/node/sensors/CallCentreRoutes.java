package jp.tsunagu.node.sensors;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.EventStream;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;

/** The 見守りセンター's alerts (行政 see them too, and the machine ones): the list, one alert, each step on it. */
final class CallCentreRoutes implements RouteSet {

  private static final Handler<RoutingContext> WORKERS = AccessGuard.roles(Role.WATCH_CENTRE, Role.MUNICIPAL_STAFF);

  /** One step on an alert, as the call centre takes it. */
  private interface StepCall {
    Future<JsonObject> take(io.vertx.core.Vertx vertx, String userId, boolean staff, String alertId, JsonObject body);
  }

  private final CallCentre centre;

  CallCentreRoutes(CallCentre centre) {
    this.centre = centre;
  }

  @Override
  public void mountApi(Router api) {
    String base = HouseholdRoutes.BASE + "/alerts";
    api.get(base).handler(WORKERS).handler(this::list);
    api.get(base + "/live").handler(WORKERS).handler(this::live);
    api.get(base + "/:alertId").handler(WORKERS).handler(this::show);
    step(api, base + "/:alertId/calls", centre::call);
    step(api, base + "/:alertId/resolve", centre::resolve);
    step(api, base + "/:alertId/escalate", centre::escalate);
    step(api, base + "/:alertId/visit", centre::visit);
  }

  private void step(Router api, String path, StepCall call) {
    api.post(path).handler(WORKERS).handler(AccessGuard::csrf).handler(ctx -> {
      JsonObject body = JsonBodies.required(ctx);
      call.take(ctx.vertx(), HouseholdRoutes.user(ctx), staff(ctx), ctx.pathParam("alertId"), body)
          .onSuccess(ctx::json).onFailure(ctx::fail);
    });
  }

  private void list(RoutingContext ctx) {
    centre.open(HouseholdRoutes.user(ctx), staff(ctx)).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx) {
    centre.one(HouseholdRoutes.user(ctx), staff(ctx), ctx.pathParam("alertId")).onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  /**
   * Says only that the open alerts changed (a new one raised, one escalated by the timer), so the
   * screen reads its list again at once: no name travels on the stream.
   */
  private void live(RoutingContext ctx) {
    EventStream.relaying(ctx, AlertRules.ADDRESS, "alerts", body -> "{}");
  }

  private static boolean staff(RoutingContext ctx) {
    return Principal.required(ctx).user().role() == Role.MUNICIPAL_STAFF;
  }
}
