package jp.tsunagu.node.federation;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.web.ErrorHandler;
import jp.tsunagu.node.web.RequestIds;
import jp.tsunagu.node.web.openapi.ApiDocuments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The federation listener: HTTPS on {@code federation.port}, TLS 1.3 only, a client certificate
 * required, and peers admitted only by the pins of active agreements naming both nodes. Trust is read
 * at every handshake from {@link FederationTrust}; when it changes, the listener's TLS context is
 * rebuilt so that no TLS session resumed from before the change skips the new check.
 */
public final class FederationVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(FederationVerticle.class);
  /** How often the clock is checked against validity periods when no handshake asks. */
  static final long REFRESH_MILLIS = 15_000;
  /** Largest request body: a page of team events pushed at once, or one attachment. */
  public static final long BODY_LIMIT = 64L * 1024 * 1024;

  private final Federation federation;
  private final java.util.List<java.util.function.Consumer<Router>> features;
  private final NodeConfig.Federation settings;
  private final jp.tsunagu.node.web.FrontDoor front;
  private HttpServer server;
  private long timer;
  private final Runnable onTrustChange = this::trustChanged;

  public FederationVerticle(Federation federation) {
    this(federation, java.util.List.of());
  }

  /** With further routes of other features (team sync), mounted behind the per-request peer check. */
  public FederationVerticle(Federation federation, java.util.List<java.util.function.Consumer<Router>> features) {
    this(federation, features, jp.tsunagu.node.web.FrontDoor.NONE);
  }

  /**
   * With the front door of an instance of a clustered node: a partner's write reaching a follower
   * goes to the leader, which plays it here presenting the node's own certificate.
   */
  public FederationVerticle(Federation federation, java.util.List<java.util.function.Consumer<Router>> features,
      jp.tsunagu.node.web.FrontDoor front) {
    this.front = front;
    this.federation = federation;
    this.features = java.util.List.copyOf(features);
    this.settings = federation.services().config().federation();
  }

  @Override
  public Future<?> start() {
    // The node's own pin only where the leader plays forwarded requests; per request it admits nothing by itself.
    String own = front.playsOnItself() ? federation.identity().tlsPin() : null;
    HttpServerOptions options = FederationTls.server(federation.identity(),
        pin -> federation.trust().current().accepts(pin) || pin.equals(own), federation::countRefusal,
        federation.tlsEngine());
    Router router = Router.router(vertx);
    front.mount(router);
    router.route().handler(RequestIds::assign);
    router.route().handler(io.vertx.ext.web.handler.BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    new FederationRoutes(federation).mount(router);
    ApiDocuments.mountFederation(vertx, router);
    features.forEach(feature -> feature.accept(router));
    ErrorHandler.install(router);
    federation.trust().onChange(onTrustChange);
    timer = vertx.setPeriodic(REFRESH_MILLIS, id -> federation.trust().refresh());
    server = vertx.createHttpServer(options).requestHandler(front.guard(router));
    return server.listen(settings.port(), settings.host()).onSuccess(s -> LOG.info(
        "federation listener on https://{}:{} (mutual TLS 1.3, {} pinned partners)", settings.host(), s.actualPort(),
        federation.trust().current().partnersByPin().size()));
  }

  /**
   * Only logged: the listener's trust manager asks the current pins at every full handshake, and
   * every request is checked again (a resumed TLS session or a kept-alive connection may outlive the
   * agreement that admitted it). The TLS context is deliberately not rebuilt here: a partner that
   * imported the same agreement a moment earlier connects at exactly this moment, and a handshake
   * caught by the rebuild was left hanging until the partner's 5 s connection timeout.
   */
  private void trustChanged() {
    LOG.info("federation trust changed: {} pinned partners", federation.trust().current().partnersByPin().size());
  }

  /** The port actually bound (differs from the configured one only when that is 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    federation.trust().removeListener(onTrustChange);
    return Future.succeededFuture();
  }
}
