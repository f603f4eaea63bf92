package jp.tsunagu.node.review.partner;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.function.Predicate;
import jp.tsunagu.node.federation.Federation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a partner reviewer's node: once no agreement with a home grants {@code certification-review}
 * (it ended, was withdrawn, or no longer names the scope), that home's deletion order would be refused,
 * so every review copy, material, opinion and view held from it is dropped here instead. Run at start
 * (for agreements that ended while the node was down), whenever the agreements or the trust they give
 * change, and every quarter hour as a backstop (an agreement's end passing with the clock).
 */
public final class EndedAgreements extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EndedAgreements.class);
  private static final long EVERY_MILLIS = 15 * 60_000;

  private final PartnerCopies copies;
  private final Federation federation;
  private final Predicate<String> granted;
  private final Runnable onChange = () -> context.runOnContext(v -> dropEnded());
  private volatile boolean running;
  private final Runnable onAgreementsChange = () -> {
    if (running) {
      onChange.run();
    }
  };
  private boolean busy;
  private boolean again;
  private long timer = -1;

  /** @param granted whether a node shares an active agreement with the {@code certification-review} scope now */
  public EndedAgreements(PartnerCopies copies, Federation federation, Predicate<String> granted) {
    this.copies = copies;
    this.federation = federation;
    this.granted = granted;
  }

  @Override
  public Future<?> start() {
    running = true;
    federation.agreements().onChange(onAgreementsChange);
    federation.trust().onChange(onChange);
    timer = vertx.setPeriodic(EVERY_MILLIS, id -> dropEnded());
    return dropEnded();
  }

  @Override
  public Future<?> stop() {
    running = false;
    vertx.cancelTimer(timer);
    federation.trust().removeListener(onChange);
    federation.agreements().removeListener(onAgreementsChange);
    return Future.succeededFuture();
  }

  /** Drops what is held from every home no agreement covers for review now; one pass at a time. */
  Future<Void> dropEnded() {
    if (busy) {
      again = true; // a change during a pass: one more pass after it
      return Future.succeededFuture();
    }
    busy = true;
    return copies.homesHeld().compose(homes -> {
      Future<Void> chain = Future.succeededFuture();
      for (String home : homes) {
        if (!granted.test(home)) {
          chain = chain.compose(v -> copies.dropHome(vertx, home)
              .onSuccess(n -> LOG.info("review copies of {} dropped: no agreement grants certification-review ({}"
                  + " files)", home, n)).mapEmpty());
        }
      }
      return chain;
    }).onFailure(e -> LOG.warn("dropping review copies of ended agreements failed; the next pass tries again", e))
        .onComplete(v -> {
          busy = false;
          if (again && running) {
            again = false;
            dropEnded();
          }
        }).recover(e -> Future.succeededFuture());
  }
}
