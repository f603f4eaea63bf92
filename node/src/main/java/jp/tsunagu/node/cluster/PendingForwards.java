package jp.tsunagu.node.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The requests this follower has forwarded and not yet had answered, each with the leader it went
 * to. When that leader is gone ({@link LeaderWatch}) each is answered 503
 * {@code cluster.leader_changed} at once rather than after the forward's timeout: a leader that
 * died mid-write never answers, and its client should retry now (with the same Idempotency-Key or
 * event id, which writes once) on the new leader. A forward whose answer arrives first keeps it.
 */
final class PendingForwards {

  private final Vertx vertx;
  private final Supplier<String> leader;
  private final Map<Promise<?>, Pending> pending = new ConcurrentHashMap<>();

  private record Pending(String leader, Context context) {}

  PendingForwards(Vertx vertx, Supplier<String> leader) {
    this.vertx = vertx;
    this.leader = leader;
  }

  /** The answer of a forward sent now, or the refusal once its leader is gone first. */
  <T> Future<T> watch(Future<T> answer) {
    Promise<T> promise = Promise.promise();
    pending.put(promise, new Pending(leader.get(), vertx.getOrCreateContext()));
    answer.onComplete(done -> {
      pending.remove(promise);
      if (done.succeeded()) {
        promise.tryComplete(done.result());
      } else {
        promise.tryFail(done.cause());
      }
    });
    return promise.future();
  }

  /** {@code node} no longer leads: every forward sent to it (or while no leader was known) is refused. */
  void leaderGone(String node) {
    pending.forEach((promise, forward) -> {
      if (forward.leader() == null || forward.leader().equals(node)) {
        pending.remove(promise);
        forward.context().runOnContext(v -> promise.tryFail(ClusterFrontDoor.refusal(null)));
      }
    });
  }

  /** How many forwards wait for an answer (tests, status). */
  int size() {
    return pending.size();
  }
}
