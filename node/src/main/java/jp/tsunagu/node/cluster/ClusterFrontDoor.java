package jp.tsunagu.node.cluster;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.AllowForwardHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import jp.tsunagu.node.web.ForwardedRequests;
import jp.tsunagu.node.web.FrontDoor;

/**
 * What stands before the web routes on an instance of a clustered node, so that every instance
 * serves every request.
 *
 * <p><b>A write arriving on a follower is forwarded whole to the leader.</b> The level chosen is
 * the HTTP request, not the database write: a feature's write is Java code (a lambda on the
 * writer's connection, often after checks, mails and audit records on the request's context) that
 * cannot be sent to another process, and re-running a request's checks on the leader is what
 * makes its answer exactly the leader's — status, body, error codes, idempotency. The follower
 * sends method, URI, headers and body over the clustered event bus (mutual TLS), with the device
 * certificate its client presented and the client's address; the leader ({@link LeaderReplay})
 * plays it through its own web listener over loopback, where this class accepts the certificate
 * and address only from a request carrying its own instance's secret, and sends the answer back,
 * which the follower writes unchanged. A leader change while a write is on its way answers 503
 * {@code cluster.leader_changed}; the follower never sends a write twice, and the client's retry
 * with the same Idempotency-Key finds the first answer if that write was acknowledged.
 *
 * <p><b>Read-your-writes.</b> Every answer to a write carries the last batch the leader had then
 * (cookie {@value #BATCH_COOKIE} and header {@value #BATCH_HEADER}); a read on a follower that has
 * not applied that batch yet waits for it, at most {@value #READ_WAIT_MILLIS} ms, then answers 503
 * {@code cluster.lagging}.
 *
 * <p><b>Reads are answered where they arrive.</b> The records a read writes beside it (its audit
 * record, the session's idle touch) go to the leader as data ({@link RelayedWrites}), and the read is
 * answered from this instance's database once the leader has its audit record; a live stream (SSE)
 * opens here the same way and hears the posts of every instance on the clustered event bus. A read
 * that still needs a write of another kind is sent whole to the leader when that write is refused
 * with {@code cluster.not_leader} (a stream cannot be, as it never ends).
 *
 * <p><b>The federation listener</b> has a front door of its own ({@link Listener#FEDERATION}): a
 * partner's write reaching a follower is forwarded the same way with the whole certificate chain
 * the partner presented, and the leader plays it through its own federation listener, presenting
 * the node's own certificate (the only one besides partners' that listener admits, and only on a
 * clustered node); there the chain is taken only with the secret, and the pin of its leaf is checked
 * against the leader's own active agreements, never taken on the follower's word. A partner's
 * reads (pulls) are served from the follower's database; one that sends the {@value #BATCH_HEADER}
 * of its last write's answer waits for that batch as a browser does.
 *
 * <p><b>A leader gone mid-forward</b> answers every forward still waiting for it 503
 * {@code cluster.leader_changed} as soon as its address stops answering pings, membership drops its
 * member or the cluster names another leader ({@link PendingForwards}), not after the forward's
 * timeout.
 */
public final class ClusterFrontDoor implements FrontDoor {

  static final String SECRET_HEADER = "Tsunagu-Forwarded-Secret";
  static final String MARK_HEADER = "Tsunagu-Forwarded";
  static final String CERTIFICATE_HEADER = "Tsunagu-Forwarded-Certificate";
  public static final String BATCH_COOKIE = "__Host-tsunagu-batch";
  public static final String BATCH_HEADER = "Tsunagu-Batch";
  static final long READ_WAIT_MILLIS = 2_000;
  /** Longer than the leader takes to have a write replicated ({@link ReplicationLink#ACK_TIMEOUT_MILLIS}). */
  static final long FORWARD_TIMEOUT_MILLIS = ReplicationLink.ACK_TIMEOUT_MILLIS + 5_000;
  private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  private static final List<String> CLIENT_SET = List.of(SECRET_HEADER, MARK_HEADER, CERTIFICATE_HEADER,
      "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port",
      "X-Forwarded-Ssl");

