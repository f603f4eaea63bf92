package jp.tsunagu.node.emergency;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import jp.tsunagu.federation.wire.EmergencyRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the request ids of partners' emergency requests (replay protection) once no copy of the
 * request could pass the clock check any more, soon after start and then every hour. A request is
 * accepted when signed within {@link EmergencyRequest#MAX_SKEW} either side of this node's clock, so
 * one received now may still pass up to twice that window later; an hour's margin on top covers a
 * clock set right between.
 */
final class RequestPruning extends VerticleBase {

  static final Duration KEEP = EmergencyRequest.MAX_SKEW.multipliedBy(2).plus(Duration.ofHours(1));
  static final long EVERY_MILLIS = 60 * 60_000;
  private static final Logger LOG = LoggerFactory.getLogger(RequestPruning.class);

  private final EmergencyContext emergency;

  RequestPruning(EmergencyContext emergency) {
    this.emergency = emergency;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(1_000, EVERY_MILLIS, id -> prune()
        .onSuccess(removed -> LOG.debug("{} partners' emergency request ids past the replay window removed", removed))
        .onFailure(e -> LOG.warn("old emergency request ids could not be removed; the next run tries again", e)));
    return Future.succeededFuture();
  }

  /** Deletes the ids received before {@link #KEEP} ago by the node's clock; returns how many. */
  Future<Integer> prune() {
    Instant before = emergency.now().minus(KEEP);
    return emergency.services().database().write(c -> PartnerSql.forgetRequestsBefore(c,
        EmergencyContext.stamp(before)));
  }
}
