package jp.tsunagu.node.federation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.util.Set;
import java.util.function.Predicate;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.node.config.TlsEngine;

/**
 * TLS settings of node-to-node traffic, both directions: TLS 1.3 only, the node's own identity
 * certificate, and trust by agreement pins only (no CA, no host name: the pin is the identity).
 */
final class FederationTls {

  private static final Set<String> TLS_1_3 = Set.of("TLSv1.3");

  private FederationTls() {}

  /** The listener: a client certificate is required and must carry a pinned key. */
  static HttpServerOptions server(NodeIdentity identity, Predicate<String> pinAccepted, Runnable onRefusal,
      TlsEngine engine) {
    return engine.applyTo(new HttpServerOptions()
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setEnabledSecureTransportProtocols(TLS_1_3)
        .setKeyCertOptions(keyCert(identity))
        .setTrustOptions(TrustOptions.wrap(new PinTrustManager(pinAccepted, onRefusal))));
  }

  /** Outgoing calls: this node's certificate as client certificate, the server's key must be pinned. */
  static HttpClientOptions client(NodeIdentity identity, Predicate<String> pinAccepted, TlsEngine engine) {
    return engine.applyTo(new HttpClientOptions()
        .setSsl(true)
        .setEnabledSecureTransportProtocols(TLS_1_3)
        .setKeyCertOptions(keyCert(identity))
        .setTrustOptions(TrustOptions.wrap(new PinTrustManager(pinAccepted, () -> { })))
        .setVerifyHost(false)
        .setConnectTimeout(5_000)
        .setIdleTimeout(30));
  }

  private static PemKeyCertOptions keyCert(NodeIdentity identity) {
    return new PemKeyCertOptions()
        .setCertValue(Buffer.buffer(identity.tlsCertificatePem()))
        .setKeyValue(Buffer.buffer(identity.tlsPrivateKeyPem()));
  }
}
