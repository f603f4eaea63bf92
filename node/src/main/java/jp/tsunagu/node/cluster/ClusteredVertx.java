package jp.tsunagu.node.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.config.ConfigException;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.config.TlsEngine;

/** A node's Vert.x as one member of its cluster, with the Hazelcast member it joined through. */
public record ClusteredVertx(Vertx vertx, HazelcastClusterManager members) {

  private static final long JOIN_SECONDS = 120;

  /**
   * Joins the cluster (waiting for the other listed members as Hazelcast's TCP/IP join does) with
   * {@code base}'s options (metrics) and the event bus of {@link ClusterOptions#vertx}.
   */
  public static ClusteredVertx join(NodeConfig.Cluster cluster, String certificatePem, String privateKeyPem,
      TlsEngine engine, VertxOptions base, VertxMetricsFactory metrics) {
    HazelcastClusterManager members = new NodeClusterManager(ClusterOptions.hazelcast(cluster));
    VertxOptions options = new VertxOptions(base)
        .setEventBusOptions(ClusterOptions.vertx(cluster, certificatePem, privateKeyPem, engine).getEventBusOptions());
    try {
      Vertx vertx = Vertx.builder().with(options).withMetrics(metrics).withClusterManager(members).buildClustered()
          .await(JOIN_SECONDS, TimeUnit.SECONDS);
      return new ClusteredVertx(vertx, members);
    } catch (Exception e) {
      throw new ConfigException("cluster.members", "this instance could not join cluster '" + cluster.name()
          + "' within " + JOIN_SECONDS + " s: " + e.getMessage(), e);
    }
  }
}
