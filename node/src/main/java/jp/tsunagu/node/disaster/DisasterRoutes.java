package jp.tsunagu.node.disaster;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;

/**
 * 災害モード and the register's dashboard: the declaration every screen shows (to anyone, logged in or
 * not), its declaration and end by municipal staff, and for staff and professionals the per-地区
 * counts, the filtered list and the printed list of a 地区, each as {@link Visibility} allows.
 */
final class DisasterRoutes implements RouteSet {

  private static final Handler<RoutingContext> STAFF = AccessGuard.roles(Role.MUNICIPAL_STAFF);
  private static final Handler<RoutingContext> READERS = AccessGuard.roles(Role.MUNICIPAL_STAFF, Role.PROFESSIONAL,
      Role.FACILITY_ADMIN);

  private final NodeServices services;
  private final Declarations declarations;
  private final RegisterView view;

  DisasterRoutes(NodeServices services, Declarations declarations, RegisterView view) {
    this.services = services;
    this.declarations = declarations;
    this.view = view;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/disaster/status").handler(this::status);
    services.idempotency().guard(api.post("/disaster/declarations").handler(STAFF).handler(AccessGuard::csrf))
        .handler(this::declare);
    api.post("/disaster/declarations/current/end").handler(STAFF).handler(AccessGuard::csrf).handler(this::end);
    api.get("/disaster/summary").handler(READERS).handler(this::summary);
    api.get("/disaster/people").handler(READERS).handler(this::people);
    api.get("/disaster/districts/:district/pdf").handler(READERS).handler(this::pdf);
  }

  /** Whether a disaster is declared: only its kind, areas and start, which the banner shows to everyone. */
  private void status(RoutingContext ctx) {
    declarations.current().onSuccess(open -> ctx.json(new JsonObject().put("declared", open.isPresent())
        .put("declaration", open.map(DeclarationSql.Declaration::toJson).orElse(null))
        .put("kinds", new io.vertx.core.json.JsonArray(Declarations.KINDS)))).onFailure(ctx::fail);
  }

  private void declare(RoutingContext ctx) {
    JsonObject body = JsonBodies.required(ctx);
    Answers.keepWithCreate(ctx);
    declarations.declare(user(ctx), body).onSuccess(declared -> Answers.created(ctx, declared)).onFailure(ctx::fail);
  }

  private void end(RoutingContext ctx) {
    declarations.end(user(ctx)).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void summary(RoutingContext ctx) {
    view.summary(user(ctx), staff(ctx)).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void people(RoutingContext ctx) {
    RegisterView.Filter filter = new RegisterView.Filter(ctx.request().getParam("district", "").strip(),
        ctx.request().getParam("reason", "").strip(), ctx.request().getParam("q", "").strip());
    view.list(user(ctx), staff(ctx), filter).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void pdf(RoutingContext ctx) {
    String district = ctx.pathParam("district");
    view.district(user(ctx), staff(ctx), district)
        .compose(list -> ctx.vertx().executeBlocking(() -> RegisterPdf.render(
            JapanesePdfFont.find(JapanesePdfFont.systemFonts()), list, Instant.now(services.clock())), false))
        .onSuccess(bytes -> ctx.response().putHeader("Content-Type", "application/pdf")
            .putHeader("Content-Disposition", "inline; filename=\"register-district.pdf\"")
            .end(io.vertx.core.buffer.Buffer.buffer(bytes)))
        .onFailure(ctx::fail);
  }

  private static String user(RoutingContext ctx) {
    return Principal.required(ctx).user().id();
  }

  private static boolean staff(RoutingContext ctx) {
    return Principal.required(ctx).user().role() == Role.MUNICIPAL_STAFF;
  }
}
