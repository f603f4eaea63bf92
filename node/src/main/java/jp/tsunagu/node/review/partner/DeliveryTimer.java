package jp.tsunagu.node.review.partner;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends partner deliveries when they fall due rather than at a sweep's next run: a timer set to the
 * earliest delivery due (a release set for later, a retry after its wait), set again after each run and
 * whenever a delivery is queued ({@link #poke}, on the event bus, so a release taken on any instance of
 * a clustered node reaches the leader that runs this). One run at a time; the deletion sweep's run stays
 * as a backstop.
 */
public final class DeliveryTimer extends VerticleBase {

  /** Published after deliveries were queued or tried: the timer is set again to the earliest due. */
  public static final String ADDRESS = "review.partner.deliveries.changed";
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryTimer.class);
  /** A timer is never set further than this ahead, so a changed clock is caught up with. */
  private static final Duration LONGEST = Duration.ofHours(1);

  private final Supplier<Future<Optional<Instant>>> nextDue;
  private final Function<Vertx, Future<?>> deliver;
  private final Clock clock;
  private long timer = -1;
  private boolean running;
  private boolean failed;

  /**
   * @param nextDue when the earliest delivery not given up is due
   * @param deliver sends every delivery due now
   */
  public DeliveryTimer(Supplier<Future<Optional<Instant>>> nextDue, Function<Vertx, Future<?>> deliver, Clock clock) {
    this.nextDue = nextDue;
    this.deliver = deliver;
    this.clock = clock;
  }

  /** Tells the timer that deliveries changed (queued, sent or given up). */
  public static void poke(Vertx vertx) {
    vertx.eventBus().publish(ADDRESS, "");
  }

  @Override
  public Future<?> start() {
    var consumer = vertx.eventBus().<String>consumer(ADDRESS, m -> arm());
    arm();
    return consumer.completion();
  }

  private void arm() {
    nextDue.get().onSuccess(at -> {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
      if (at.isPresent()) {
        Duration wait = Duration.between(Instant.now(clock), at.get());
        // After a failed run (the database, not a partner: those are settled with a later try) the same
        // deliveries are still due; a minute's pause keeps that from spinning.
        long millis = Math.max(failed ? 60_000 : 1, Math.min(wait.toMillis(), LONGEST.toMillis()));
        timer = vertx.setTimer(millis, id -> {
          timer = -1;
          fire();
        });
      }
    }).onFailure(e -> LOG.warn("partner deliveries: cannot read the next due; the sweep sends them", e));
  }

  private void fire() {
    if (running) {
      return; // the run under way sets the timer again when it ends
    }
    running = true;
    deliver.apply(vertx).onFailure(e -> LOG.warn("partner deliveries failed; tried again when due", e))
        .onComplete(done -> {
          running = false;
          failed = done.failed();
          arm();
        });
  }
}
