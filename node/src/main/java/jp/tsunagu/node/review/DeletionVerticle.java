package jp.tsunagu.node.review;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the review board's deletion a minute after start and then every quarter hour; one run at a time. */
final class DeletionVerticle extends VerticleBase {

  static final long EVERY_MILLIS = 15 * 60_000;
  private static final Logger LOG = LoggerFactory.getLogger(DeletionVerticle.class);

  private final ReviewDeletion deletion;
  private boolean running;

  DeletionVerticle(ReviewDeletion deletion) {
    this.deletion = deletion;
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
    deletion.sweep(vertx)
        .onSuccess(swept -> LOG.debug("review sessions deleted: {} ({} files)", swept.sessions(), swept.files()))
        .onFailure(e -> LOG.warn("review materials past their keeping could not be deleted; the next run tries again", e))
        .onComplete(done -> running = false);
  }
}
