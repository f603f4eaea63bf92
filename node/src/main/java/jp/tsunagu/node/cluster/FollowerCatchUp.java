package jp.tsunagu.node.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a follower fetches what it missed: at start (after the chain check, without holding the start
 * up: a leader writing fast may be thousands of batches ahead), when this instance stops leading (a
 * leader paused past its lease follows again) and when it hears a new leader named ({@link LeaderWatch}:
 * it may have been paused, cut off or slow while the leader changed). Without this a follower learns
 * of a gap only from the leader's next batch, and until then serves the data it had when it left.
 * While a catch-up runs the instance is not ready.
 */
final class FollowerCatchUp {

  private static final Logger LOG = LoggerFactory.getLogger(FollowerCatchUp.class);

  private final Vertx vertx;
  private final ReplicationLink link;
  private final String self;
  private final Supplier<List<String>> members;
  private final BooleanSupplier leading;
  /** The leader the cluster's state names; asks Hazelcast, so called off the event loop. */
  private final Supplier<String> leader;
  /** Catch-ups asked for whose leader is still being looked up or whose batches are being fetched. */
  private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();

  FollowerCatchUp(Vertx vertx, ReplicationLink link, String self, Supplier<List<String>> members,
      BooleanSupplier leading, Supplier<String> leader) {
    this.vertx = vertx;
    this.link = link;
    this.self = self;
    this.members = members;
    this.leading = leading;
    this.leader = leader;
  }

  /** Catches up with the leader the cluster's state names now, if it is another member present. */
  Future<Void> withNamedLeader() {
    pending.incrementAndGet();
    return vertx.executeBlocking(leader::get, false).compose(this::with)
        .andThen(ignored -> pending.decrementAndGet());
  }

  /** Catches up with {@code current}; never fails: a failed catch-up leaves the gap to the next batch. */
  Future<Void> with(String current) {
    if (current == null || current.equals(self) || leading.getAsBoolean() || !members.get().contains(current)) {
      return Future.succeededFuture();
    }
    return link.catchUpWith(current).recover(e -> {
      LOG.warn("could not fetch the batches this instance missed from the leader {}: {}", current, e.getMessage());
      return Future.succeededFuture();
    });
  }

  boolean underWay() {
    return pending.get() > 0 || link.catchingUp();
  }
}
