package jp.tsunagu.node.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last batch this instance has in its database (committed as the leader or applied as a
 * follower), kept in memory so that a read can wait, without polling the database, until the batch
 * of a session's last write is here (read-your-writes).
 */
public final class BatchWatch {

  private final AtomicLong latest = new AtomicLong();
  /** Who waits for which batch; guarded by itself. */
  private final TreeMap<Long, java.util.List<Promise<Void>>> waiting = new TreeMap<>();

  public long latest() {
    return latest.get();
  }

  /** This instance now has every batch up to {@code batchId}. */
  public void reached(long batchId) {
    latest.accumulateAndGet(batchId, Math::max);
    java.util.List<Promise<Void>> due = new java.util.ArrayList<>();
    synchronized (waiting) {
      Map<Long, java.util.List<Promise<Void>>> head = waiting.headMap(batchId, true);
      head.values().forEach(due::addAll);
      head.clear();
    }
    due.forEach(Promise::tryComplete);
  }

  /**
   * Completes once this instance has batch {@code batchId}; fails with {@code cluster.lagging} (503)
   * after {@code limitMillis}.
   */
  public Future<Void> await(Vertx vertx, long batchId, long limitMillis) {
    if (latest.get() >= batchId) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    synchronized (waiting) {
      waiting.computeIfAbsent(batchId, k -> new java.util.ArrayList<>()).add(promise);
    }
    // Reached between the first look and the registration.
    if (latest.get() >= batchId) {
      reached(latest.get());
    }
    long timer = vertx.setTimer(limitMillis, t -> {
      synchronized (waiting) {
        java.util.List<Promise<Void>> same = waiting.get(batchId);
        if (same != null && same.remove(promise) && same.isEmpty()) {
          waiting.remove(batchId);
        }
      }
      promise.tryFail(new ClusterUnavailable("cluster.lagging",
          "この処理の直前の変更がまだこのサーバーに届いていません。少し待って再度お試しください。"));
    });
    return promise.future().andThen(done -> vertx.cancelTimer(timer));
  }
}
