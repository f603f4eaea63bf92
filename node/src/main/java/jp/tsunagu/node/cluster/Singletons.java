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

  public Singletons(Vertx vertx, List<Supplier<Deployable>> verticles) {
    this.vertx = vertx;
    this.verticles = List.copyOf(verticles);
  }

  /** Deploys each once (nothing if they run already). */
  public synchronized Future<Void> deploy() {
    if (!deployed.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<String>> all = new ArrayList<>();
    for (Supplier<Deployable> verticle : verticles) {
      all.add(vertx.deployVerticle(verticle.get()).onSuccess(this::deployed));
    }
    return Future.all(all).onSuccess(v -> LOG.info("{} singletons running on this instance", all.size()))
        .mapEmpty();
  }

  private synchronized void deployed(String id) {
    deployed.add(id);
  }

  /** Undeploys those that run here. */
  public synchronized Future<Void> undeploy() {
    List<Future<Void>> all = new ArrayList<>();
    for (String id : deployed) {
      all.add(vertx.undeploy(id));
    }
    deployed.clear();
    return Future.all(all).mapEmpty();
  }
}
