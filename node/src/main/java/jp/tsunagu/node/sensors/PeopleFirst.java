package jp.tsunagu.node.sensors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagu.federation.sensors.GatewayBatch;

/**
 * People's requests before the ingest's work: counts the web listener's requests in flight that are not a
 * gateway's batch (nor a live stream or a WebSocket, which stay open for as long as a screen does), and
 * lets the ingest start each step of a batch (its reading, signature check and checks on the ingest's
 * worker, its bulk write) only when none is in flight, or once it has waited {@value #MOST_WAIT_MS} ms.
 * On two cores a batch's step that starts while a nurse's request is served takes the core that request
 * needs (its event loop, its read, its audit entry's write); started in a gap between people's requests it
 * mostly runs before the next comes. The wait is bounded, so a batch is never lost nor held for long:
 * at most a few times {@value #MOST_WAIT_MS} ms (an alert's target is a second), however busy the node.
 */
final class PeopleFirst {

  /** The longest a step of a batch waits for a gap between people's requests. */
  static final long MOST_WAIT_MS = 40;
  /** How often a waiting step looks again: a nurse's request is served in about a millisecond. */
  private static final long LOOK_MS = 1;

  private final AtomicInteger inFlight = new AtomicInteger();
  private final long mostWaitNanos;
  private final Counter waited;
  private final Counter gaveUp;

  PeopleFirst(MeterRegistry metrics) {
    this(metrics, MOST_WAIT_MS);
  }

  /** With another longest wait (tests). */
  PeopleFirst(MeterRegistry metrics, long mostWaitMs) {
    this.mostWaitNanos = mostWaitMs * 1_000_000L;
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
      ctx.addEndHandler(done -> inFlight.decrementAndGet());
    }
    ctx.next();
  }

  /** People's requests in flight now. */
  int inFlight() {
    return inFlight.get();
  }

  /** Completes when no person's request is in flight, or after the longest wait ({@link #MOST_WAIT_MS}). */
  Future<Void> turn(Vertx vertx) {
    if (inFlight.get() == 0) {
      return Future.succeededFuture();
    }
    waited.increment();
    Promise<Void> turn = Promise.promise();
    look(vertx, System.nanoTime() + mostWaitNanos, turn);
    return turn.future();
  }

  private void look(Vertx vertx, long until, Promise<Void> turn) {
    vertx.setTimer(LOOK_MS, id -> {
      if (inFlight.get() == 0) {
        turn.complete();
      } else if (System.nanoTime() >= until) {
        gaveUp.increment();
        turn.complete();
      } else {
        look(vertx, until, turn);
      }
    });
  }

  private static boolean counts(RoutingContext ctx) {
    String path = ctx.request().path();
    String accept = ctx.request().getHeader("Accept");
    return !(path != null && path.equals(GatewayBatch.PATH))
        && !(accept != null && accept.contains("text/event-stream"))
        && ctx.request().getHeader("Upgrade") == null;
  }
}
