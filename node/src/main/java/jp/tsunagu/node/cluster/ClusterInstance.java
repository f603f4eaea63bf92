package jp.tsunagu.node.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.storage.Database;

/**
 * One instance of a clustered node, put together: change capture on its database, the commit hook
 * that makes and ships a batch per transaction (answered once replicated), the link that applies
 * the leader's batches here, and the contention for the writer's lock. Every instance runs the
 * same parts; only the lock decides which one writes. A write made on an instance that is not the
 * leader fails with {@code cluster.not_leader}; requests that write are sent to the leader before
 * that ({@link ClusterFrontDoor}), and the records a follower writes beside a read (an audit record,
 * a session's touch) go to the leader as data ({@link RelayedWrites}). Each instance also hands out
 * snapshots when it leads ({@link SnapshotSource}; an instance that cannot follow by batches starts
 * from one before this, {@link SnapshotBootstrap}), prunes the batches it keeps ({@link BatchPruning})
 * and publishes its state ({@link InstanceStates}).
 */
public final class ClusterInstance implements AutoCloseable {

  private static final String STATE_MAP = "tsunagu-cluster-state";
  private static final String POSITIONS_MAP = "tsunagu-cluster-positions";
  private static final long WARM_UP_MILLIS = 5_000;
  private static final long STATE_MILLIS = 1_000;

  private final NodeConfig.Cluster settings;
  private final Database database;
  private final HazelcastClusterManager members;
  private final ReplicationLink link;
  private final Leadership leadership;
  private final Positions positions;
  private final BatchWatch watch;
  private final RelayedWrites relayed;
  private final LeaderWatch leaderWatch;
  private final PendingForwards forwards;
  private final BatchPruning pruning;
  private final FollowerCatchUp catchUp;
  private final CpVoting voting;
  private volatile boolean closed;
  private volatile boolean diverged;
  private final List<Long> timers = new CopyOnWriteArrayList<>();
  private final Vertx vertx;

  private ClusterInstance(Vertx vertx, NodeConfig.Cluster settings, Database database,
      HazelcastClusterManager members, ReplicationLink link, Leadership leadership, Positions positions,
      BatchWatch watch, BatchPruning pruning, RelayedWrites relayed, LeaderWatch leaderWatch,
      PendingForwards forwards, FollowerCatchUp catchUp, CpVoting voting) {
    this.vertx = vertx;
    this.voting = voting;
    this.catchUp = catchUp;
    this.watch = watch;
    this.pruning = pruning;
    this.relayed = relayed;
    this.leaderWatch = leaderWatch;
    this.forwards = forwards;
    this.settings = settings;
    this.positions = positions;
    this.database = database;
    this.members = members;
    this.link = link;
    this.leadership = leadership;
  }

