package jp.tsunagu.node.cluster;

import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import jp.tsunagu.node.storage.Database;

/**
 * Each instance's last applied batch, as every member can see it (a Hazelcast map of numbers, no
 * data): an instance publishes its own a few times a second, and contends for the writer's lock only
 * while no other member present has applied more. When a leader dies, the follower that applied the
 * most batches is then the one elected, and it holds every batch whose write was answered.
 */
final class Positions {

  private static final long PUBLISH_MILLIS = 200;

  private final Vertx vertx;
  private final Database database;
  private final IMap<String, Long> shared;
  private final String self;
  private final Supplier<List<String>> members;
  private volatile long own = -1;
  private volatile long timer = -1;
  private volatile boolean stopped;
  private final AtomicLong publications = new AtomicLong();

  Positions(Vertx vertx, Database database, IMap<String, Long> shared, String self, Supplier<List<String>> members) {
    this.vertx = vertx;
    this.database = database;
    this.shared = shared;
    this.self = self;
    this.members = members;
  }

  /**
   * Publishes once, then a few times a second until {@link #stop}. The timer is this instance's to
   * cancel: it is set outside any verticle, so no undeploy ends it, and left running after the
   * instance closed it went on reading the database (closed by then: each read refused) until Vert.x
   * itself was closed.
   */
  Future<Void> start() {
    return publish().onSuccess(v -> {
      // A stop while the first publication was read had no timer to cancel yet: it is cancelled here.
      timer = vertx.setPeriodic(PUBLISH_MILLIS, t -> publish());
      if (stopped) {
        vertx.cancelTimer(timer);
      }
    });
  }

  /** Publishes no more (the instance's close). */
  void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }

  /** How many times this instance read its position to publish it (tests). */
  long publications() {
    return publications.get();
  }

  private Future<Void> publish() {
    publications.incrementAndGet();
    return database.read(c -> BatchChain.diverged(c) == null ? ReplicationPosition.of(c).batchId() : -1L).map(at -> {
      own = at;
      if (at < 0) {
        // A diverged instance cannot prove its batches: it publishes none, so it is never elected
        // and no follower holds back from contending because of its number.
        shared.removeAsync(self);
      } else {
        shared.putAsync(self, at);
      }
      return null;
    });
  }

  /** The last batch {@code member} published as applied (or written, if it leads); null before it did. */
  Long of(String member) {
    return shared.get(member);
  }

  /** Whether no other member present has applied more batches than this instance. */
  boolean mostAdvanced() {
    long mine = own;
    if (mine < 0) {
      return false;
    }
    for (String member : members.get()) {
      Long theirs = member.equals(self) ? null : shared.get(member);
      if (theirs != null && theirs > mine) {
        return false;
      }
    }
    return true;
  }
}
