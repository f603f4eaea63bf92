package jp.tsunagu.node.review.partner;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Predicate;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.federation.wire.ReviewExchange;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.federation.CallingPartner;
import jp.tsunagu.node.federation.Federation;

/**
 * The review board's federation routes. As the reviewer's node: a package of released materials and a
 * deletion, both from the session's node. As the session's node: a partner reviewer's opinion. Each is
 * checked (scope, signature by the calling node, clock window, this node as receiver) before anything
 * is read; each refusal has a stable code, is audited as the calling node's and stores nothing.
 */
public final class PartnerExchange {

  private final SignedMessages signed;
  private final PartnerCopies copies;
  private final OpinionSink opinions;
  private final PartnerOpinions views;
  private final PartnerNotices notices;
  private final AuditLog audit;

  public PartnerExchange(Federation federation, Predicate<String> granted, PartnerCopies copies, OpinionSink opinions,
      PartnerOpinions views, PartnerNotices notices, AuditLog audit) {
    this.signed = new SignedMessages(federation, granted);
    this.views = views;
    this.notices = notices;
    this.copies = copies;
    this.opinions = opinions;
    this.audit = audit;
  }

  public void mount(Router router) {
    router.post(ReviewExchange.PACKAGE_PATH).handler(this::receivePackage);
    router.post(ReviewExchange.DELETION_PATH).handler(this::receiveDeletion);
    router.post(ReviewExchange.OPINION_PATH).handler(this::receiveOpinion);
    router.post(ReviewExchange.OPINIONS_PATH).handler(this::receiveView);
  }

  /** As the reviewer's node: the session's opinions as the home lets her see them, replacing older ones. */
  private void receiveView(RoutingContext ctx) {
    String caller = CallingPartner.of(ctx).profile().name();
    checked(caller, "review.partner.opinions", () -> views.receive(caller, ctx.body().asString())
        .map(stored -> new JsonObject().put("stored", stored)))
        .onSuccess(json -> answer(ctx, json)).onFailure(ctx::fail);
  }

  private void receivePackage(RoutingContext ctx) {
    String caller = CallingPartner.of(ctx).profile().name();
    checked(caller, "review.partner.package", () -> {
      ReviewExchange.MaterialsPackage p = signed.verified(caller, ctx.body().asString(),
          trust -> ReviewExchange.MaterialsPackage.verify(ctx.body().asString(), trust),
          ReviewExchange.MaterialsPackage::node, ReviewExchange.MaterialsPackage::issuedAt);
      if (!p.partner().equals(signed.self())) {
        throw PartnerErrors.notForUs("addressed to " + p.partner());
      }
      // Her notice mail goes now that the session is held for her (once; the job retries a failed one).
      return copies.store(ctx.vertx(), p).onSuccess(n -> notices.sendDueNow(ctx.vertx()))
          .map(n -> new JsonObject().put("materials", n));
    }).onSuccess(json -> answer(ctx, json)).onFailure(ctx::fail);
  }

  private void receiveDeletion(RoutingContext ctx) {
    String caller = CallingPartner.of(ctx).profile().name();
    checked(caller, "review.partner.deletion", () -> {
      ReviewExchange.Deletion d = signed.verified(caller, ctx.body().asString(),
          trust -> ReviewExchange.Deletion.verify(ctx.body().asString(), trust), ReviewExchange.Deletion::node,
          ReviewExchange.Deletion::issuedAt);
      if (!d.partner().equals(signed.self())) {
        throw PartnerErrors.notForUs("addressed to " + d.partner());
      }
      return copies.delete(ctx.vertx(), d.node(), d.sessionId()).map(n -> new JsonObject().put("files", n));
    }).onSuccess(json -> answer(ctx, json)).onFailure(ctx::fail);
  }

  private void receiveOpinion(RoutingContext ctx) {
    String caller = CallingPartner.of(ctx).profile().name();
    checked(caller, "review.partner.opinion", () -> {
      ReviewExchange.Opinion o = signed.verified(caller, ctx.body().asString(),
          trust -> ReviewExchange.Opinion.verify(ctx.body().asString(), trust), ReviewExchange.Opinion::node,
          ReviewExchange.Opinion::issuedAt);
      if (!o.home().equals(signed.self())) {
        throw PartnerErrors.notForUs("addressed to " + o.home());
      }
      JsonObject body = new JsonObject().put("agrees", o.agrees()).put("level", o.level()).put("reason", o.reason())
          .put("months", o.months()).put("comment", o.comment());
      return opinions.record(o.node(), o.reviewer(), o.sessionId(), o.caseId(), body)
          .recover(e -> Future.failedFuture(e instanceof CodedException c && c.code().equals("review.not_found")
              ? PartnerErrors.notOnPanel() : e));
    }).onSuccess(json -> answer(ctx, json)).onFailure(ctx::fail);
  }

  /** Runs the work; a coded refusal (thrown or failed) is audited as the caller's and passed on. */
  private Future<JsonObject> checked(String caller, String action, java.util.function.Supplier<Future<JsonObject>> work) {
    Future<JsonObject> done;
    try {
      done = work.get();
    } catch (CodedException e) {
      done = Future.failedFuture(e);
    }
    return done.recover(e -> e instanceof CodedException coded && coded.kind().isRefusal()
        ? audit.record(AuditEvent.refused("node:" + caller, action, "partner_node:" + caller,
            new JsonObject().put("reason", coded.code()))).transform(x -> Future.<JsonObject>failedFuture(e))
        : Future.failedFuture(e));
  }

  private static void answer(RoutingContext ctx, JsonObject json) {
    ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(json.encode());
  }
}
