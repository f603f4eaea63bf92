package jp.tsunagu.node.federation;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Runs the partner resource sync: the kept listings at start, a pull soon after start and then
 * every {@link #PULL_INTERVAL_MILLIS}, a pull as soon as an agreement change admits a partner, and a
 * purge whenever agreements change or a validity period may have ended.
 */
public final class PartnerResourceSyncVerticle extends VerticleBase {

  /** How often partners' listings are pulled again. */
  static final long PULL_INTERVAL_MILLIS = 10 * 60_000;
  private static final long FIRST_PULL_MILLIS = 2_000;

  private final PartnerResourceSync sync;
  private volatile boolean running;
  private final Runnable onAgreementsChange = () -> {
    if (running) {
      context.runOnContext(ignored -> agreementsChanged());
    }
  };

  public PartnerResourceSyncVerticle(PartnerResourceSync sync) {
    this.sync = sync;
  }

  @Override
  public Future<?> start() {
    running = true;
    sync.federation().agreements().onChange(onAgreementsChange);
    vertx.setTimer(FIRST_PULL_MILLIS, id -> sync.pullAll(vertx));
    vertx.setPeriodic(PULL_INTERVAL_MILLIS, id -> sync.pullAll(vertx));
    vertx.setPeriodic(FederationVerticle.REFRESH_MILLIS, id -> sync.purge());
    return sync.loadStored();
  }

  private void agreementsChanged() {
    sync.purge().onSuccess(ignored -> {
      if (sync.missingCopies()) {
        sync.pullAll(vertx);
      }
    });
  }

  @Override
  public Future<?> stop() {
    running = false;
    sync.federation().agreements().removeListener(onAgreementsChange);
    return Future.succeededFuture();
  }
}
