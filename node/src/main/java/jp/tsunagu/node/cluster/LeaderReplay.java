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
    options.setHeaders(ForwardedMessage.toMultiMap(forwarded.getJsonArray("headers")));
    options.putHeader(ClusterFrontDoor.SECRET_HEADER, secret);
    options.putHeader("X-Forwarded-For", forwarded.getString("remote", ""));
    byte[] certificate = forwarded.getBinary("certificate");
    if (certificate != null) {
      options.putHeader(ClusterFrontDoor.CERTIFICATE_HEADER, ClusterFrontDoor.encode(certificate));
    }
    Buffer body = Buffer.buffer(forwarded.getBinary("body"));
    return client.request(options)
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
  }
}
