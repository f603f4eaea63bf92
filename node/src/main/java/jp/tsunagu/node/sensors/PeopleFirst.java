package jp.tsunagu.node.sensors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagu.federation.sensors.GatewayBatch;

/**
 * People's requests before the ingest's work: counts the web listener's requests in flight that are not a
 * gateway's batch (nor a live stream or a WebSocket, which stay open for as long as a screen does), and
 * lets the ingest start each step of a batch (its reading, signature check and checks on the ingest's
 * worker, its bulk write) only when none is in flight, or once it has waited the longest wait
 * ({@code sensors.peopleFirstMs}, 40 ms; 0: no wait). On two cores a batch's step that starts while a
 * nurse's request is served takes the core that request needs (its event loop, its read, its audit entry's
 * write); started in a gap between people's requests it mostly runs before the next comes. A waiting step
 * is woken by the end of the last request in flight, not by a timer that looks again every millisecond
 * (a thousand wake-ups a second of each waiting step, on the event loops people's requests need); its one
 * timer is the longest wait, so a batch is never lost nor held for long: at most a few times that wait
 * (an alert's target is a second), however busy the node.
 */
final class PeopleFirst {

  private final AtomicInteger inFlight = new AtomicInteger();
  private final Queue<Waiter> waiting = new ConcurrentLinkedQueue<>();
  private final long mostWaitMs;
  private final Counter waited;
  private final Counter gaveUp;

  /**
   * @param mostWaitMs the longest a step waits for a gap (0: it never waits)
   */
  PeopleFirst(MeterRegistry metrics, long mostWaitMs) {
    this.mostWaitMs = mostWaitMs;
    this.waited = Counter.builder("tsunagu.sensors.ingest.waited")
        .description("ingest steps that waited for people's requests to end").register(metrics);
    this.gaveUp = Counter.builder("tsunagu.sensors.ingest.waitedLongest")
        .description("ingest steps that started after the longest wait, people's requests still in flight")
        .register(metrics);
  }

  /** The web listener's filter: a person's request is counted from here to its response's end. */
  void track(RoutingContext ctx) {
    if (counts(ctx)) {
      inFlight.incrementAndGet();
      ctx.addEndHandler(done -> ended());
    }
    ctx.next();
  }

  /** People's requests in flight now. */
  int inFlight() {
    return inFlight.get();
  }

  /** Steps waiting for their turn now. */
  int waiting() {
    return waiting.size();
  }

  /**
   * Completes, on the caller's context, when no person's request is in flight, or after the longest wait.
   */
  Future<Void> turn(Vertx vertx) {
    if (mostWaitMs == 0 || inFlight.get() == 0) {
      return Future.succeededFuture();
    }
    waited.increment();
    Waiter waiter = new Waiter(vertx, vertx.getOrCreateContext());
    waiter.timer = vertx.setTimer(mostWaitMs, id -> {
      waiting.remove(waiter);
      waiter.wake(true);
    });
    waiting.add(waiter);
    // The last request may have ended between the look above and the queueing: nobody would wake it then.
    if (inFlight.get() == 0) {
      wakeAll();
    }
    return waiter.turn.future();
  }

  private void ended() {
    if (inFlight.decrementAndGet() == 0) {
      wakeAll();
    }
  }

  private void wakeAll() {
    for (Waiter waiter = waiting.poll(); waiter != null; waiter = waiting.poll()) {
      waiter.wake(false);
    }
  }

  /** A step waiting for its turn, and the context it continues on. */
  private final class Waiter {
    final Vertx vertx;
    final Context context;
    final Promise<Void> turn = Promise.promise();
    final AtomicBoolean woken = new AtomicBoolean();
    volatile long timer;

    Waiter(Vertx vertx, Context context) {
      this.vertx = vertx;
      this.context = context;
    }

    void wake(boolean afterLongestWait) {
      if (!woken.compareAndSet(false, true)) {
        return;
      }
      if (afterLongestWait) {
        gaveUp.increment();
      } else {
        vertx.cancelTimer(timer);
      }
      context.runOnContext(v -> turn.complete());
    }
  }

  private static boolean counts(RoutingContext ctx) {
    String path = ctx.request().path();
    String accept = ctx.request().getHeader("Accept");
    return !(path != null && path.equals(GatewayBatch.PATH))
        && !(accept != null && accept.contains("text/event-stream"))
        && ctx.request().getHeader("Upgrade") == null;
  }
}
