package jp.tsunagu.node.vaccination;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.buffer.Buffer;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.idempotency.IdempotencyKeys;

/**
 * For 行政 (municipal staff) only: the vaccination report and its CSV, the node's patients to mark for
 * home vaccination, and adding a vaccine to the list.
 */
final class ReportRoutes implements RouteSet {

  private static final Handler<RoutingContext> STAFF = AccessGuard.roles(Role.MUNICIPAL_STAFF);

  private final Reports reports;
  private final Vaccines vaccines;
  private final Plans plans;
  private final IdempotencyKeys idempotency;

  ReportRoutes(Reports reports, Vaccines vaccines, Plans plans, IdempotencyKeys idempotency) {
    this.reports = reports;
    this.plans = plans;
    this.vaccines = vaccines;
    this.idempotency = idempotency;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/vaccination/report").handler(STAFF).handler(ctx -> reports.counts(staff(ctx), query(ctx))
        .onSuccess(ctx::json).onFailure(ctx::fail));
    api.get("/vaccination/report.csv").handler(STAFF).handler(this::csv);
    api.get("/vaccination/registered-patients").handler(STAFF).handler(ctx -> plans.registered(staff(ctx))
        .onSuccess(ctx::json).onFailure(ctx::fail));
    idempotency.guard(api.post("/vaccination/vaccines").handler(STAFF).handler(AccessGuard::csrf))
        .handler(ctx -> {
          Answers.keepWithCreate(ctx);
          vaccines.add(staff(ctx), JsonBodies.required(ctx)).onSuccess(saved -> Answers.created(ctx, saved))
              .onFailure(ctx::fail);
        });
  }

  private void csv(RoutingContext ctx) {
    String encoding = ctx.request().getParam("encoding", "utf-8");
    if (!encoding.equals("utf-8") && !encoding.equals("shift_jis")) {
      throw CodedException.invalid("vaccination.bad_encoding", "文字コードは UTF-8 か Shift_JIS を選んでください。");
    }
    boolean shiftJis = encoding.equals("shift_jis");
    Reports.Query query = query(ctx);
    reports.csv(staff(ctx), query, shiftJis).onSuccess(bytes -> ctx.response()
        .putHeader("Content-Type", "text/csv; charset=" + (shiftJis ? "Shift_JIS" : "UTF-8"))
        .putHeader("Content-Disposition", "attachment; filename=\"vaccinations-" + query.from() + "-" + query.to()
            + (shiftJis ? "-sjis" : "") + ".csv\"")
        .putHeader("Cache-Control", "private, no-store")
        .end(Buffer.buffer(bytes))).onFailure(ctx::fail);
  }

  private static Reports.Query query(RoutingContext ctx) {
    return Reports.Query.of(ctx.request().getParam("from"), ctx.request().getParam("to"),
        ctx.request().getParam("vaccine"));
  }

  private static String staff(RoutingContext ctx) {
    return Principal.required(ctx).user().id();
  }
}
