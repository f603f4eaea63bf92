package jp.tsunagu.node.sensors;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.PercentDecoding;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.idempotency.IdempotencyKeys;

/** 行政's enrolment screens: the monitored households, enrolment with the consent scan, withdrawal. */
final class HouseholdRoutes implements RouteSet {

  static final String BASE = "/sensors";
  private static final Handler<RoutingContext> STAFF = AccessGuard.roles(Role.MUNICIPAL_STAFF);

  private final Enrolments enrolments;
  private final IdempotencyKeys idempotency;
  private final long uploadBytes;

  HouseholdRoutes(Enrolments enrolments, IdempotencyKeys idempotency, long uploadBytes) {
    this.enrolments = enrolments;
    this.idempotency = idempotency;
    this.uploadBytes = uploadBytes;
  }

  /** The consent scan is a file, not JSON: it has the upload limit, ahead of the general body handler. */
  @Override
  public void mountFilters(Router root) {
    root.post("/api/v1" + BASE + "/consent-scans").order(-1).handler(BodyHandler.create(false).setBodyLimit(uploadBytes));
  }

  @Override
  public void mountApi(Router api) {
    idempotency.guard(api.post(BASE + "/households").handler(STAFF).handler(AccessGuard::csrf)).handler(this::enrol);
    api.get(BASE + "/households").handler(STAFF).handler(this::list);
    api.get(BASE + "/households/:householdId").handler(STAFF).handler(this::show);
    api.post(BASE + "/households/:householdId/withdraw").handler(STAFF).handler(AccessGuard::csrf)
        .handler(this::withdraw);
    idempotency.guard(api.post(BASE + "/consent-scans").handler(STAFF).handler(AccessGuard::csrf))
        .handler(this::upload);
    api.get(BASE + "/consent-scans/:scanId").handler(STAFF).handler(this::download);
  }

  private void enrol(RoutingContext ctx) {
    JsonObject body = JsonBodies.required(ctx);
    Answers.keepWithCreate(ctx);
    enrolments.enrol(user(ctx), body).onSuccess(h -> Answers.created(ctx, h)).onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    enrolments.list(user(ctx)).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx) {
    enrolments.one(user(ctx), ctx.pathParam("householdId")).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void withdraw(RoutingContext ctx) {
    enrolments.withdraw(user(ctx), ctx.pathParam("householdId")).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void upload(RoutingContext ctx) {
    byte[] content = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    String name = ctx.request().getHeader("X-File-Name");
    Answers.keepWithCreate(ctx);
    enrolments.scan(ctx.vertx(), user(ctx), name == null ? "" : PercentDecoding.strict(name).orElse("").strip(), content)
        .onSuccess(scan -> Answers.created(ctx, scan)).onFailure(ctx::fail);
  }

  private void download(RoutingContext ctx) {
    enrolments.scanFile(user(ctx), ctx.pathParam("scanId")).onSuccess(scan -> ctx.response()
        .putHeader("Content-Type", scan.mediaType()).putHeader("Cache-Control", "no-store")
        .putHeader("Content-Disposition", "inline; filename=\"consent\"")
        .sendFile(enrolments.file(scan.sha256()).toString())).onFailure(ctx::fail);
  }

  static String user(RoutingContext ctx) {
    return Principal.required(ctx).user().id();
  }
}
