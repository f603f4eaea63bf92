package jp.tsunagu.node.cluster;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Whether a clustered instance should get traffic from the load balancer, and why not. An instance
 * is kept out while the cluster has no leader (a write made there could be neither taken nor
 * forwarded) and, as a follower, while it is more than {@code cluster.maxReadyLag} batches behind
 * the leader (what it reads would be old, and a session's write could not be read back soon). The
 * leader itself is ready as soon as it holds the lock.
 *
 * @param ready whether {@code /health/ready} answers 200
 * @param details what the health body shows: the instance, the reason's stable code when not ready, the role, the leader, the lag
 */
public record ClusterReadiness(boolean ready, JsonObject details) {

  public static final String NO_LEADER = "cluster.no_leader";
  public static final String LAGGING = "cluster.lagging";
  public static final String CATCHING_UP = "cluster.catching_up";

  /**
   * Decides from what this instance sees: whether it leads, the leader the cluster's state names
   * (null when none was ever elected), the members present, the leader's last batch as it published
   * it (null when it has not yet), this instance's applied batch, and the bound.
   */
  public static ClusterReadiness of(boolean leading, String self, String leader, List<String> present,
      Long leaderBatch, long appliedBatch, int maxLag) {
    // which instance answered: behind a load balancer, its health body tells the operator
    JsonObject details = new JsonObject().put("self", self).put("role", leading ? "leader" : "follower")
        .put("appliedBatch", appliedBatch).put("maxReadyLag", maxLag);
    if (leading) {
      return new ClusterReadiness(true, details.put("leader", self).put("lag", 0L));
    }
    // The state names the last leader elected; a leader that left, or this instance after it lost
    // the lock, is no leader: the cluster is between two elections.
    if (leader == null || leader.equals(self) || !present.contains(leader) || leaderBatch == null) {
      return new ClusterReadiness(false, details.put("error", NO_LEADER));
    }
    long lag = Math.max(0, leaderBatch - appliedBatch);
    details.put("leader", leader).put("leaderBatch", leaderBatch).put("lag", lag);
    if (lag > maxLag) {
      return new ClusterReadiness(false, details.put("error", LAGGING));
    }
    return new ClusterReadiness(true, details);
  }
}
