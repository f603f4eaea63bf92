package jp.tsunagu.node;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import jp.tsunagu.node.audit.AuditCheckpoints;
import jp.tsunagu.node.cluster.ClusterAdminRoutes;
import jp.tsunagu.node.cluster.ClusterFrontDoor;
import jp.tsunagu.node.cluster.LeaderReplay;
import jp.tsunagu.node.web.FrontDoor;
import jp.tsunagu.node.web.ServedHosts;
import jp.tsunagu.node.identity.Secrets;
import jp.tsunagu.node.cluster.ClusterInstance;
import jp.tsunagu.node.cluster.SnapshotBootstrap;
import jp.tsunagu.node.cluster.ClusterReadinessCheck;
import jp.tsunagu.node.cluster.ClusteredVertx;
import jp.tsunagu.node.cluster.Singletons;
import jp.tsunagu.node.config.ConfigException;
import jp.tsunagu.node.config.ListenerPorts;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.config.StartupChecks;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.federation.FederationFeature;
import jp.tsunagu.node.federation.FederationVerticle;
import jp.tsunagu.node.keys.NodeKeys;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.web.AdminVerticle;
import jp.tsunagu.node.web.NodeInfoRoutes;
import jp.tsunagu.node.web.ReadinessCheck;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.WebVerticle;
import jp.tsunagu.node.web.idempotency.IdempotencyKeys;
import jp.tsunagu.node.web.idempotency.KeyPruning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node and its composition root: its keys, its database, its audit checkpoint, its
 * Vert.x instance, its features ({@link NodeFeatures}, each built once and handed its collaborators)
 * and its three listeners (web, admin, federation), which mount what the features offer.
 * {@link #start} returns once every listener accepts connections; {@link #close} stops the
 * listeners and verticles, closes the features in reverse order, closes the database after the
 * last queued write has committed and been answered, and Vert.x last. Nothing of a node is static: two nodes in one JVM share nothing.
 */
public final class TsunaguNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TsunaguNode.class);
  private static final int WEB_INSTANCES = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private static final int BIND_ATTEMPTS = 3;
  private final NodeServices services;
  private final AuditCheckpoints auditCheckpoints;
  private final List<NodeFeature> features;
  private final Vertx vertx;
  private final int webPort;
  private final int adminPort;
  /** This instance's part of a clustered node; null for a single instance (the default). */
  private final ClusterInstance cluster;

  private TsunaguNode(NodeServices services, AuditCheckpoints auditCheckpoints, List<NodeFeature> features,
      Vertx vertx, int webPort, int adminPort, ClusterInstance cluster) {
    this.services = services;
    this.auditCheckpoints = auditCheckpoints;
    this.features = features;
    this.vertx = vertx;
    this.webPort = webPort;
    this.adminPort = adminPort;
    this.cluster = cluster;
  }

  /** Starts a node with the standard features. Blocks until it serves; throws on a bad configuration. */
  public static TsunaguNode start(NodeConfig config) {
    return start(config, services -> List.of());
  }

  /**
   * Starts a node with extra features mounted on the web listener (tests use this to add routes
   * that exercise shared machinery, such as the error handler).
   */
  public static TsunaguNode start(NodeConfig config, Function<NodeServices, List<RouteSet>> extraWebFeatures) {
    return start(config, Clock.systemUTC(), extraWebFeatures);
  }

  /**
   * Starts a node whose features read the time from {@code clock} (tests move it on to reach a time,
   * such as a meeting's start, without waiting for it).
   */
  public static TsunaguNode start(NodeConfig config, Clock clock) {
    return start(config, clock, services -> List.of());
  }

  private static TsunaguNode start(NodeConfig config, Clock clock,
      Function<NodeServices, List<RouteSet>> extraWebFeatures) {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(config, clock, extraWebFeatures);
      } catch (ConfigException e) {
        // A port chosen for "any free port" can be taken by another program between the choice
        // and the bind; choosing again is all it takes. A configured port in use stays an error.
        boolean anyPort = config.web().port() == 0 || config.federation().port() == 0;
        if (attempt == BIND_ATTEMPTS || !anyPort || !(e.getCause() instanceof java.net.BindException)) {
          throw e;
        }
        LOG.info("a free port chosen at start was taken before it was bound; choosing again");
      }
    }
  }

  private static TsunaguNode startOnce(NodeConfig configured, Clock clock,
      Function<NodeServices, List<RouteSet>> extraWebFeatures) {
    StartupChecks.requireWritableDataDir(configured);
    // From here on the configuration names the ports really listened on, so that the addresses built
    // from it (links, the hosts the web listener serves, a new identity's endpoint) are true.
    NodeConfig config = ListenerPorts.resolve(configured);
    StartupChecks.requireFreePorts(configured);
    NodeKeys keys = NodeKeys.loadOrCreate(config);
    Database opened = Database.open(config.databaseFile(), config.storage());
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ProcessorMetrics())
        .forEach(binder -> binder.bindTo(metrics));
    // Native epoll where Netty's library loads (linux): fewer system calls per request than Java NIO;
    // elsewhere Vert.x stays on NIO by itself.
    // Not the event bus's: its series are one per address, and a board's live events have an address per board
    // (a series per patient, without bound), each message a look-up of its gauges on the sending and the
    // receiving thread (a share of the event loops' CPU on every post). HTTP, connection and pool series stay.
    VertxOptions vertxOptions = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .addDisabledMetricsCategory(io.vertx.micrometer.MetricsDomain.EVENT_BUS))
        .setPreferNativeTransport(true);
    // An instance of a clustered node joins its cluster first; a single instance builds Vert.x as always.
    ClusteredVertx clustered = config.cluster().map(settings -> ClusteredVertx.join(settings,
        keys.identity().tlsCertificatePem(), keys.identity().tlsPrivateKeyPem(), config.tls().engine(), vertxOptions,
        new MicrometerMetricsFactory(metrics))).orElse(null);
    Vertx vertx = clustered != null ? clustered.vertx() : Vertx.builder()
        .with(vertxOptions)
        .withMetrics(new MicrometerMetricsFactory(metrics))
        .build();
    // A new, diverged or long-absent instance starts from the leader's snapshot before anything uses its database.
    Database database = clustered == null ? opened : bootstrapped(clustered, config, opened);
    AtomicReference<ClusterInstance> cluster = new AtomicReference<>();
    NodeServices services = new NodeServices(config, keys, database, metrics, clock,
        new IdempotencyKeys(database, clock));
    AuditCheckpoints auditCheckpoints = AuditCheckpoints.start(database, keys.identity(), config.dataDir(),
        services.clock());
    List<NodeFeature> features = new ArrayList<>();
    try {
      features.addAll(NodeFeatures.create(services));
      features.forEach(feature -> feature.startOnEveryInstance(vertx));
      int webPort = config.web().port();
      List<RouteSet> webRoutes = new ArrayList<>();
      List<RouteSet> adminRoutes = new ArrayList<>();
      List<ReadinessCheck> readiness = new ArrayList<>();
      List<Consumer<Router>> federationRoutes = new ArrayList<>();
      for (NodeFeature feature : features) {
        webRoutes.addAll(feature.webRoutes());
        adminRoutes.addAll(feature.adminRoutes());
        readiness.addAll(feature.readiness());
        federationRoutes.add(feature::mountFederation);
      }
      webRoutes.add(new NodeInfoRoutes(services));
      adminRoutes.add(new ClusterAdminRoutes(cluster::get));
      if (clustered != null) {
        readiness.add(ClusterReadinessCheck.of(vertx, cluster::get));
      }
      webRoutes.addAll(extraWebFeatures.apply(services));
      Federation federation = find(features, FederationFeature.class).federation();
      List<Future<?>> deployments = new ArrayList<>();
      // On a clustered node every instance serves every request: writes go to the leader (ClusterFrontDoor).
      String forwardingSecret = clustered == null ? null : Secrets.token();
      FrontDoor front = clustered == null ? FrontDoor.NONE : new ClusterFrontDoor(vertx, cluster::get,
          forwardingSecret, Math.max(config.limits().requestBodyBytes(), config.limits().uploadBytes()));
      LeaderReplay replay = clustered == null ? null : new LeaderReplay(vertx, cluster::get,
          config.cluster().orElseThrow().name(), forwardingSecret, ServedHosts.of(config), config.web().host(),
          webPort,
          keys.webCertificatePem());
      deployments.add(vertx.deployVerticle(() -> new WebVerticle(services, webRoutes, readiness, webPort, front),
          new DeploymentOptions().setInstances(WEB_INSTANCES)));
      // A partner's write reaching a follower goes to the leader too, played on its federation listener.
      FrontDoor federationFront = clustered == null ? FrontDoor.NONE : new ClusterFrontDoor(
          ClusterFrontDoor.Listener.FEDERATION, vertx, cluster::get, forwardingSecret, FederationVerticle.BODY_LIMIT);
      FederationVerticle federationListener = new FederationVerticle(federation, federationRoutes, federationFront);
      if (replay != null) {
        replay.federation(config.federation().host(), federationListener::actualPort,
            keys.identity().tlsCertificatePem(), keys.identity().tlsPrivateKeyPem());
      }
      deployments.add(vertx.deployVerticle(federationListener));
      // What must run once per node: on a single instance now, on a clustered node where it leads.
      List<Supplier<Deployable>> singletons = new ArrayList<>();
      singletons.add(() -> new KeyPruning(services.idempotency()));
      features.forEach(feature -> singletons.addAll(feature.verticles()));
      if (clustered == null) {
        singletons.forEach(verticle -> deployments.add(vertx.deployVerticle(verticle.get())));
      }
      await(Future.all(deployments));
      // Bound after the others: port 0 is then the operating system's choice among ports nothing holds,
      // never the port chosen for a listener still to bind (see ListenerPorts).
      AdminVerticle adminListener = new AdminVerticle(services, adminRoutes, readiness, config.admin().port());
      await(vertx.deployVerticle(adminListener));
      int adminPort = adminListener.actualPort();
      if (clustered != null) {
        Singletons leaderOnly = new Singletons(vertx, singletons);
        cluster.set(awaitJoined(ClusterInstance.start(vertx, clustered.members(), config.cluster().orElseThrow(),
            database, token -> {
              leaderOnly.deploy();
              replay.lead();
            }, () -> {
              replay.follow();
              leaderOnly.undeploy();
            })));
      }
      LOG.info("node {} serving {} on https://{}:{} (admin http://{}:{})", config.node().name(),
          config.node().municipalities(), config.web().host(), webPort, config.admin().host(), adminPort);
      return new TsunaguNode(services, auditCheckpoints, List.copyOf(features), vertx, webPort, adminPort,
          cluster.get());
    } catch (RuntimeException e) {
      if (cluster.get() != null) {
        cluster.get().close();
      }
      undeployAll(vertx);
      closeFeatures(features);
      auditCheckpoints.close();
      database.close();
      closeQuietly(vertx);
      metrics.close();
      throw e;
    }
  }

  private static <T extends NodeFeature> T find(List<NodeFeature> features, Class<T> type) {
    return features.stream().filter(type::isInstance).map(type::cast).findFirst()
        .orElseThrow(() -> new IllegalStateException("the node has no " + type.getSimpleName()));
  }

  private static void closeFeatures(List<NodeFeature> features) {
    for (int i = features.size() - 1; i >= 0; i--) {
      try {
        features.get(i).close();
      } catch (Exception e) {
        LOG.warn("feature {} did not close cleanly", features.get(i).name(), e);
      }
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

  private static Database bootstrapped(ClusteredVertx clustered, NodeConfig config, Database opened) {
    try {
      return SnapshotBootstrap.ifNeeded(clustered.vertx(), clustered.members(), config.cluster().orElseThrow(),
          config.storage(), config.databaseFile(), opened);
    } catch (RuntimeException e) {
      closeQuietly(clustered.vertx());
      opened.close();
      throw new ConfigException("cluster", "this instance could not start from the leader's snapshot: "
          + e.getMessage(), e);
    }
  }

  private static ClusterInstance awaitJoined(Future<ClusterInstance> joined) {
    try {
      return joined.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new ConfigException("cluster", "this instance could not take part in replication: " + e.getMessage(), e);
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

  /**
   * One of the node's features, for the demo's seeding and for tests that drive a feature's
   * services directly; features themselves are handed their collaborators and never look them up.
   */
  public <T extends NodeFeature> T feature(Class<T> type) {
    return find(features, type);
  }

  /** The node's features, in the order they were built (and are mounted). */
  public List<NodeFeature> features() {
    return features;
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

  /** This instance's part of its clustered node, if the node is clustered. */
  public java.util.Optional<ClusterInstance> cluster() {
    return java.util.Optional.ofNullable(cluster);
  }

  /**
   * Stops taking work, then lets the work taken finish while the event loops still run: the listeners
   * and verticles are undeployed (no new request, no new timer's write), the features and the audit
   * checkpoint closed, and the database closed, which commits the writes queued and answers each on its
   * event loop (one queued after the close is answered {@code storage.closed}). Vert.x is closed last: a
   * writer's answer handed to an event loop already ended was refused there and logged at ERROR, and
   * its caller never answered.
   */
  @Override
  public void close() {
    if (cluster != null) {
      cluster.close();
    }
    undeployAll(vertx);
    closeFeatures(features);
    auditCheckpoints.close();
    services.database().close();
    closeQuietly(vertx);
    services.metrics().close();
    LOG.info("node {} stopped", services.config().node().name());
  }

  private static void undeployAll(Vertx vertx) {
    List<Future<Void>> undeployed = new ArrayList<>();
    for (String id : vertx.deploymentIDs()) {
      // one already undeployed by its own owner meanwhile (a follower's singletons) is no failure
      undeployed.add(vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    try {
      Future.join(undeployed).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("stopping the listeners did not finish cleanly", e);
    }
  }
}
