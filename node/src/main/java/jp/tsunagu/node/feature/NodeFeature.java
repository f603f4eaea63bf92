package jp.tsunagu.node.feature;

import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Supplier;
import jp.tsunagu.node.web.ReadinessCheck;
import jp.tsunagu.node.web.RouteSet;

/**
 * One capability of a node as it plugs in: what it mounts on each of the node's three listeners,
 * what runs on its own (verticles and their timers), what it adds to readiness and metrics, its demo
 * data, the team event types it sends to partners and checks and applies when they arrive, and its
 * records of a board as such events for a partner who joins a team after they were made.
 *
 * <p>A feature is built once per node by {@code NodeFeatures}, in dependency order, and is handed
 * the services of the features it uses through its constructor; nothing is looked up. The node
 * closes features in the reverse order of their creation. Every method but {@link #name} has a
 * default: a feature says only what it has.
 */
public interface NodeFeature extends AutoCloseable {

  /** A short stable name (logs, health details), e.g. {@code care}. */
  String name();

  /** Route sets on the HTTPS listener for people: the API under {@code /api/v1}, pages at the root. */
  default List<RouteSet> webRoutes() {
    return List.of();
  }

  /** Route sets on the loopback admin listener, under {@code /admin/v1} (behind the operator token). */
  default List<RouteSet> adminRoutes() {
    return List.of();
  }

  /**
   * Adds routes to the federation listener's router, under {@code /federation/v1}; they run after
   * the listener's per-request check of the calling partner's pin.
   */
  default void mountFederation(Router federation) {}

  /** Verticles the node deploys once each, after its listeners are built (sync engines, pullers). */
  default List<Supplier<Deployable>> verticles() {
    return List.of();
  }

  /**
   * Starts what the feature runs on every instance of a clustered node, the leader and each follower
   * alike (the {@link #verticles} run on one instance only), before the node's listeners start.
   */
  default void startOnEveryInstance(Vertx vertx) {}

  /** Checks added to {@code /health/ready} on the web and admin listeners. */
  default List<ReadinessCheck> readiness() {
    return List.of();
  }

  /** Seeds this node's demo data (the demo command only; never on a real node). */
  default void seedDemo() {}

  /**
   * The team event types this feature sends to partners on a shared care team, each with how a
   * receiving node checks and applies it. Team sync refuses every type no feature declares.
   */
  default List<TeamEventType> teamEventTypes() {
    return List.of();
  }

  /**
   * The feature's records on a care board as team events, for the first sharing of a board with a
   * partner (see {@link BoardHistory}); none by default (the care posts travel on their own).
   */
  default List<BoardHistory> boardHistories() {
    return List.of();
  }

  /**
   * The counts this feature publishes for 行政's usage report (counts only, never a row about a
   * person); none by default.
   */
  default List<UsageFigures> usageFigures() {
    return List.of();
  }

  /** Releases what the feature holds; called once, in reverse order of creation, when the node stops. */
  @Override
  default void close() {}
}
