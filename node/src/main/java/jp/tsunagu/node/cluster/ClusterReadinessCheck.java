package jp.tsunagu.node.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.util.function.Supplier;
import jp.tsunagu.node.web.ReadinessCheck;

/**
 * The {@code cluster} check of {@code /health/ready} on an instance of a clustered node (a single
 * instance has none): 503 with the reason while the cluster has no leader or this follower lags too
 * far ({@link ClusterReadiness}), while the instance is still joining (its listeners answer before it
 * takes part in replication), and until its CP seat votes in every CP group ({@link CpVoting}). The
 * admin listener shows the check's data; the public web listener only its code.
 */
public final class ClusterReadinessCheck {

  static final String JOINING = "cluster.joining";
  static final String UNKNOWN = "cluster.state_unavailable";

  private ClusterReadinessCheck() {}

  public static ReadinessCheck of(Vertx vertx, Supplier<ClusterInstance> instance) {
    return new ReadinessCheck("cluster", 3_000, promise -> {
      ClusterInstance cluster = instance.get();
      if (cluster == null) {
        promise.tryComplete(Status.KO(new JsonObject().put("error", JOINING)));
        return;
      }
      // The check's own timeout may have answered already (a busy machine): the late result is dropped.
      cluster.readiness(vertx).onComplete(result -> {
        if (result.failed()) {
          promise.tryComplete(Status.KO(new JsonObject().put("error", UNKNOWN)));
        } else {
          ClusterReadiness readiness = result.result();
          promise.tryComplete(readiness.ready() ? Status.OK(readiness.details()) : Status.KO(readiness.details()));
        }
      });
    });
  }
}
