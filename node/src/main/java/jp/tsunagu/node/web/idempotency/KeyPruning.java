package jp.tsunagu.node.web.idempotency;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Removes {@code Idempotency-Key} rows older than a day, soon after start and then every hour. */
public final class KeyPruning extends VerticleBase {

  static final long EVERY_MILLIS = 60 * 60_000;
  private static final Logger LOG = LoggerFactory.getLogger(KeyPruning.class);

  private final IdempotencyKeys keys;

  public KeyPruning(IdempotencyKeys keys) {
    this.keys = keys;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(1_000, EVERY_MILLIS, id -> prune());
    return Future.succeededFuture();
  }

  private void prune() {
    keys.prune().onSuccess(removed -> LOG.debug("{} idempotency keys older than a day removed", removed))
        .onFailure(e -> LOG.warn("old idempotency keys could not be removed; the next run tries again", e));
  }
}