  /**
   * Joins the instance to replication on a clustered Vert.x (built with {@code members} as its
   * cluster manager) and starts contending for the writer. {@code elected} runs on the leadership
   * thread once this instance leads (the node starts its singletons there); {@code lost} once it no
   * longer does.
   */
  public static Future<ClusterInstance> start(Vertx vertx, HazelcastClusterManager members,
      NodeConfig.Cluster settings, Database database, LongConsumer elected, Runnable lost) {
    String self = members.getNodeId();
    BatchWatch watch = new BatchWatch();
    ReplicationLink link = new ReplicationLink(vertx, database, settings.name(), self, members::getNodes,
        settings.syncReplicas(), watch);
    HazelcastInstance hazelcast = members.getHazelcastInstance();
    CpSeat.take(hazelcast, settings.cpMembers());
    Positions positions = new Positions(vertx, database, hazelcast.getMap(POSITIONS_MAP), self, members::getNodes);
    Leadership[] leadership = new Leadership[1];
    FollowerCatchUp[] catchUp = new FollowerCatchUp[1];
    RelayedWrites relayed = new RelayedWrites(vertx, database, settings.name(),
        () -> leadership[0] != null && leadership[0].isLeader());
    TokenGenerations generations = new TokenGenerations(
        CpProxies.once(() -> hazelcast.getCPSubsystem().getAtomicLong("tsunagu-token-generation-" + settings.name())),
        database);
    leadership[0] = new Leadership(hazelcast, settings.name(), positions::mostAdvanced, fence -> {
      // Rows arrived by replication since this instance last wrote: its writer reads its values again.
      database.forgetWriterStates().join();
      link.forgetFollowers();
      link.warmUp(WARM_UP_MILLIS);
      long token = generations.tokenFor(fence);
      hazelcast.getMap(STATE_MAP).put("leader", new JsonObject().put("node", self).put("token", token).encode());
      relayed.lead();
      elected.accept(token);
      return token;
    }, () -> {
      link.forgetFollowers();
      relayed.follow();
      lost.run();
      // A leader that lost its lock (paused past its lease) follows again from where it stopped.
      catchUp[0].withNamedLeader();
    });
    BatchWriter writer = new BatchWriter(() -> leadership[0].writingToken(), database.expectedSchemaVersion());
    LeaderWatch[] leaderWatch = new LeaderWatch[1];
    PendingForwards forwards = new PendingForwards(vertx, LeaderReplay.address(settings.name()),
        () -> leaderWatch[0] == null ? null : leaderWatch[0].leader());
    catchUp[0] = new FollowerCatchUp(vertx, link, self, members::getNodes, () -> leadership[0].isLeader(),
        () -> leaderNode(hazelcast));
    // A leader named while this instance follows (it was paused, cut off or slow while the leader
    // changed) may hold batches it never got: fetched at once, not ready until then.
    leaderWatch[0] = new LeaderWatch(hazelcast, hazelcast.getMap(STATE_MAP), forwards::leaderGone,
        catchUp[0]::with);
    ChainCheck chain = new ChainCheck(vertx, database, settings.name(), self, () -> leaderNode(hazelcast),
        members::getNodes);
    SnapshotSource snapshots = new SnapshotSource(vertx, database, settings.name(), self, () -> leadership[0].isLeader());
    BatchPruning pruning = new BatchPruning(vertx, database, settings.keepBatches(), self,
        () -> leadership[0].isLeader(), members::getNodes, positions, InstanceStates.of(hazelcast));
    // The hook before the triggers: no write commits captured rows without a hook gathering (the
    // leader) or refusing (a follower) them. Not leading yet, it ships nothing.
    new LeaderCommits(writer, link, token -> leadership[0].stepDown(token)).install(database);
    return database.write(ChangeCapture::install)
        .compose(tables -> database.read(ReplicationPosition::of))
        .compose(position -> {
          watch.reached(position.batchId());
          return link.start();
        })
        .compose(v -> chain.start())
        .compose(v -> snapshots.start())
        .compose(v -> chain.verify())
        // At once, not when the leader's next batch shows the gap; not ready until done (readiness).
        .map(v -> {
          catchUp[0].withNamedLeader();
          return v;
        })
        .compose(v -> positions.start())
        .compose(v -> vertx.executeBlocking(() -> leaderWatch[0].start("leader"), false))
        .map(v -> {
          // Records written beside a read on a follower (audit, session touch) go to the leader as data.
          database.relayTo(relayed);
          leadership[0].start();
          forwards.start();
          ClusterInstance instance = new ClusterInstance(vertx, settings, database, members, link, leadership[0],
              positions, watch, pruning, relayed, leaderWatch[0], forwards, catchUp[0],
              new CpVoting(hazelcast, settings.cpMembers()));
          instance.timers.add(pruning.start());
          instance.sayState();
          instance.timers.add(vertx.setPeriodic(STATE_MILLIS, t -> instance.sayState()));
          return instance;
        });
  }

  /** The instance the cluster's state names as the last leader elected, or null. */
  static String leaderNode(HazelcastInstance hazelcast) {
    String leaderJson = (String) hazelcast.getMap(STATE_MAP).get("leader");
    return leaderJson == null ? null : new JsonObject(leaderJson).getString("node");
  }

  /** The last batch this instance has, and the way to wait for a later one (read-your-writes). */
  public BatchWatch batches() {
    return watch;
  }

  /** The forwards this instance waits on, answered at once when their leader is gone. */
  PendingForwards forwards() {
    return forwards;
  }

  public String clusterName() {
    return settings.name();
  }

  public boolean isLeader() {
    return leadership.isLeader();
  }

  /** The fencing token this instance writes with (0: it does not lead). */
  public long token() {
    return leadership.token();
  }

  /** Each member's published position, this instance's among them (tests see that it stops with it). */
  Positions positions() {
    return positions;
  }

  /** The link that carries this instance's batches (tests read where it heard its followers were). */
  ReplicationLink link() {
    return link;
  }

  /** The Hazelcast member under this instance (tests stop every member at once through it). */
  HazelcastClusterManager members() {
    return members;
  }

  public String nodeId() {
    return members.getNodeId();
  }

  /**
   * What {@code tsunagu-admin cluster status} shows: the members, the leader and its token, this
   * instance's position and, as the leader heard them, each follower's applied batch and lag.
   */
  public Future<JsonObject> status() {
    return database.read(ReplicationPosition::of).map(position -> {
      String leaderJson = (String) members.getHazelcastInstance().getMap(STATE_MAP).get("leader");
      JsonObject leader = leaderJson == null ? new JsonObject() : new JsonObject(leaderJson);
      JsonObject status = new JsonObject()
          .put("cluster", settings.name())
          .put("self", nodeId())
          .put("role", isLeader() ? "leader" : "follower")
          .put("members", new JsonArray(members.getNodes()))
          .put("leader", leader.getString("node"))
          .put("token", leader.getLong("token", 0L))
          .put("syncReplicas", settings.syncReplicas())
          .put("appliedBatch", position.batchId())
          .put("highestTokenSeen", position.token())
          .put("state", ownState())
          .put("cp", voting.seats());
      status.put("instances", instances(leader.getString("node"), position));
      if (isLeader()) {
        JsonArray followers = new JsonArray();
        Map<String, Long> applied = new TreeMap<>(link.followerPositions());
        for (String member : members.getNodes()) {
          if (!member.equals(nodeId())) {
            long at = applied.getOrDefault(member, 0L);
            followers.add(new JsonObject().put("node", member).put("appliedBatch", at)
                .put("lag", Math.max(0, position.batchId() - at)));
          }
        }
        status.put("followers", followers);
      }
      return status;
    });
  }

