package jp.tsunagu.node.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import java.util.function.Supplier;
import jp.tsunagu.node.web.ServedHosts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of forwarding ({@link ClusterFrontDoor}): while this instance leads it listens
 * for requests the followers forward, plays each through its own web listener on loopback (every
 * check, the idempotency keys, the write and its replication happen as for a request that came
 * here directly) and sends the whole answer back. The played request carries this instance's
 * secret, under which its front door accepts the client's certificate and address. A request that
 * arrives just after this instance stopped leading is refused {@code cluster.leader_changed}, as is
 * one whose write is refused {@code cluster.not_leader} on its way: either way nothing of it is kept.
 *
 * <p>A partner's request forwarded from a follower's federation listener is played on this
 * instance's federation listener ({@link #federation}), over mutual TLS with the node's own
 * certificate (which a clustered node's federation listener admits, for these plays only) and the
 * partner's chain in a header that listener takes only with the secret.
 */
public final class LeaderReplay {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderReplay.class);

  private final Vertx vertx;
  private final Supplier<ClusterInstance> cluster;
  private final String clusterName;
  private final String secret;
  private final SocketAddress listener;
  private final ServedHosts served;
  private final HttpClient client;
  private HttpClient federationClient;
  private SocketAddress federationListener;
  private java.util.function.IntSupplier federationPort;
  private String federationHost;
  private MessageConsumer<JsonObject> consumer;

  /**
   * {@code served}: the names this instance's web listener answers to; {@code webHost}/{@code webPort}:
   * the listener; {@code webCertificatePem}: the
   * certificate it presents, the only one this client trusts.
   */
  public LeaderReplay(Vertx vertx, Supplier<ClusterInstance> cluster, String clusterName, String secret,
      ServedHosts served, String webHost, int webPort, String webCertificatePem) {
    this.served = served;
    this.vertx = vertx;
    this.cluster = cluster;
    this.clusterName = clusterName;
    this.secret = secret;
    boolean wildcard = webHost.equals("0.0.0.0") || webHost.equals("::") || webHost.equals("[::]");
    this.listener = SocketAddress.inetSocketAddress(webPort, wildcard ? "127.0.0.1" : webHost);
    this.client = vertx.createHttpClient(new HttpClientOptions()
        .setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(webCertificatePem)))
        // The certificate names the node's public host; the connection goes to this instance's own port.
        .setVerifyHost(false)
        .setProtocolVersion(HttpVersion.HTTP_1_1)
        .setKeepAlive(true));
  }

  /**
   * Where partners' requests are played: this instance's federation listener ({@code port} read when
   * first needed: the listener may have chosen it at start), presenting the node's own identity.
   */
  public LeaderReplay federation(String host, java.util.function.IntSupplier port, String identityCertificatePem,
      String identityKeyPem) {
    boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    this.federationHost = wildcard ? "127.0.0.1" : host;
    this.federationPort = port;
    this.federationClient = vertx.createHttpClient(new HttpClientOptions()
        .setSsl(true)
        .setEnabledSecureTransportProtocols(java.util.Set.of("TLSv1.3"))
        .setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions()
            .setCertValue(Buffer.buffer(identityCertificatePem)).setKeyValue(Buffer.buffer(identityKeyPem)))
        // The listener presents the node's identity certificate: the only one this client trusts.
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(identityCertificatePem)))
        .setVerifyHost(false)
        .setProtocolVersion(HttpVersion.HTTP_1_1)
        .setKeepAlive(true));
    return this;
  }

  /** The address the leader listens on (only the leader does). */
  static String address(String clusterName) {
    return "tsunagu.cluster." + clusterName + ".forward";
  }

  /** This instance leads: followers' writes come here from now on. */
  public synchronized void lead() {
    if (consumer == null) {
      consumer = vertx.eventBus().consumer(address(clusterName), this::onForwarded);
    }
  }

  /** This instance no longer leads. */
  public synchronized void follow() {
    if (consumer != null) {
      consumer.unregister();
      consumer = null;
    }
  }

  private void onForwarded(Message<JsonObject> message) {
    ClusterInstance instance = cluster.get();
    if (instance == null || !instance.isLeader()) {
      message.fail(503, "cluster.leader_changed");
      return;
    }
    if (message.body().getBoolean("ping", false)) {
      // A follower with forwards waiting asks whether a leader is still here.
      message.reply(new JsonObject().put("leader", instance.nodeId()));
      return;
    }
    play(message.body()).onSuccess(answer -> {
      if (refusedAsNotLeader(answer)) {
        message.fail(503, "cluster.leader_changed");
      } else {
        message.reply(answer);
      }
    }).onFailure(e -> {
      LOG.warn("a forwarded {} could not be played here: {}", message.body().getString("method"), e.toString());
      message.fail(503, "cluster.leader_changed");
    });
  }

  private Future<JsonObject> play(JsonObject forwarded) {
    if (ClusterFrontDoor.Listener.FEDERATION.name().equals(forwarded.getString("listener"))) {
      return playFederation(forwarded);
    }
    HostAndPort authority = HostAndPort.parseAuthority(forwarded.getString("authority", ""), -1);
    RequestOptions options = new RequestOptions()
        .setServer(listener)
        .setMethod(HttpMethod.valueOf(forwarded.getString("method")))
        .setURI(forwarded.getString("uri"))
        .setTimeout(ClusterFrontDoor.FORWARD_TIMEOUT_MILLIS);
    // The node's public names are served by every instance; an instance's own address (a client
    // that went to the follower's port directly, which the follower accepted) becomes this one's.
    if (authority != null && served.serves(authority)) {
      options.setHost(authority.host()).setPort(authority.port() < 0 ? 443 : authority.port());
    } else {
      options.setHost(listener.host()).setPort(listener.port());
    }
    return send(client, options, forwarded);
  }

  /** A partner's request, on this instance's federation listener. */
  private Future<JsonObject> playFederation(JsonObject forwarded) {
    if (federationClient == null) {
      return Future.failedFuture(new IllegalStateException("this instance plays no federation requests"));
    }
    if (federationListener == null) {
      federationListener = SocketAddress.inetSocketAddress(federationPort.getAsInt(), federationHost);
    }
    RequestOptions options = new RequestOptions()
        .setServer(federationListener)
        .setHost(federationListener.host())
        .setPort(federationListener.port())
        .setMethod(HttpMethod.valueOf(forwarded.getString("method")))
        .setURI(forwarded.getString("uri"))
        .setTimeout(ClusterFrontDoor.FORWARD_TIMEOUT_MILLIS);
    return send(federationClient, options, forwarded);
  }

  /** Plays the request with the forwarded headers, the secret and the client's address and chain. */
  private Future<JsonObject> send(HttpClient to, RequestOptions options, JsonObject forwarded) {
    options.setHeaders(ForwardedMessage.toMultiMap(forwarded.getJsonArray("headers")));
    options.putHeader(ClusterFrontDoor.SECRET_HEADER, secret);
    options.putHeader("X-Forwarded-For", forwarded.getString("remote", ""));
    io.vertx.core.json.JsonArray chain = forwarded.getJsonArray("chain");
    if (chain != null && !chain.isEmpty()) {
      java.util.List<String> encoded = new java.util.ArrayList<>();
      for (int i = 0; i < chain.size(); i++) {
        encoded.add(ClusterFrontDoor.encode(chain.getBinary(i)));
      }
      options.putHeader(ClusterFrontDoor.CERTIFICATE_HEADER, String.join(",", encoded));
    }
    Buffer body = Buffer.buffer(forwarded.getBinary("body"));
    return to.request(options)
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(answer -> ForwardedMessage.answer(response, answer)));
  }

  /** The played write was refused because this instance lost the lock meanwhile. */
  private static boolean refusedAsNotLeader(JsonObject answer) {
    if (answer.getInteger("status") != 409) {
      return false;
    }
    try {
      return "cluster.not_leader".equals(new JsonObject(Buffer.buffer(answer.getBinary("body"))).getString("code"));
    } catch (RuntimeException e) {
      return false;
    }
  }

  public void close() {
    follow();
    client.close();
    if (federationClient != null) {
      federationClient.close();
    }
  }
}
