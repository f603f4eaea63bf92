package jp.tsunagu.node.review;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.web.JsonBodies;

/**
 * The 審査委員's screens: their sessions, 事前審査 per case, the materials (stamped), and for the
 * chair the aggregation, the confirmation of agreed cases and the 二次判定. Open to any logged-in
 * account; whoever does not sit on the session's panel gets the 404 of a session that does not exist.
 * A body is read (and its text checked) before the seat, so a refusal for bad text tells nothing.
 */
final class ReviewerRoutes implements jp.tsunagu.node.web.RouteSet {

  private static final Handler<RoutingContext> SIGNED_IN = AccessGuard.roles();

  private final PreReview preReview;
  private final Materials materials;
  private final Results results;

  ReviewerRoutes(PreReview preReview, Materials materials, Results results) {
    this.preReview = preReview;
    this.materials = materials;
    this.results = results;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/review/my/sessions").handler(SIGNED_IN).handler(ctx -> preReview.mySessions(user(ctx))
        .onSuccess(ctx::json).onFailure(ctx::fail));
    api.get("/review/my/sessions/:sessionId").handler(SIGNED_IN).handler(ctx -> preReview.session(user(ctx),
        ctx.pathParam("sessionId")).onSuccess(ctx::json).onFailure(ctx::fail));
    api.put("/review/my/cases/:caseId/opinion").handler(SIGNED_IN).handler(AccessGuard::csrf).handler(ctx -> {
      JsonObject body = JsonBodies.required(ctx);
      preReview.submit(user(ctx), ctx.pathParam("caseId"), body).onSuccess(ctx::json).onFailure(ctx::fail);
    });
    api.get("/review/my/materials/:materialId").handler(SIGNED_IN).handler(this::material);
    api.get("/review/my/sessions/:sessionId/aggregation").handler(SIGNED_IN).handler(ctx -> results
        .forChair(user(ctx), ctx.pathParam("sessionId")).onSuccess(ctx::json).onFailure(ctx::fail));
    api.post("/review/my/sessions/:sessionId/confirm-agreed").handler(SIGNED_IN).handler(AccessGuard::csrf)
        .handler(ctx -> results.confirmAgreed(user(ctx), ctx.pathParam("sessionId")).onSuccess(ctx::json)
            .onFailure(ctx::fail));
    api.put("/review/my/cases/:caseId/decision").handler(SIGNED_IN).handler(AccessGuard::csrf).handler(ctx -> {
      JsonObject body = JsonBodies.required(ctx);
      results.decide(user(ctx), ctx.pathParam("caseId"), body).onSuccess(ctx::json).onFailure(ctx::fail);
    });
  }

  private void material(RoutingContext ctx) {
    boolean download = "1".equals(ctx.request().getParam("download"));
    materials.open(ctx.vertx(), user(ctx), ctx.pathParam("materialId")).onSuccess(pdf -> ctx.response()
        .putHeader("Content-Type", "application/pdf")
        .putHeader("Content-Disposition", (download ? "attachment" : "inline") + "; filename*=UTF-8''"
            + URLEncoder.encode(pdf.title() + ".pdf", StandardCharsets.UTF_8).replace("+", "%20"))
        .putHeader("Cache-Control", "private, no-store").end(Buffer.buffer(pdf.bytes()))).onFailure(ctx::fail);
  }

  private static String user(RoutingContext ctx) {
    return Principal.required(ctx).user().id();
  }
}
