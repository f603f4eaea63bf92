package jp.tsunagu.node.sensors;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the retention sweep soon after start and then every {@link #EVERY_MILLIS}; one sweep at a time. */
final class RetentionVerticle extends VerticleBase {

  static final long EVERY_MILLIS = 15 * 60_000;
  private static final Logger LOG = LoggerFactory.getLogger(RetentionVerticle.class);

  private final SensorRetention retention;
  private boolean running;

  RetentionVerticle(SensorRetention retention) {
    this.retention = retention;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(60_000, EVERY_MILLIS, id -> sweep());
    return Future.succeededFuture();
  }

  private void sweep() {
    if (running) {
      return;
    }
    running = true;
    retention.sweep()
        .onSuccess(deleted -> LOG.debug("{} sensor rows past their retention deleted", deleted))
        .onFailure(e -> LOG.warn("sensor readings past their retention could not be deleted; the next run tries again", e))
        .onComplete(done -> running = false);
  }
}
