package jp.tsunagu.node.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.web.openapi.ApiDocuments;
import jp.tsunagu.node.web.openapi.ApiListener;

/**
 * The HTTPS listener for people: the web UI and the JSON API. TLS 1.3 only. Several instances
 * share the port, one per event loop.
 */
public final class WebVerticle extends VerticleBase {

  private final NodeServices services;
  private final List<RouteSet> features;
  private final List<ReadinessCheck> readiness;
  private final int port;
  private final FrontDoor front;
  private HeaderTimeouts headerTimeouts;

  public WebVerticle(NodeServices services, List<RouteSet> features, List<ReadinessCheck> readiness, int port) {
    this(services, features, readiness, port, FrontDoor.NONE);
  }

  /** With {@code front} before the routes (an instance of a clustered node). */
  public WebVerticle(NodeServices services, List<RouteSet> features, List<ReadinessCheck> readiness, int port,
      FrontDoor front) {
    this.front = front;
    this.services = services;
    this.features = List.copyOf(features);
    this.readiness = List.copyOf(readiness);
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    // First of all, even before a feature's filter with a negative order (the upload body handler).
    ServedHosts hosts = ServedHosts.of(services.config());
    router.route().order(-1000).handler(RequestIds::assign)
        .handler(this::recordPath)
        .handler(SecurityHeaders.handler(services.config().map().tileOrigin()))
        .handler(SameOrigin.handler(hosts));
    front.mount(router);
    router.route("/api/*").handler(BodyHandler.create(false)
        .setBodyLimit(services.config().limits().requestBodyBytes()));
    router.route("/api/*").handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "no-store");
      ctx.next();
    });
    // Public: the status and a failing check's code only; the details are on the admin listener.
    HealthRoutes.mountPublic(vertx, router, services.database(), readiness);
    RouteSet.mountAll(vertx, router, "/api/v1", ApiDocuments.with(vertx, ApiListener.WEB, features));
    ShellRoutes.mount(router);
    ErrorHandler.install(router);
    String tileOrigin = services.config().map().tileOrigin();
    headerTimeouts = new HeaderTimeouts(vertx, services.config().limits().headerTimeoutSeconds());
    return vertx.createHttpServer(httpsOptions())
        .connectionHandler(headerTimeouts::connected)
        .requestHandler(headerTimeouts.wrap(uncompressedOverHttp2(hosts.guard(front.guard(router), tileOrigin))))
        .invalidRequestHandler(ServedHosts.invalidRequests(tileOrigin))
        .listen(port, services.config().web().host());
  }

  /** Records the request's storage steps while a benchmark asks for them (see {@code RequestPaths}). */
  private void recordPath(RoutingContext ctx) {
    services.database().requestPaths().begin(RequestIds.of(ctx))
        .ifPresent(path -> ctx.addEndHandler(done -> path.end()));
    ctx.next();
  }

  /**
   * Over HTTP/2 responses go uncompressed: with Vert.x 5.0's HTTP/2 compressor a page's compressed
   * response was left unfinished in Chromium while a live stream shared the connection (the page
   * stayed "loading"). HTTP/1.1 clients still get gzip.
   */
  private static Handler<HttpServerRequest> uncompressedOverHttp2(Handler<HttpServerRequest> next) {
    return request -> {
      if (request.version() == HttpVersion.HTTP_2) {
        request.response().putHeader("Content-Encoding", "identity");
      }
      next.handle(request);
    };
  }

  @Override
  public Future<?> stop() {
    if (headerTimeouts != null) {
      headerTimeouts.stop();
    }
    return Future.succeededFuture();
  }

  private HttpServerOptions httpsOptions() {
    return services.config().tls().engine().applyTo(new HttpServerOptions()
        .setSsl(true)
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertValue(Buffer.buffer(services.keys().webCertificatePem()))
            .setKeyValue(Buffer.buffer(services.keys().webPrivateKeyPem())))
        // Browsers are asked for a device certificate but may come without one (public pages,
        // registration); only certificates of this node's user CA pass the handshake.
        .setClientAuth(ClientAuth.REQUEST)
        .setTrustOptions(TrustOptions.wrap(services.keys().userCa().clientTrust()))
        .setCompressionSupported(true)
        // HTTP/2 where the browser offers it: live streams then share one connection instead of taking
        // the six HTTP/1.1 connections a browser opens per host, which stalled the next page.
        .setUseAlpn(true)
        .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
        .setIdleTimeout(services.config().limits().idleTimeoutSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS));
  }
}
