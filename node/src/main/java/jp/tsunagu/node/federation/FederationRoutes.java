package jp.tsunagu.node.federation;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import jp.tsunagu.federation.agreement.AgreementReport;
import jp.tsunagu.federation.agreement.AgreementStatus;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.federation.wire.HelloResponse;
import jp.tsunagu.federation.wire.SharedAgreement;
import jp.tsunagu.node.errors.CodedException;

/** The {@code /federation/v1} API partner nodes call over mutual TLS. */
public final class FederationRoutes {


  private final Federation federation;

  FederationRoutes(Federation federation) {
    this.federation = federation;
  }

  void mount(Router router) {
    router.route(FederationV1.BASE_PATH + "/*").handler(this::requireTrustedPeer);
    router.get(FederationV1.HELLO).handler(this::hello);
    new DirectoryRoutes(federation).mount(router);
  }

  /**
   * The handshake already checked the pin; this checks it again per request because a connection
   * (or a resumed TLS session) may outlive the agreement that admitted it, and because on a
   * clustered node the handshake also admits the node's own certificate, which is no partner.
   */
  private void requireTrustedPeer(RoutingContext ctx) {
    String pin = peerPin(ctx);
    NodeCard peer = pin == null ? null : federation.trust().current().partner(pin).orElse(null);
    if (peer == null) {
      ctx.response().putHeader("Connection", "close");
      ctx.fail(CodedException.forbidden("federation.peer_not_trusted",
          "no active agreement admits this certificate (" + pin + ")"));
      return;
    }
    CallingPartner.admit(ctx, peer);
    federation.contacted(peer.profile().name());
    ctx.next();
  }

  /**
   * The pin of the partner's certificate: on its own connection, or, for a request a follower of
   * this clustered node forwarded (the connection then shows the node's own certificate), the one
   * the partner presented to the follower, which only this process's front door can hand over.
   */
  private static String peerPin(RoutingContext ctx) {
    java.util.Optional<X509Certificate> forwarded = jp.tsunagu.node.web.ForwardedRequests.certificate(ctx);
    if (forwarded.isPresent()) {
      return NodeIdentity.pinOf(forwarded.get());
    }
    try {
      List<Certificate> chain = ctx.request().connection().peerCertificates();
      return chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf) ? null : NodeIdentity.pinOf(leaf);
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private void hello(RoutingContext ctx) {
    NodeCard peer = CallingPartner.of(ctx);
    Instant now = federation.clock().instant();
    String local = federation.identity().name();
    List<SharedAgreement> shared = federation.agreements().current().reports(now).stream()
        .filter(r -> sharedNow(r, local, peer.profile().name()))
        .map(SharedAgreement::of)
        .toList();
    federation.contacted(peer.profile().name());
    ctx.response()
        .putHeader("Content-Type", FederationV1.JOSE)
        .putHeader("Cache-Control", "no-store")
        .end(HelloResponse.sign(federation.identity(), shared, now));
  }

  /** Versions in force (or signed for later) that both nodes are parties to and have not left. */
  private static boolean sharedNow(AgreementReport report, String local, String peer) {
    return (report.status() == AgreementStatus.ACTIVE || report.status() == AgreementStatus.NOT_YET_VALID)
        && report.isParticipating(local) && report.isParticipating(peer);
  }
}
