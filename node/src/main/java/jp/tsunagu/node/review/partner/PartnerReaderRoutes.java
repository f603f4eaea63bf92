package jp.tsunagu.node.review.partner;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import jp.tsunagu.federation.wire.ReviewExchange;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.web.RouteSet;

/**
 * A professional of this node who sits on a partner's panel: the partner sessions held here for her and
 * their materials, stamped with her name and the time. Only her own copies; any other id is a 404.
 */
public final class PartnerReaderRoutes implements RouteSet {

  private final PartnerCopies copies;
  private final PartnerSender sender;
  private final PartnerOpinions opinions;
  private final AuditLog audit;
  private final io.vertx.core.json.JsonArray reasons;

  /** {@code reasons}: the standard reasons for a changed level, offered on her 事前審査 form. */
  public PartnerReaderRoutes(PartnerCopies copies, PartnerSender sender, PartnerOpinions opinions, AuditLog audit,
      io.vertx.core.json.JsonArray reasons) {
    this.opinions = opinions;
    this.reasons = reasons;
    this.copies = copies;
    this.sender = sender;
    this.audit = audit;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/review/partner/sessions").handler(AccessGuard.roles()).handler(ctx -> copies.sessions(user(ctx))
        .map(json -> json.put("reasons", reasons.copy())).onSuccess(ctx::json).onFailure(ctx::fail));
    api.get("/review/partner/materials/:copyId").handler(AccessGuard.roles()).handler(this::material);
    api.put("/review/partner/cases/:caseId/opinion").handler(AccessGuard.roles()).handler(AccessGuard::csrf)
        .handler(this::opinion);
  }

  private void material(RoutingContext ctx) {
    copies.open(ctx.vertx(), user(ctx), ctx.pathParam("copyId")).onSuccess(pdf -> ctx.response()
        .putHeader("Content-Type", "application/pdf")
        .putHeader("Content-Disposition", "inline; filename*=UTF-8''"
            + URLEncoder.encode(pdf.title() + ".pdf", StandardCharsets.UTF_8).replace("+", "%20"))
        .putHeader("Cache-Control", "private, no-store").end(Buffer.buffer(pdf.bytes()))).onFailure(ctx::fail);
  }

  /**
   * Her 事前審査 on a case held here: sent, signed by this node, to the session's node, which records it
   * with the same checks as a local reviewer's and answers with it (or its refusal's code) and with the
   * session's opinions she may now see, which are kept here and returned with it.
   */
  private void opinion(RoutingContext ctx) {
    JsonObject body = JsonBodies.required(ctx);
    String userId = user(ctx);
    String caseId = ctx.pathParam("caseId");
    String home = text(body, "node");
    String sessionId = text(body, "sessionId");
    Object months = body.getValue("months");
    ReviewExchange.Opinion o = new ReviewExchange.Opinion(sender.self(), home, userId, sessionId, caseId,
        Boolean.TRUE.equals(body.getValue("agrees")), text(body, "level"), text(body, "reason"),
        months instanceof Number n ? n.longValue() : 0L, text(body, "comment"), sender.now());
    String target = "review_partner_case:" + home + "/" + caseId;
    copies.requireHeld(userId, home, sessionId, caseId)
        .compose(ok -> sender.sendOpinion(ctx.vertx(), o))
        .compose(json -> audit.record(AuditEvent.success(userId, "review.partner.opinion_sent", target, null))
            .map(json))
        .compose(json -> opinions.afterOpinion(userId, home, sessionId, caseId, json))
        .recover(e -> e instanceof CodedException coded ? audit.record(AuditEvent.refused(userId,
            "review.partner.opinion_sent", target, new JsonObject().put("reason", coded.code())))
            .transform(x -> Future.<JsonObject>failedFuture(e)) : Future.failedFuture(e))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private static String text(JsonObject body, String field) {
    return body.getValue(field) instanceof String s ? s.strip() : "";
  }

  private static String user(RoutingContext ctx) {
    return Principal.required(ctx).user().id();
  }
}