  /** Which of the node's listeners a front door stands before; the leader plays a request on the same one. */
  public enum Listener { WEB, FEDERATION }

  private final Listener listener;
  private final Vertx vertx;
  private final Supplier<ClusterInstance> cluster;
  private final byte[] secret;
  private final long bodyLimit;

  /**
   * {@code secret}: what {@link LeaderReplay} puts on the requests it plays on this instance;
   * {@code bodyLimit}: the largest body a follower carries to the leader (the leader applies each
   * route's own limit).
   */
  public ClusterFrontDoor(Vertx vertx, Supplier<ClusterInstance> cluster, String secret, long bodyLimit) {
    this(Listener.WEB, vertx, cluster, secret, bodyLimit);
  }

  /** Before the listener {@code listener}; the secret is the same for both listeners of an instance. */
  public ClusterFrontDoor(Listener listener, Vertx vertx, Supplier<ClusterInstance> cluster, String secret,
      long bodyLimit) {
    this.listener = listener;
    this.vertx = vertx;
    this.cluster = cluster;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.bodyLimit = bodyLimit;
  }

  /**
   * Before the router: only a request this instance's leader side plays keeps the forwarded
   * certificate and address; from anyone else they are removed, so no client can claim them.
   */
  @Override
  public Handler<HttpServerRequest> guard(Handler<HttpServerRequest> next) {
    return request -> {
      String presented = request.getHeader(SECRET_HEADER);
      boolean ours = presented != null
          && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), secret);
      if (ours) {
        request.headers().remove(SECRET_HEADER).set(MARK_HEADER, "1");
      } else {
        CLIENT_SET.forEach(request.headers()::remove);
      }
      next.handle(request);
    };
  }

  /** The leader plays a partner's forwarded request on its own federation listener as the node itself. */
  @Override
  public boolean playsOnItself() {
    return listener == Listener.FEDERATION;
  }

  @Override
  public void mount(Router router) {
    // The client's address of a played request is in X-Forwarded-For (the guard lets only ours through).
    router.allowForward(AllowForwardHeaders.X_FORWARD);
    router.route().order(-999).handler(this::front);
  }

  private void front(RoutingContext ctx) {
    ClusterInstance instance = cluster.get();
    if (ctx.request().getHeader(MARK_HEADER) != null) {
      String certificates = ctx.request().getHeader(CERTIFICATE_HEADER);
      if (certificates != null) {
        // Leaf first: what the client's own connection would have shown.
        ForwardedRequests.certificate(ctx, decode(certificates.split(",")[0]));
      }
      markBatch(ctx, instance, listener);
      ctx.next();
      return;
    }
    if (instance == null) {
      ctx.fail(new ClusterUnavailable("cluster.joining", "このサーバーは起動中です。少し待って再度お試しください。"));
      return;
    }
    boolean writes = !READS.contains(ctx.request().method());
    if (instance.isLeader()) {
      if (writes) {
        markBatch(ctx, instance, listener);
      }
      ctx.next();
    } else if (writes) {
      readBodyAndForward(ctx, instance);
    } else {
      String accept = ctx.request().getHeader("Accept");
      if (accept == null || !accept.contains("text/event-stream")) {
        // A stream never ends, so it cannot come back whole from the leader.
        ForwardedRequests.toLeaderOnRefusal(ctx, () -> forward(ctx, instance, Buffer.buffer()));
      }
      long wanted = wantedBatch(ctx);
      // Waiting for a batch gives the request's end time to pass; paused, it waits for the API's body
      // handler (which resumes it) instead of ending before the router reaches that handler.
      if (listener == Listener.FEDERATION || ctx.request().path().startsWith("/api/")) {
        ctx.request().pause();
      }
      instance.batches().await(vertx, wanted, READ_WAIT_MILLIS).onSuccess(v -> ctx.next()).onFailure(ctx::fail);
    }
  }

  /** The answer to a write tells the last batch the leader had when it answered. */
  private static void markBatch(RoutingContext ctx, ClusterInstance instance, Listener listener) {
    if (instance == null) {
      return;
    }
    ctx.addHeadersEndHandler(v -> {
      long batch = instance.batches().latest();
      if (batch > 0) {
        ctx.response().putHeader(BATCH_HEADER, Long.toString(batch));
        if (listener == Listener.FEDERATION) {
          return;
        }
        ctx.response().addCookie(Cookie.cookie(BATCH_COOKIE, Long.toString(batch)).setPath("/").setSecure(true)
            .setHttpOnly(true).setSameSite(CookieSameSite.STRICT));
      }
    });
  }

  /**
   * The batch the session's last write made (a browser's cookie; a partner node's header); 0
   * (nothing to wait for) when none or unreadable.
   */
  private static long wantedBatch(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(BATCH_COOKIE);
    return Math.max(batchOf(cookie == null ? null : cookie.getValue()), batchOf(ctx.request().getHeader(BATCH_HEADER)));
  }

  private static long batchOf(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(value.strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private void readBodyAndForward(RoutingContext ctx, ClusterInstance instance) {
    HttpServerRequest request = ctx.request();
    Buffer body = Buffer.buffer();
    if (request.isEnded()) {
      forward(ctx, instance, body);
      return;
    }
    boolean[] tooLarge = new boolean[1];
    request.handler(chunk -> {
      if (tooLarge[0]) {
        return;
      }
      if (body.length() + chunk.length() > bodyLimit) {
        tooLarge[0] = true;
        ctx.fail(413);
        return;
      }
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(e -> {
      if (!tooLarge[0]) {
        ctx.fail(e);
      }
    });
    request.endHandler(v -> {
      if (!tooLarge[0]) {
        forward(ctx, instance, body);
      }
    });
    request.resume();
  }

  private void forward(RoutingContext ctx, ClusterInstance instance, Buffer body) {
    JsonObject message = ForwardedMessage.request(listener, ctx.request(), body, presentedChain(ctx));
    instance.forwards().watch(vertx.eventBus().<JsonObject>request(LeaderReplay.address(instance.clusterName()),
            message, new DeliveryOptions().setSendTimeout(FORWARD_TIMEOUT_MILLIS)))
        .onSuccess(reply -> ForwardedMessage.send(ctx.response(), reply.body()))
        .onFailure(e -> ctx.fail(e instanceof ClusterUnavailable refused ? refused : refusal(e)));
  }

  /** Why a forwarded write has no answer: retryable either way, with the same Idempotency-Key. */
  static ClusterUnavailable refusal(Throwable e) {
    if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return new ClusterUnavailable("cluster.no_leader",
          "書き込みを受け付けるサーバーが決まっていません。少し待って再度お試しください。");
    }
    return new ClusterUnavailable("cluster.leader_changed",
        "処理中に書き込みを受け付けるサーバーが替わりました。同じ操作をもう一度お試しください。");
  }

  /** The chain the client presented and this instance's TLS accepted, leaf first; empty when none. */
  private static List<byte[]> presentedChain(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    if (connection == null || !connection.isSsl()) {
      return List.of();
    }
    try {
      List<Certificate> chain = connection.peerCertificates();
      List<byte[]> encoded = new java.util.ArrayList<>();
      for (Certificate certificate : chain == null ? List.<Certificate>of() : chain) {
        encoded.add(certificate.getEncoded());
      }
      return encoded;
    } catch (SSLPeerUnverifiedException | CertificateEncodingException e) {
      return List.of();
    }
  }

  static String encode(byte[] certificate) {
    return Base64.getEncoder().encodeToString(certificate);
  }

  private static X509Certificate decode(String base64) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    } catch (CertificateException | IllegalArgumentException e) {
      // Only this instance's leader side sets it, from a certificate the follower's TLS accepted.
      throw new IllegalStateException("a forwarded certificate could not be read", e);
    }
  }
}