  /**
   * Whether the load balancer should send this instance traffic ({@link ClusterReadiness}). It asks
   * Hazelcast's maps, which may wait on the network, so it runs off the event loop.
   */
  public Future<ClusterReadiness> readiness(Vertx vertx) {
    return database.read(BatchChain::diverged).compose(diverged -> diverged == null ? readable(vertx)
        : Future.succeededFuture(new ClusterReadiness(false, new JsonObject().put("self", nodeId())
            .put("role", "follower").put("error", BatchChain.DIVERGED).put("reason", diverged))));
  }

  private Future<ClusterReadiness> readable(Vertx vertx) {
    return database.read(ReplicationPosition::of).compose(position -> vertx.executeBlocking(() -> {
      String leaderJson = (String) members.getHazelcastInstance().getMap(STATE_MAP).get("leader");
      String leader = leaderJson == null ? null : new JsonObject(leaderJson).getString("node");
      Long leaderBatch = leader == null ? null : positions.of(leader);
      ClusterReadiness readiness = ClusterReadiness.of(isLeader(), nodeId(), leader, members.getNodes(),
          leaderBatch, position.batchId(), settings.maxReadyLag());
      // Within the lag bound but fetching what it missed: it would serve data older than the bound says.
      if (readiness.ready() && !isLeader() && catchUp.underWay()) {
        readiness = new ClusterReadiness(false, readiness.details().put("error", ClusterReadiness.CATCHING_UP));
      }
      // Serving, but the node is not redundant again until this instance's CP seat votes in every group.
      String seat = readiness.ready() ? voting.missing() : null;
      if (seat != null) {
        readiness = new ClusterReadiness(false, readiness.details().put("error", CpVoting.PENDING).put("cpSeat", seat));
      }
      readiness.details().put("replication", link.times().toJson(database));
      return readiness;
    }, false));
  }

  /**
   * Each present member's state as it published it ({@link InstanceStates}), its applied batch as it
   * published it ({@link Positions}; none while joining, bootstrapping or diverged) and its lag behind
   * the leader's. Asks Hazelcast's maps: runs on a reader thread.
   */
  private JsonArray instances(String leader, ReplicationPosition own) {
    Map<String, String> states = InstanceStates.of(members.getHazelcastInstance());
    Long leaderBatch = leader == null ? null : leader.equals(nodeId()) ? Long.valueOf(own.batchId())
        : positions.of(leader);
    JsonArray instances = new JsonArray();
    for (String member : members.getNodes()) {
      boolean self = member.equals(nodeId());
      Long applied = self ? Long.valueOf(own.batchId()) : positions.of(member);
      String state = self ? ownState() : states.getOrDefault(member, InstanceStates.JOINING);
      JsonObject instance = new JsonObject().put("node", member).put("state", state).put("appliedBatch", applied);
      if (applied != null && leaderBatch != null && !InstanceStates.DIVERGED.equals(state)) {
        instance.put("lag", Math.max(0, leaderBatch - applied));
      }
      instances.add(instance);
    }
    return instances;
  }

  private String ownState() {
    return isLeader() ? InstanceStates.LEADER : diverged ? InstanceStates.DIVERGED : InstanceStates.FOLLOWER;
  }

  /** Publishes this instance's state; a diverged mark is read from the database, where it is kept. */
  private void sayState() {
    if (closed) {
      return;
    }
    database.read(BatchChain::diverged).onSuccess(why -> {
      diverged = why != null;
      if (!closed) {
        InstanceStates.say(members.getHazelcastInstance(), nodeId(), ownState());
      }
    });
  }

  /** Prunes the kept batches now (tests; the instance does it every few seconds by itself). */
  Future<Integer> pruneBatches() {
    return pruning.pruneNow();
  }

  /** Stops contending (another instance is elected at once if this one led). */
  @Override
  public void close() {
    closed = true;
    timers.forEach(vertx::cancelTimer);
    positions.stop();
    forwards.stop();
    leaderWatch.close();
    leadership.close();
    relayed.follow();
  }

  /** Where this instance's records written beside reads go, and (leading) where followers' arrive. */
  RelayedWrites relayed() {
    return relayed;
  }
}
