package jp.tsunagu.node.cluster;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;
import jp.tsunagu.node.web.RouteSet;

/**
 * {@code GET /admin/v1/cluster} on the admin listener: the members, the leader and its fencing
 * token, this instance's applied batch and, asked of the leader, each follower's applied batch and
 * lag ({@code tsunagu-admin cluster status}). A single instance answers {@code {"role": "single"}}.
 */
public final class ClusterAdminRoutes implements RouteSet {

  private final Supplier<ClusterInstance> cluster;

  /** {@code cluster}: this instance's part of the cluster once it has joined (null: a single instance). */
  public ClusterAdminRoutes(Supplier<ClusterInstance> cluster) {
    this.cluster = cluster;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/cluster").handler(ctx -> {
      ClusterInstance instance = cluster.get();
      if (instance == null) {
        ctx.json(new JsonObject().put("role", "single"));
        return;
      }
      instance.status().onSuccess(ctx::json).onFailure(ctx::fail);
    });
  }
}
