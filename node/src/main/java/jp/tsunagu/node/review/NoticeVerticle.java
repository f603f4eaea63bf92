package jp.tsunagu.node.review;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the reviewers' notices and reminders every five minutes; one run at a time. */
final class NoticeVerticle extends VerticleBase {

  static final long EVERY_MILLIS = 5 * 60_000;
  private static final Logger LOG = LoggerFactory.getLogger(NoticeVerticle.class);

  private final ReviewNotices notices;
  private boolean running;

  NoticeVerticle(ReviewNotices notices) {
    this.notices = notices;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(30_000, EVERY_MILLIS, id -> run());
    return Future.succeededFuture();
  }

  private void run() {
    if (running) {
      return;
    }
    running = true;
    notices.sendDueNow(vertx)
        .onSuccess(sent -> LOG.debug("review notices mailed: {}", sent))
        .onFailure(e -> LOG.warn("review notices could not be sent; the next run tries again", e))
        .onComplete(done -> running = false);
  }
}
