package jp.tsunagu.node.disaster;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.idempotency.IdempotencyKeys;

/**
 * 要援護者台帳の取り込み, for municipal staff (行政) only: upload a CSV (a pending import with its
 * differences), read the history and an import, confirm it, and decide the proposed patient matches.
 */
final class RegisterRoutes implements RouteSet {

  static final String BASE = "/disaster/register";
  private static final Handler<RoutingContext> STAFF = AccessGuard.roles(Role.MUNICIPAL_STAFF);

  private final RegisterImports imports;
  private final RegisterMatches matches;
  private final IdempotencyKeys idempotency;
  private final long uploadBytes;

  RegisterRoutes(RegisterImports imports, RegisterMatches matches, IdempotencyKeys idempotency, long uploadBytes) {
    this.imports = imports;
    this.matches = matches;
    this.idempotency = idempotency;
    this.uploadBytes = uploadBytes;
  }

  /**
   * A municipality's register is a file (50,000 people are some 7 MB), not a JSON request: it has the
   * upload limit, ahead of the listener's general body handler (which then lets the read body pass).
   */
  @Override
  public void mountFilters(Router root) {
    root.post("/api/v1" + BASE + "/imports").order(-1).handler(BodyHandler.create(false).setBodyLimit(uploadBytes));
  }

  @Override
  public void mountApi(Router api) {
    idempotency.guard(api.post(BASE + "/imports").handler(STAFF).handler(AccessGuard::csrf)).handler(this::upload);
    api.get(BASE + "/imports").handler(STAFF).handler(this::history);
    api.get(BASE + "/imports/:importId").handler(STAFF).handler(this::show);
    api.post(BASE + "/imports/:importId/confirm").handler(STAFF).handler(AccessGuard::csrf).handler(this::confirm);
    api.get(BASE + "/matches").handler(STAFF).handler(this::matches);
    api.post(BASE + "/matches/:matchId/confirm").handler(STAFF).handler(AccessGuard::csrf)
        .handler(ctx -> decide(ctx, true));
    api.post(BASE + "/matches/:matchId/reject").handler(STAFF).handler(AccessGuard::csrf)
        .handler(ctx -> decide(ctx, false));
  }

  private void upload(RoutingContext ctx) {
    byte[] content = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    Answers.keepWithCreate(ctx);
    imports.upload(staff(ctx), content)
        .onSuccess(preview -> Answers.created(ctx, preview))
        .onFailure(ctx::fail);
  }

  private void history(RoutingContext ctx) {
    imports.history().onSuccess(list -> ctx.json(new JsonObject().put("imports", list))).onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx) {
    imports.show(staff(ctx), ctx.pathParam("importId")).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void confirm(RoutingContext ctx) {
    imports.confirm(staff(ctx), ctx.pathParam("importId")).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void matches(RoutingContext ctx) {
    matches.list(staff(ctx)).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void decide(RoutingContext ctx, boolean same) {
    matches.decide(staff(ctx), ctx.pathParam("matchId"), same).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private static String staff(RoutingContext ctx) {
    return Principal.required(ctx).user().id();
  }
}
