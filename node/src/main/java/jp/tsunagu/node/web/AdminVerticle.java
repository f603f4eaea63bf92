package jp.tsunagu.node.web;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.web.openapi.ApiDocuments;
import jp.tsunagu.node.web.openapi.ApiListener;

/**
 * The operator's listener: health, Prometheus metrics and the admin API used by
 * {@code tsunagu-admin}. It answers only to clients on loopback, whatever address it is bound to, and
 * everything but health and metrics only to requests bearing the operator token ({@link OperatorToken}).
 */
public final class AdminVerticle extends VerticleBase {

  private final NodeServices services;
  private final List<RouteSet> features;
  private final List<ReadinessCheck> readiness;
  private final int port;
  /** Set once listening; read by the thread that deployed it. */
  private volatile HttpServer server;

  /** Listens on {@code port}; 0: a port the operating system chooses as it binds ({@link #actualPort}). */
  public AdminVerticle(NodeServices services, List<RouteSet> features, List<ReadinessCheck> readiness, int port) {
    this.services = services;
    this.features = List.copyOf(features);
    this.readiness = List.copyOf(readiness);
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign).handler(AdminVerticle::loopbackOnly)
        .handler(new OperatorToken(services.keys().adminToken(),
            new AuditLog(services.database(), services.clock()))::check);
    router.route("/admin/*").handler(BodyHandler.create(false)
        .setBodyLimit(services.config().limits().requestBodyBytes()));
    HealthRoutes.mount(vertx, router, services.database(), readiness);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(services.metrics()));
    RouteSet.mountAll(vertx, router, "/admin/v1", ApiDocuments.with(vertx, ApiListener.ADMIN, features));
    ErrorHandler.install(router);
    return vertx.createHttpServer(new HttpServerOptions()).requestHandler(router)
        .listen(port, services.config().admin().host()).map(listening -> server = listening);
  }

  /** The port listened on, once started. */
  public int actualPort() {
    return server.actualPort();
  }

  private static void loopbackOnly(RoutingContext ctx) {
    if (isLoopback(ctx.request().remoteAddress().hostAddress())) {
      ctx.next();
    } else {
      ctx.fail(CodedException.forbidden("admin.loopback_only", "the admin API answers only on loopback"));
    }
  }

  private static boolean isLoopback(String address) {
    try {
      return address != null && InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
