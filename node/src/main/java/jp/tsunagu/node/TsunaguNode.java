package jp.tsunagu.node;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import jp.tsunagu.node.audit.AuditCheckpoints;
import jp.tsunagu.node.config.ConfigException;
import jp.tsunagu.node.config.ListenerPorts;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.config.StartupChecks;
import jp.tsunagu.node.keys.NodeKeys;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.web.AdminVerticle;
import jp.tsunagu.node.web.Feature;
import jp.tsunagu.node.web.WebVerticle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: its keys, its database, its Vert.x instance and its listeners. {@link #start}
 * returns once every listener accepts connections; {@link #close} stops them and closes the
 * database after the last queued write has committed.
 */
public final class TsunaguNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TsunaguNode.class);
  private static final int WEB_INSTANCES = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private static final int BIND_ATTEMPTS = 3;
  private final NodeServices services;
  private final AuditCheckpoints auditCheckpoints;
  private final Vertx vertx;
  private final int webPort;
  private final int adminPort;

  private TsunaguNode(NodeServices services, AuditCheckpoints auditCheckpoints, Vertx vertx, int webPort,
      int adminPort) {
    this.services = services;
    this.auditCheckpoints = auditCheckpoints;
    this.vertx = vertx;
    this.webPort = webPort;
    this.adminPort = adminPort;
  }

  /** Starts a node with the standard features. Blocks until it serves; throws on a bad configuration. */
  public static TsunaguNode start(NodeConfig config) {
    return start(config, services -> List.of());
  }

  /**
   * Starts a node with extra features mounted on the web listener (tests use this to add routes
   * that exercise shared machinery, such as the error handler).
   */
  public static TsunaguNode start(NodeConfig config, Function<NodeServices, List<Feature>> extraWebFeatures) {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(config, extraWebFeatures);
      } catch (ConfigException e) {
        // A port chosen for "any free port" can be taken by another program between the choice
        // and the bind; choosing again is all it takes. A configured port in use stays an error.
        boolean anyPort = config.web().port() == 0 || config.admin().port() == 0;
        if (attempt == BIND_ATTEMPTS || !anyPort || !(e.getCause() instanceof java.net.BindException)) {
          throw e;
        }
        LOG.info("a free port chosen at start was taken before it was bound; choosing again");
      }
    }
  }

  private static TsunaguNode startOnce(NodeConfig configured, Function<NodeServices, List<Feature>> extraWebFeatures) {
    StartupChecks.requireWritableDataDir(configured);
    // From here on the configuration names the ports really listened on, so that the addresses built
    // from it (links, the hosts the web listener serves, a new identity's endpoint) are true.
    NodeConfig config = ListenerPorts.resolve(configured);
    StartupChecks.requireFreePorts(configured);
    NodeKeys keys = NodeKeys.loadOrCreate(config);
    Database database = Database.open(config.databaseFile(), config.storage());
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ProcessorMetrics())
        .forEach(binder -> binder.bindTo(metrics));
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(metrics))
        .build();
    NodeServices services = new NodeServices(config, keys, database, metrics, Clock.systemUTC());
    AuditCheckpoints auditCheckpoints = AuditCheckpoints.start(database, keys.identity(), config.dataDir(),
        services.clock());
    try {
      int webPort = config.web().port();
      int adminPort = config.admin().port();
      List<Feature> webFeatures = new ArrayList<>(NodeFeatures.web(services));
      webFeatures.addAll(extraWebFeatures.apply(services));
      List<Feature> adminFeatures = NodeFeatures.admin(services);
      List<Future<?>> deployments = new ArrayList<>();
      deployments.add(vertx.deployVerticle(() -> new WebVerticle(services, webFeatures, webPort),
          new DeploymentOptions().setInstances(WEB_INSTANCES)));
      deployments.add(vertx.deployVerticle(new AdminVerticle(services, adminFeatures, adminPort)));
      for (var verticle : NodeFeatures.verticles(services)) {
        deployments.add(vertx.deployVerticle(verticle.get()));
      }
      await(Future.all(deployments));
      LOG.info("node {} serving {} on https://{}:{} (admin http://{}:{})", config.node().name(),
          config.node().municipalities(), config.web().host(), webPort, config.admin().host(), adminPort);
      return new TsunaguNode(services, auditCheckpoints, vertx, webPort, adminPort);
    } catch (RuntimeException e) {
      closeQuietly(vertx);
      auditCheckpoints.close();
      database.close();
      metrics.close();
      throw e;
    }
  }

  private static void await(Future<?> future) {
    try {
      future.await(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new ConfigException("node", "listeners did not start within 60 s");
    } catch (ConfigException e) {
      throw e;
    } catch (Exception e) {
      throw bindFailure(e);
    }
  }

  private static RuntimeException bindFailure(Exception e) {
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof java.net.BindException)) {
      cause = cause.getCause();
    }
    if (cause instanceof java.net.BindException) {
      return new ConfigException("web.port", "a port is already in use: " + cause.getMessage(), cause);
    }
    return e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("stopping the listeners did not finish cleanly", e);
    }
  }

  public NodeServices services() {
    return services;
  }

  public Vertx vertx() {
    return vertx;
  }

  public int webPort() {
    return webPort;
  }

  public int adminPort() {
    return adminPort;
  }

  /** The address people open in a browser. */
  public URI webUrl() {
    return URI.create("https://" + services.config().web().host() + ":" + webPort);
  }

  /** The operator's address (health, metrics, admin API). */
  public URI adminUrl() {
    return URI.create("http://" + services.config().admin().host() + ":" + adminPort);
  }

  @Override
  public void close() {
    closeQuietly(vertx);
    auditCheckpoints.close();
    services.database().close();
    services.metrics().close();
    LOG.info("node {} stopped", services.config().node().name());
  }
}
