package jp.tsunagu.node.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Completable;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vert.x's Hazelcast cluster manager, whose leave succeeds when its member stopped before it: a member
 * terminated under the instance (Hazelcast's own shutdown hook, a merge it gave up, a test's power cut of
 * every member at once) has no registrations to remove and no cluster to leave. Vert.x's leave then
 * failed on the first map it touched ({@code HazelcastInstanceNotActiveException}) and Vert.x logged
 * "Failed to leave cluster" at ERROR, with its stack, for a stop that lost nothing.
 */
final class NodeClusterManager extends HazelcastClusterManager {

  private static final Logger LOG = LoggerFactory.getLogger(NodeClusterManager.class);

  NodeClusterManager(Config config) {
    super(config);
  }

  @Override
  public void leave(Completable<Void> left) {
    super.leave((done, failure) -> {
      if (failure != null && !memberRunning()) {
        LOG.info("the cluster member had stopped before this instance left: nothing left to leave");
        left.succeed();
      } else {
        left.complete(done, failure);
      }
    });
  }

  private boolean memberRunning() {
    HazelcastInstance member = getHazelcastInstance();
    return member != null && member.getLifecycleService().isRunning();
  }
}
