package jp.tsunagu.node.sensors;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.RouteSet;

/**
 * The センサー tab of a patient page (team members; the care feature decides who is one, everyone else
 * gets its 404) and 行政's area summary.
 */
final class SensorViewRoutes implements RouteSet {

  private static final Handler<RoutingContext> TEAM = AccessGuard.roles(Role.PROFESSIONAL, Role.FACILITY_ADMIN);
  private static final Handler<RoutingContext> STAFF = AccessGuard.roles(Role.MUNICIPAL_STAFF);

  private final SensorViews views;

  SensorViewRoutes(SensorViews views) {
    this.views = views;
  }

  @Override
  public void mountApi(Router api) {
    api.get(HouseholdRoutes.BASE + "/patients/:patientId").handler(TEAM).handler(this::patient);
    api.get(HouseholdRoutes.BASE + "/area-summary").handler(STAFF).handler(this::area);
  }

  private void patient(RoutingContext ctx) {
    views.patient(HouseholdRoutes.user(ctx), ctx.pathParam("patientId"), ctx.request().getParam("range", "7d"))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void area(RoutingContext ctx) {
    views.areaSummary(HouseholdRoutes.user(ctx)).onSuccess(ctx::json).onFailure(ctx::fail);
  }
}
