package jp.tsunagu.node.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a follower fetches what it missed: at start (after the chain check), when another instance is
 * named leader, when this instance stops leading, and when it finds itself behind the leader's
 * published position without moving between two looks (it was paused, or batches sent to it were
 * lost with a connection). Without this a follower learns of a gap only from the leader's next batch,
 * and until then serves the data it had when it left. While a catch-up runs the instance is not ready.
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
  private final Positions positions;
  private final BatchWatch watch;
  /** This instance's batch when it was last seen behind the leader, or -1. */
  private volatile long behindAt = -1;

  FollowerCatchUp(Vertx vertx, ReplicationLink link, String self, Supplier<List<String>> members,
      BooleanSupplier leading, Supplier<String> leader, Positions positions, BatchWatch watch) {
    this.vertx = vertx;
    this.link = link;
    this.self = self;
    this.members = members;
    this.leading = leading;
    this.leader = leader;
    this.positions = positions;
    this.watch = watch;
  }

  /** Catches up with the leader the cluster's state names now, if it is another member present. */
  Future<Void> withNamedLeader() {
    return vertx.executeBlocking(leader::get, false).compose(this::with);
  }

  /** Catches up with {@code current}; never fails (a failed catch-up is tried again by {@link #check}). */
  Future<Void> with(String current) {
    if (current == null || current.equals(self) || leading.getAsBoolean() || !members.get().contains(current)) {
      return Future.succeededFuture();
    }
    return link.catchUpWith(current).recover(e -> {
      LOG.warn("could not fetch the batches this instance missed from the leader {}: {}", current, e.getMessage());
      return Future.succeededFuture();
    });
  }

  /**
   * Looks whether this follower is behind the leader's published batch and has not moved since the
   * last look: batches in flight move it, a lost or never-sent one does not.
   */
  void check() {
    if (leading.getAsBoolean() || link.catchingUp()) {
      return;
    }
    vertx.executeBlocking(() -> {
      String current = leader.get();
      Long leaderBatch = current == null ? null : positions.of(current);
      return leaderBatch == null ? null : new Object[] {current, leaderBatch};
    }, false).onSuccess(found -> {
      long own = watch.latest();
      if (found == null || (Long) found[1] <= own) {
        behindAt = -1;
        return;
      }
      if (behindAt == own) {
        behindAt = -1;
        with((String) found[0]);
      } else {
        behindAt = own;
      }
    });
  }

  boolean underWay() {
    return link.catchingUp();
  }
}
