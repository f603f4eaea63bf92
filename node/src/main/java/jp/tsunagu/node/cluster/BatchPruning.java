package jp.tsunagu.node.cluster;

import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import jp.tsunagu.node.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code cluster_batches} bounded. The leader keeps every batch a live follower still needs
 * (after the lowest position a present member published) and, beyond that, the last
 * {@code cluster.keepBatches}; it prunes nothing while an instance is joining or bootstrapping, since
 * that instance needs the batches after its snapshot and has published no position yet. A follower
 * keeps the last {@code keepBatches} of its own (what it would hand out, were it elected). An
 * instance that was away while the batches after its last one were pruned cannot catch up by
 * batches: it starts from a snapshot ({@link SnapshotBootstrap}).
 */
final class BatchPruning {

  private static final Logger LOG = LoggerFactory.getLogger(BatchPruning.class);
  private static final long EVERY_MILLIS = 5_000;

  private final Vertx vertx;
  private final Database database;
  private final int keep;
  private final String self;
  private final BooleanSupplier leads;
  private final Supplier<List<String>> members;
  private final Positions positions;
  private final IMap<String, String> states;

  BatchPruning(Vertx vertx, Database database, int keep, String self, BooleanSupplier leads,
      Supplier<List<String>> members, Positions positions, IMap<String, String> states) {
    this.vertx = vertx;
    this.database = database;
    this.keep = keep;
    this.self = self;
    this.leads = leads;
    this.members = members;
    this.positions = positions;
    this.states = states;
  }

  /** Prunes every few seconds; the timer's id. */
  long start() {
    return vertx.setPeriodic(EVERY_MILLIS, t -> pruneNow().onFailure(e -> LOG.warn("pruning batches failed: {}",
        e.getMessage())));
  }

  /** Prunes what no one needs now; the number of batches removed. */
  Future<Integer> pruneNow() {
    return database.read(c -> ReplicationPosition.of(c).batchId())
        .compose(head -> vertx.executeBlocking(() -> floor(head), false))
        .compose(floor -> floor <= 0 ? Future.succeededFuture(0) : database.write(c -> {
          try (PreparedStatement statement = c.prepareStatement("delete from cluster_batches where batch_id <= ?")) {
            statement.setLong(1, floor);
            return statement.executeUpdate();
          }
        }));
  }

  /** The last batch no one needs any more (0: none). Asks Hazelcast's maps, so it runs off the event loop. */
  private long floor(long head) {
    long floor = head - keep;
    if (!leads.getAsBoolean()) {
      return floor;
    }
    for (String member : members.get()) {
      if (member.equals(self)) {
        continue;
      }
      String state = states.get(member);
      if (InstanceStates.JOINING.equals(state) || InstanceStates.BOOTSTRAPPING.equals(state)) {
        return 0;
      }
      Long applied = positions.of(member);
      if (applied != null) {
        floor = Math.min(floor, applied);
      }
    }
    return floor;
  }
}
