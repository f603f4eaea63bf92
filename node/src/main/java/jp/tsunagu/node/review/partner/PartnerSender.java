package jp.tsunagu.node.review.partner;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.function.Predicate;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.wire.ErrorResponse;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.federation.wire.ReviewExchange;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.federation.LazyFederationClient;

/**
 * Sends the home's review messages to partner reviewers' nodes over the federation listener (mutual
 * TLS, pinned), each signed by this node; only to a partner that grants {@code certification-review}
 * now. Every delivery and every failure is audited with the partner's answer code; a failure does not
 * undo what the secretariat did here: {@link PartnerDeliveries} keeps it and sends it again until confirmed.
 */
public final class PartnerSender {

  private final Federation federation;
  private final Predicate<String> granted;
  private final AuditLog audit;
  private final LazyFederationClient client;

  public PartnerSender(Federation federation, Predicate<String> granted, AuditLog audit) {
    this.federation = federation;
    this.client = new LazyFederationClient(federation);
    this.granted = granted;
    this.audit = audit;
  }

  public String self() {
    return federation.identity().name();
  }

  public NodeIdentity identity() {
    return federation.identity();
  }

  public Instant now() {
    return federation.clock().instant();
  }

  /** Sends a package; succeeds with the partner's answer code ({@code ok} when stored). */
  public Future<String> sendPackage(Vertx vertx, ReviewExchange.MaterialsPackage p, String sessionTarget) {
    return send(vertx, p.partner(), ReviewExchange.PACKAGE_PATH, p.sign(federation.identity()),
        "review.partner.package_sent", sessionTarget, new JsonObject().put("reviewer", p.reviewer()));
  }

  /** Sends a reviewer's view of the session's opinions; succeeds with the partner's answer code. */
  public Future<String> sendView(Vertx vertx, ReviewExchange.OpinionsView v) {
    return send(vertx, v.partner(), ReviewExchange.OPINIONS_PATH, v.sign(federation.identity()),
        "review.partner.opinions_sent", "review_session:" + v.sessionId(), new JsonObject().put("reviewer",
            v.reviewer()));
  }

  /** Tells a partner node that the session's copies are to be deleted. */
  public Future<String> sendDeletion(Vertx vertx, String partner, String sessionId) {
    ReviewExchange.Deletion d = new ReviewExchange.Deletion(self(), partner, sessionId, now());
    return send(vertx, partner, ReviewExchange.DELETION_PATH, d.sign(federation.identity()),
        "review.partner.deletion_sent", "review_session:" + sessionId, new JsonObject());
  }

  /**
   * Sends a reviewer's opinion to the session's node; the answer is the opinion as recorded there, or a
   * failure with the home's code.
   */
  public Future<JsonObject> sendOpinion(Vertx vertx, ReviewExchange.Opinion o) {
    NodeCard card = federation.agreements().current().partners(self(), now()).stream()
        .filter(c -> c.profile().name().equals(o.home())).findFirst().orElse(null);
    if (card == null || !granted.test(o.home())) {
      return Future.failedFuture(PartnerReviewers.scopeNotGranted());
    }
    return client.get(vertx).call(card, HttpMethod.POST, ReviewExchange.OPINION_PATH,
            Buffer.buffer(o.sign(federation.identity())), FederationV1.JOSE)
        .recover(e -> Future.failedFuture(unavailable()))
        .compose(reply -> {
          if (reply.status() == 200) {
            federation.contacted(o.home());
            return Future.succeededFuture(new JsonObject(reply.body()));
          }
          try {
            ErrorResponse error = ErrorResponse.parse(reply.body().toString());
            return Future.failedFuture(jp.tsunagu.node.errors.CodedException.rejected(error.code(),
                "審査会の事務局のノードが意見を受け付けませんでした（" + error.code() + "）。"));
          } catch (ProtocolException e) {
            return Future.failedFuture(unavailable());
          }
        });
  }

  private static jp.tsunagu.node.errors.CodedException unavailable() {
    return jp.tsunagu.node.errors.CodedException.unavailable("review.partner_unavailable",
        "審査会の事務局のノードに接続できません。時間をおいて再度お試しください。");
  }

  private Future<String> send(Vertx vertx, String partner, String path, String compact, String action, String target,
      JsonObject detail) {
    NodeCard card = federation.agreements().current().partners(self(), now()).stream()
        .filter(c -> c.profile().name().equals(partner)).findFirst().orElse(null);
    Future<String> sent;
    if (card == null || !granted.test(partner)) {
      sent = Future.succeededFuture("federation.scope_not_granted");
    } else {
      sent = client.get(vertx).call(card, HttpMethod.POST, path, Buffer.buffer(compact), FederationV1.JOSE)
          .map(reply -> {
            if (reply.status() == 200) {
              federation.contacted(partner);
              return "ok";
            }
            return ErrorResponse.codeOr(reply.body().toString(), "review.partner_unavailable");
          }).recover(e -> Future.succeededFuture("review.partner_unavailable"));
    }
    return sent.compose(code -> audit.record(code.equals("ok")
        ? AuditEvent.success("review-exchange", action, target, detail.copy().put("partner", partner))
        : AuditEvent.refused("review-exchange", action, target, detail.copy().put("partner", partner)
            .put("reason", code))).map(code));
  }

  public void close() {
    client.close();
  }
}
