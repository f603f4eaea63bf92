package jp.tsunagu.node.reports;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.RouteSet;

/**
 * 行政's usage report (レポート): the figures as JSON for the screen's charts and the same as a CSV file a
 * spreadsheet opens (UTF-8 with a byte order mark, as Excel needs to read it as UTF-8). 行政 only; every
 * other role gets 403. A bad period is refused before anything is counted or audited.
 */
final class ReportsRoutes implements RouteSet {

  static final String BASE = "/reports/usage";
  private static final Handler<RoutingContext> STAFF = AccessGuard.roles(Role.MUNICIPAL_STAFF);

  private final UsageReports reports;
  private final PactReports pact;

  ReportsRoutes(UsageReports reports, PactReports pact) {
    this.reports = reports;
    this.pact = pact;
  }

  @Override
  public void mountApi(Router api) {
    api.get(BASE).handler(STAFF).handler(this::read);
    api.get(BASE + ".csv").handler(STAFF).handler(this::export);
    api.get("/reports/pact").handler(STAFF).handler(this::pact);
  }

  /** The pact report: this node's summary and each partner's under the statistics scope. */
  private void pact(RoutingContext ctx) {
    pact.report(ctx.vertx(), user(ctx), period(ctx)).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private ReportPeriod period(RoutingContext ctx) {
    return ReportPeriod.parse(ctx.request().getParam("from"), ctx.request().getParam("to"), reports.currentMonth());
  }

  private void read(RoutingContext ctx) {
    reports.report(user(ctx), period(ctx), "reports.usage.read").map(UsageReports::toJson)
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void export(RoutingContext ctx) {
    ReportPeriod period = period(ctx);
    reports.report(user(ctx), period, "reports.usage.export").onSuccess(report -> ctx.response()
        .putHeader("Content-Type", "text/csv; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"usage-" + period.first() + "-" + period.last()
            + ".csv\"")
        .end(UsageCsv.of(report))).onFailure(ctx::fail);
  }

  private static String user(RoutingContext ctx) {
    return Principal.required(ctx).user().id();
  }
}
