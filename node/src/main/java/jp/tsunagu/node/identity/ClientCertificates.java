package jp.tsunagu.node.identity;

import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import jp.tsunagu.node.web.ForwardedRequests;

/**
 * The device certificate the browser presented on this TLS connection, if any (or, for a request
 * forwarded from another instance of the node, on its connection to that instance).
 */
final class ClientCertificates {

  private ClientCertificates() {}

  static Optional<X509Certificate> of(RoutingContext ctx) {
    // A request another instance of a clustered node forwarded: the certificate its client presented there.
    Optional<X509Certificate> forwarded = ForwardedRequests.certificate(ctx);
    if (forwarded.isPresent()) {
      return forwarded;
    }
    HttpConnection connection = ctx.request().connection();
    if (connection == null || !connection.isSsl()) {
      return Optional.empty();
    }
    try {
      List<Certificate> chain = connection.peerCertificates();
      return chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate x509)
          ? Optional.empty() : Optional.of(x509);
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  /** Where {@link #fingerprintOf} keeps a request's answer. */
  private static final String FINGERPRINT = "identity.presentedFingerprint";

  /**
   * The fingerprint of the certificate presented for this request, if any, worked out once per request: the
   * certificate gate and the session check both compare it, and each computed it (a copy of the chain, the
   * certificate's encoding and a SHA-256) on every API request.
   */
  static Optional<String> fingerprintOf(RoutingContext ctx) {
    Optional<String> known = ctx.get(FINGERPRINT);
    if (known == null) {
      known = of(ctx).map(ClientCertificates::fingerprint);
      ctx.put(FINGERPRINT, known);
    }
    return known;
  }

  static String fingerprint(X509Certificate certificate) {
    try {
      return Secrets.sha256(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      return "unencodable";
    }
  }

  static boolean fromLoopback(RoutingContext ctx) {
    String host = ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().host();
    return "127.0.0.1".equals(host) || "0:0:0:0:0:0:0:1".equals(host) || "::1".equals(host);
  }
}
