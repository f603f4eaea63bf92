package jp.tsunagu.node.cluster;

import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verticles that must run once per node, not once per instance (team sync and its outbox,
 * partner pulls, scheduled jobs, pruning): every verticle a feature declares in
 * {@code NodeFeature.verticles()} is one, since each writes to the database that only the leader
 * writes. A clustered node deploys them when its instance is elected and undeploys them when it
 * loses the lock; a feature declares nothing more.
 */
public final class Singletons {

  private static final Logger LOG = LoggerFactory.getLogger(Singletons.class);

  private final Vertx vertx;
  private final List<Supplier<Deployable>> verticles;
  private final List<String> deployed = new ArrayList<>();
  /** Whether they are to run here: between {@link #deploy} and {@link #undeploy}. */
  private boolean running;
  /** Counts deploys and undeploys, so that a deployment completing after an undeploy is known as stale. */
  private long round;

  public Singletons(Vertx vertx, List<Supplier<Deployable>> verticles) {
    this.vertx = vertx;
    this.verticles = List.copyOf(verticles);
  }

  /** Deploys each once (nothing if they run already, or are being deployed). */
  public synchronized Future<Void> deploy() {
    if (running) {
      return Future.succeededFuture();
    }
    running = true;
    long thisRound = ++round;
    List<Future<String>> all = new ArrayList<>();
    for (Supplier<Deployable> verticle : verticles) {
      all.add(vertx.deployVerticle(verticle.get()).onSuccess(id -> deployed(id, thisRound)));
    }
    return Future.all(all).onSuccess(v -> LOG.info("{} singletons running on this instance", all.size()))
        .mapEmpty();
  }

  /**
   * Keeps a deployment that completed to undeploy it with the others; one that completed after {@link #undeploy}
   * (the instance lost the lock while its singletons were starting) is undeployed at once: it must not run on an
   * instance that does not lead, and the next election deploys it afresh.
   */
  private void deployed(String id, long itsRound) {
    synchronized (this) {
      if (running && round == itsRound) {
        deployed.add(id);
        return;
      }
    }
    LOG.info("a singleton started after this instance stopped leading; undeploying it");
    vertx.undeploy(id);
  }

  /** Undeploys those that run here, and those still starting once they have started. */
  public synchronized Future<Void> undeploy() {
    running = false;
    round++;
    List<Future<Void>> all = new ArrayList<>();
    for (String id : deployed) {
      all.add(vertx.undeploy(id));
    }
    deployed.clear();
    return Future.all(all).mapEmpty();
  }
}
