package jp.tsunagu.node.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The requests this follower has forwarded and not yet had answered, each with the leader it went
 * to and when. A leader that died mid-write never answers, so each is answered 503
 * {@code cluster.leader_changed} as soon as its leader is known gone, rather than after the
 * forward's timeout, and its client retries now (with the same Idempotency-Key or event id, which
 * writes once) on the new leader. Gone means: membership dropped the leader's member or the cluster
 * named another leader ({@link LeaderWatch}), or, while forwards wait, the leader's address stopped
 * answering a ping ({@link #PING_MILLIS}), which is the quickest sign: Hazelcast may take seconds to
 * drop a member that vanished, while a dead process answers no ping and a stopped one has left the
 * address. A forward whose answer arrives first keeps it.
 */
final class PendingForwards {

  /** How often the leader is pinged while forwards wait, and how long a ping may take. */
  static final long PING_MILLIS = 500;
  static final long PING_TIMEOUT_MILLIS = 1_000;

  private final Vertx vertx;
  private final String address;
  private final Supplier<String> leader;
  private final Map<Promise<?>, Pending> pending = new ConcurrentHashMap<>();
  private long timer = -1;
  private boolean pinging;

  private record Pending(String leader, long sentAt, Context context) {}

  PendingForwards(Vertx vertx, String address, Supplier<String> leader) {
    this.vertx = vertx;
    this.address = address;
    this.leader = leader;
  }

  PendingForwards start() {
    timer = vertx.setPeriodic(PING_MILLIS, id -> ping());
    return this;
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** The answer of a forward sent now, or the refusal once its leader is gone first. */
  <T> Future<T> watch(Future<T> answer) {
    Promise<T> promise = Promise.promise();
    pending.put(promise, new Pending(leader.get(), System.nanoTime(), vertx.getOrCreateContext()));
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
    refuse(forward -> forward.leader() == null || forward.leader().equals(node));
  }

  /**
   * While forwards wait, asks the leader's address whether a leader is there: no answer within the
   * timeout, no handler, or a refusal (it no longer leads) refuses every forward sent before the ping.
   */
  private void ping() {
    if (pending.isEmpty() || pinging) {
      return;
    }
    pinging = true;
    long sentAt = System.nanoTime();
    vertx.eventBus().request(address, new JsonObject().put("ping", true),
            new DeliveryOptions().setSendTimeout(PING_TIMEOUT_MILLIS))
        .onComplete(done -> {
          pinging = false;
          if (done.failed()) {
            refuse(forward -> forward.sentAt() - sentAt <= 0);
          }
        });
  }

  private void refuse(java.util.function.Predicate<Pending> gone) {
    pending.forEach((promise, forward) -> {
      if (gone.test(forward) && pending.remove(promise) != null) {
        forward.context().runOnContext(v -> promise.tryFail(ClusterFrontDoor.refusal(null)));
      }
    });
  }

  /** How many forwards wait for an answer. */
  int size() {
    return pending.size();
  }
}
