package jp.tsunagu.node.teamsync;

import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Supplier;
import jp.tsunagu.node.care.replication.TeamData;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.web.ReadinessCheck;

/**
 * Care teams that span nodes: the home node's signed event log, partners' submissions, push and
 * pull, the outbox and its backoff, rejections, invitations of partners' professionals, history
 * sharing and attachment transfer, every incoming event held to {@link IncomingEventPolicy}. Built
 * after every feature that declares team event types, whose declarations it is given.
 */
public final class TeamSyncFeature implements NodeFeature {

  private final TeamSync team;
  private final Sync sync;
  private final TeamSyncFigures figures;

  /**
   * @param shared the replication hooks the care feature was given (built before it)
   * @param types the team event types the node's features declare
   */
  public TeamSyncFeature(NodeServices services, Federation federation, TeamData data, SharedBoards shared,
      TeamEventTypes types) {
    this.team = new TeamSync(services, federation, data, shared, types);
    this.sync = new Sync(services, federation, team);
    this.figures = new TeamSyncFigures(services.config().node().name());
  }

  @Override
  public String name() {
    return "team-sync";
  }

  /** The engine's work on the care data (tests and benchmarks drive it directly). */
  public TeamSync team() {
    return team;
  }

  /** The wire and schedule of team sync. */
  public Sync sync() {
    return sync;
  }

  @Override
  public void mountFederation(Router router) {
    sync.mountRoutes(router);
  }

  @Override
  public List<Supplier<Deployable>> verticles() {
    return List.of(() -> new SyncVerticle(sync));
  }

  /**
   * Partners' backlogs never take the node out of service (a partner being down is not this node's
   * fault): the check is always UP and lists what waits for whom.
   */
  @Override
  public List<ReadinessCheck> readiness() {
    return List.of(new ReadinessCheck("team-sync", 5_000, promise -> team.waiting()
        .onSuccess(waiting -> promise.tryComplete(Status.OK(details(waiting))))
        .onFailure(e -> promise.tryComplete(Status.OK(details("unknown"))))));
  }

  /** What waits in the outbox, and (as a warning only) the boards held while partners are ahead of this log. */
  private JsonObject details(Object waiting) {
    JsonObject details = new JsonObject().put("outboxWaiting", waiting);
    JsonObject recovery = team.recovering().report();
    return recovery.isEmpty() ? details : details.put("homeRecovery", recovery);
  }

  @Override
  public List<jp.tsunagu.node.feature.UsageFigures> usageFigures() {
    return List.of(figures);
  }
}
