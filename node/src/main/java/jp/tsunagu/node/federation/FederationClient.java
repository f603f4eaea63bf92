package jp.tsunagu.node.federation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import javax.net.ssl.SSLPeerUnverifiedException;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.jws.TrustStore;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.federation.wire.HelloResponse;
import jp.tsunagu.node.config.TlsEngine;

/**
 * Calls partner nodes over mutual TLS: this node's identity certificate as client certificate, the
 * server admitted at the handshake only by a pin in the current trust set, and every answer checked
 * to come from exactly the partner that was called (its pin, its signature). Reused by sync later.
 */
public final class FederationClient implements AutoCloseable {

  /** The longest a sync call waits for data (its idle timeout): how long a page may take to be answered. */
  public static final long TIMEOUT_MILLIS = 5_000;
  /**
   * Getting a connection for a sync call: TCP connect plus the TLS handshake. Longer than the wait
   * for an answer because the first handshake of a process is slow (JSSE classes loaded and
   * compiled, serialized across threads); a refused or closed port still fails at once.
   */
  private static final long CONNECT_MILLIS = 15_000;

  private final HttpClientAgent client;

  /** A client that accepts servers whose pin {@code pinAccepted} admits. */
  public FederationClient(Vertx vertx, NodeIdentity identity, Predicate<String> pinAccepted) {
    this(vertx, identity, pinAccepted, TlsEngine.DEFAULT);
  }

  /** A client that accepts servers whose pin {@code pinAccepted} admits, encrypting with {@code engine}. */
  public FederationClient(Vertx vertx, NodeIdentity identity, Predicate<String> pinAccepted, TlsEngine engine) {
    this.client = vertx.createHttpClient(FederationTls.client(identity, pinAccepted, engine));
  }

  /** A client for this node, trusting its current partners. */
  public static FederationClient of(Vertx vertx, Federation federation) {
    return new FederationClient(vertx, federation.identity(), pin -> federation.trust().current().accepts(pin),
        federation.tlsEngine());
  }

  /** {@code GET /federation/v1/hello} of a partner, verified against {@code trust}. */
  public Future<HelloResponse> hello(NodeCard peer, TrustStore trust) {
    return exchange(peer, FederationV1.HELLO, Map.of(), TIMEOUT_MILLIS)
        .map(answer -> verifyHello(answer.status(), answer.body(), peer, trust));
  }

  /** A partner's HTTP answer: status and body. */
  public record Answer(int status, String body) {}

  /**
   * {@code GET pathAndQuery} of a partner: the whole answer of exactly that partner's certificate,
   * or {@code peer.unreachable}, {@code peer.wrong_certificate}, or {@code peer.timeout} when it did
   * not come within {@code timeoutMillis} in all (connection, handshake and body together).
   */
  public Future<Answer> get(NodeCard peer, String pathAndQuery, Map<String, String> headers, long timeoutMillis) {
    return exchange(peer, pathAndQuery, headers, timeoutMillis)
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(e instanceof TimeoutException ? timedOut(peer, timeoutMillis, e) : e));
  }

  /** One request; {@code idleMillis} bounds the connection and each wait for data, not the whole. */
  private Future<Answer> exchange(NodeCard peer, String pathAndQuery, Map<String, String> headers, long idleMillis) {
    String url = peer.profile().federationEndpoint().resolve(pathAndQuery).toString();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
        .setTimeout(idleMillis);
    headers.forEach(options::addHeader);
    return client.request(options)
        .compose(request -> request.send())
        .recover(e -> Future.failedFuture(e instanceof TimeoutException ? timedOut(peer, idleMillis, e)
            : new PeerCallException("peer.unreachable", peer.profile().name() + " at " + url
                + " did not complete a mutual TLS exchange: " + e.getMessage(), e)))
        .compose(response -> requirePeer(response, peer))
        .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body.toString())));
  }

  private static PeerCallException timedOut(NodeCard peer, long timeoutMillis, Throwable cause) {
    return new PeerCallException("peer.timeout", peer.profile().name() + " did not answer within " + timeoutMillis
        + " ms", cause);
  }

  /** An answer of a partner: its status and body. */
  public record Reply(int status, io.vertx.core.buffer.Buffer body) {}

  /**
   * Any call to a partner's federation API over the same pinned mutual TLS; the answer must come
   * from that partner's certificate. Fails with {@code peer.unreachable}, {@code peer.timeout} or
   * {@code peer.wrong_certificate}.
   */
  public Future<Reply> call(NodeCard peer, HttpMethod method, String path, io.vertx.core.buffer.Buffer body,
      String contentType) {
    return call(peer, method, path, body, contentType, Map.of());
  }

  /** {@link #call(NodeCard, HttpMethod, String, io.vertx.core.buffer.Buffer, String)} with further headers. */
  public Future<Reply> call(NodeCard peer, HttpMethod method, String path, io.vertx.core.buffer.Buffer body,
      String contentType, Map<String, String> headers) {
    String url = peer.profile().federationEndpoint().resolve(path).toString();
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(url)
        .setConnectTimeout(CONNECT_MILLIS).setIdleTimeout(TIMEOUT_MILLIS);
    if (contentType != null) {
      options.putHeader("Content-Type", contentType);
    }
    headers.forEach(options::putHeader);
    return client.request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .recover(e -> Future.failedFuture(e instanceof TimeoutException ? timedOut(peer, TIMEOUT_MILLIS, e)
            : new PeerCallException("peer.unreachable", peer.profile().name() + " at " + url
                + " did not answer over mutual TLS: " + e.getMessage(), e)))
        .compose(response -> requirePeer(response, peer))
        .compose(response -> response.body().map(answer -> new Reply(response.statusCode(), answer)));
  }

  /** The answer must come from the called partner's certificate, not from any other partner's. */
  private static Future<HttpClientResponse> requirePeer(HttpClientResponse response, NodeCard peer) {
    try {
      var chain = response.request().connection().peerCertificates();
      if (!chain.isEmpty() && chain.get(0) instanceof X509Certificate leaf
          && NodeIdentity.pinOf(leaf).equals(peer.tlsPin())) {
        return Future.succeededFuture(response);
      }
    } catch (SSLPeerUnverifiedException e) {
      // handled as a wrong certificate below
    } catch (NullPointerException | IllegalStateException closed) {
      // The partner closed the connection as its answer arrived (it no longer trusts this node: an
      // agreement ended): the TLS session is gone, and Vert.x fails on the missing chain ("chain is null").
      return Future.failedFuture(new PeerCallException("peer.unreachable", peer.profile().name()
          + " closed the connection before its certificate could be checked", closed));
    }
    return Future.failedFuture(new PeerCallException("peer.wrong_certificate",
        "the server at " + peer.profile().federationEndpoint() + " is not " + peer.profile().name(), null));
  }

  private static HelloResponse verifyHello(int status, String body, NodeCard peer, TrustStore trust) {
    if (status != 200) {
      throw new PeerCallException("peer.refused", peer.profile().name() + " answered " + status + ": " + body, null);
    }
    try {
      HelloResponse hello = HelloResponse.verify(body, trust);
      if (!hello.node().profile().name().equals(peer.profile().name())) {
        throw new ProtocolException("hello.node_mismatch", "hello from " + hello.node().profile().name());
      }
      return hello;
    } catch (ProtocolException e) {
      throw new PeerCallException("peer.answer_invalid", peer.profile().name() + "'s hello does not verify: "
          + e.code(), e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
