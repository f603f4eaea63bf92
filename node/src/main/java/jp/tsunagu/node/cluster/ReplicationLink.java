package jp.tsunagu.node.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries batches between the instances on the clustered event bus (mutual TLS, see
 * {@link ClusterOptions}). The leader sends each batch to every other instance at its own address as
 * its commit statement begins ({@link LeaderCommits}), in commit order from one event loop (at once to
 * the followers a write waits for, a little later and together to the others: {@link AsynchronousFollowers});
 * each follower applies the batches one after the other and answers with the last batch it has applied.
 * A write's answer waits until its commit here is durable and {@code syncReplicas} followers applied its batch. A follower that finds batches missing (it joined
 * late, or a message was lost with a connection) fetches them from the leader's kept batches first.
 *
 * <p><b>A batch not confirmed in time is an unknown outcome, not a refusal.</b> Its transaction is
 * committed here and its message may be on its way, queued behind a slow commit or already applied
 * with only the answer lost: a follower may hold it, or apply it a moment later, and it stays on this
 * leader and reaches every follower as long as this instance leads. So the write is answered, after
 * {@link #ACK_TIMEOUT_MILLIS} from its commit, with a failure the storage layer tells its client as
 * {@code storage.outcome_unknown} (503: the write may have been kept; a retry with the same
 * Idempotency-Key is carried out at most once), never as a write that did not happen. Batches are
 * given up in their order, each at its own deadline, by one timer for the oldest waiting; a batch
 * after one given up waits on for its own deadline and is answered as a success when a follower
 * confirms it, since a follower applies batches only in order and so holds the one given up too.
 */
public final class ReplicationLink {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicationLink.class);
  static final long ACK_TIMEOUT_MILLIS = 10_000;
  /**
   * How many times a write's wait a follower's answer is awaited: its answer after the writes were given up
   * is expected (a follower slowed by a long commit), and still counts.
   */
  private static final int LATE_ANSWER_FACTOR = 3;
  private static final int FETCH_LIMIT = 200;
  /**
   * How many batches a follower holds received and not yet applied. One that applies more slowly
   * than the leader writes (started again under load, fetching what it missed) would otherwise keep
   * every batch sent meanwhile in memory until its heap ran out; past this it refuses them at once,
   * and the next batch it takes shows the gap, fetched from the leader a page per transaction.
   */
  static final int MAX_QUEUED = 200;
  /** The refusal of a batch sent while the follower's queue is full: not an error, it fetches it later. */
  private static final int QUEUE_FULL = 503;
  /** The most batches one message carries (a leader whose event loop was held up long sends several). */
  static final int MAX_PER_MESSAGE = 32;

  private final Vertx vertx;
  private final Database database;
  private final BatchApplier applier;
  private final String prefix;
  private final String self;
  private final Supplier<List<String>> members;
  private final int syncReplicas;
  private final BatchWatch watch;
  private final Map<String, Long> followerApplied = new ConcurrentHashMap<>();
  /** Batches waiting for enough followers, by batch number (so also by deadline); guarded by itself. */
  private final TreeMap<Long, Waiting> waiting = new TreeMap<>();
  /** How long a write waits for followers before its outcome is given as unknown. */
  private final long ackTimeoutMillis;
  /** Whether the timer that gives up the oldest waiting batch is set; touched on {@link #context} only. */
  private boolean giveUpTimerSet;
  private Context context;
  /** The follower's batches, applied one after the other; touched on {@link #context} only. */
  private Future<?> applying = Future.succeededFuture();
  /** The last batch received that was handed to the writer; touched on {@link #context} only. */
  private volatile long lastHanded = -1;
  /** Catch-ups asked for and not yet finished: the instance is not ready meanwhile. */
  private final AtomicInteger catchingUp = new AtomicInteger();
  private final ReplicationTimes times = new ReplicationTimes();
  /** The batches for the followers no write waits for, sent together a little later; on {@link #context} only. */
  private final AsynchronousFollowers asynchronous;
  /** Batches received and not yet applied or refused. */
  private final AtomicInteger queued = new AtomicInteger();
  /** Batches committed and not sent yet, in commit order; guarded by itself. */
  private final List<ReplicationBatch> unsent = new ArrayList<>();
  /**
   * Followers whose last answer came after its writes' deadline, or never: said once in the log until one
   * answers in time again, rather than once for every message while it is slow.
   */
  private final java.util.Set<String> late = ConcurrentHashMap.newKeySet();

  /** A batch whose write waits for followers: its answer, and when it is given up (in nanoTime). */
  private record Waiting(CompletableFuture<Void> replicated, long deadlineNanos) {}

  public ReplicationLink(Vertx vertx, Database database, String clusterName, String self,
      Supplier<List<String>> members, int syncReplicas, BatchWatch watch) {
    this(vertx, database, clusterName, self, members, syncReplicas, watch, ACK_TIMEOUT_MILLIS,
        AsynchronousFollowers.DELAY_MILLIS);
  }

  /**
   * {@code ackTimeoutMillis}: how long a write waits for followers before its outcome is unknown;
   * {@code asyncDelayMillis}: how long batches are held for the followers no write waits for.
   */
  ReplicationLink(Vertx vertx, Database database, String clusterName, String self,
      Supplier<List<String>> members, int syncReplicas, BatchWatch watch, long ackTimeoutMillis,
      long asyncDelayMillis) {
    this.ackTimeoutMillis = ackTimeoutMillis;
    this.watch = watch;
    this.vertx = vertx;
    this.database = database;
    this.applier = new BatchApplier(database.expectedSchemaVersion());
    this.prefix = "tsunagu.cluster." + clusterName + ".";
    this.self = self;
    this.members = members;
    this.syncReplicas = syncReplicas;
    this.asynchronous = new AsynchronousFollowers(vertx, syncReplicas, asyncDelayMillis, (follower, batches) -> send(List.of(follower),
        batches));
  }

  /** Listens for batches (as a follower) and for catch-up requests (as the leader) at this instance's addresses. */
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    Future<Void> batches = Future.future(done -> context.runOnContext(v -> vertx.eventBus()
        .<Buffer>consumer(prefix + "apply." + self, this::onBatches).completion().onComplete(done)));
    Future<Void> fetches = vertx.eventBus().<JsonObject>consumer(prefix + "fetch." + self, this::onFetch).completion();
    Future<Void> pings = vertx.eventBus().<JsonObject>consumer(prefix + "ping." + self, m -> m.reply(new JsonObject()))
        .completion();
    return Future.all(batches, fetches, pings).mapEmpty();
  }

  /**
   * Opens the way to every follower before the first batch: the first message to an instance looks
   * its address up in the cluster and opens a TLS connection each way, which on a busy machine can
   * take a good part of a write's time to be confirmed. A newly elected leader waits for this (or
   * {@code limitMillis}) before it takes writes; a follower that does not answer is simply not counted.
   */
  public void warmUp(long limitMillis) {
    List<Future<?>> pings = new ArrayList<>();
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(limitMillis);
    for (String member : members.get()) {
      if (!member.equals(self)) {
        pings.add(vertx.eventBus().request(prefix + "ping." + member, new JsonObject(), options)
            .otherwise(e -> null));
      }
    }
    try {
      Future.join(pings).await(limitMillis + 1_000, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("not every follower answered before this instance took writes: {}", e.getMessage());
    }
  }

  /**
   * Sends a batch to every other member; what the write's answer waits for besides its commit here.
   * Called on the writer thread in commit order, just before the batch's commit statement (see
   * {@link LeaderCommits}: the followers' commits overlap this instance's). The batch goes with those
   * before it that are not sent yet: batches made while this instance's event loop was busy travel in
   * one message, answered once.
   */
  public CompletionStage<?> ship(ReplicationBatch batch) {
    if (batch == null) {
      return null;
    }
    long shippedAt = System.nanoTime();
    List<String> followers = new ArrayList<>(members.get());
    followers.remove(self);
    CompletableFuture<Void> replicated = new CompletableFuture<>();
    if (syncReplicas == 0) {
      replicated.complete(null);
    } else if (followers.size() < syncReplicas) {
      replicated.completeExceptionally(new ReplicationRefused("cluster.too_few_followers", followers.size()
          + " followers present, " + syncReplicas + " must apply each write"));
    } else {
      synchronized (waiting) {
        waiting.put(batch.batchId(), new Waiting(replicated,
            shippedAt + TimeUnit.MILLISECONDS.toNanos(ackTimeoutMillis)));
      }
    }
    replicated.thenRun(() -> times.held(System.nanoTime() - shippedAt));
    boolean first;
    synchronized (unsent) {
      first = unsent.isEmpty();
      unsent.add(batch);
    }
    if (first) {
      context.runOnContext(v -> sendUnsent());
    }
    return replicated;
  }

  /** {@code batch}, shipped before its commit, is committed here: reads waiting for it on this instance go on. */
  void committed(ReplicationBatch batch) {
    watch.reached(batch.batchId());
  }

  /**
   * {@code batch} was shipped and its commit here failed: its writes are answered
   * {@code storage.outcome_unknown} by the writer, so its wait is dropped; what was not sent of it yet
   * (held for the followers no write waits for) stays here. Followers that have it keep it: see
   * {@link LeaderCommits}. On the writer thread.
   */
  void notCommitted(ReplicationBatch batch) {
    synchronized (waiting) {
      waiting.tailMap(batch.batchId(), true).clear();
    }
    synchronized (unsent) {
      unsent.removeIf(unsentBatch -> unsentBatch.batchId() >= batch.batchId());
    }
    context.runOnContext(v -> asynchronous.drop(batch.batchId()));
  }

  /**
   * Forgets where each follower was, as last heard: at an election and when the instance stops leading.
   * Heard in an earlier term, it would choose which followers a write waits for ({@link AsynchronousFollowers})
   * and show their lag by positions that may be long past, until each answered again.
   */
  void forgetFollowers() {
    followerApplied.clear();
    late.clear();
  }

  /**
   * Sends every batch committed and not sent yet, in one message per follower (a few when very many
   * wait), to the followers a write waits for; the others get them a little later, together
   * ({@link AsynchronousFollowers}).
   */
  private void sendUnsent() {
    List<ReplicationBatch> ready;
    synchronized (unsent) {
      ready = List.copyOf(unsent);
      unsent.clear();
    }
    List<String> followers = new ArrayList<>(members.get());
    followers.remove(self);
    List<String> atOnce = asynchronous.atOnce(followers, followerApplied);
    List<String> alongside = new ArrayList<>();
    for (String follower : atOnce) {
      List<ReplicationBatch> held = asynchronous.release(follower);
      if (held.isEmpty()) {
        alongside.add(follower);
      } else {
        // Waited for now (the one waited for before fell behind): what it was held goes first, in order.
        List<ReplicationBatch> all = new ArrayList<>(held);
        all.addAll(ready);
        send(List.of(follower), all);
      }
    }
    send(alongside, ready);
    followers.stream().filter(follower -> !atOnce.contains(follower))
        .forEach(follower -> asynchronous.hold(follower, ready));
    setGiveUpTimer();
  }

  /** Sends the batches to each of the followers, in messages of at most {@link #MAX_PER_MESSAGE}, each made once for them all. */
  private void send(List<String> followers, List<ReplicationBatch> batches) {
    if (followers.isEmpty()) {
      return;
    }
    // The answer is awaited past the writes' deadline: one that comes after they were given up still tells
    // where the follower is (and so confirms the writes behind them); it is late, not a failure.
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(LATE_ANSWER_FACTOR * ackTimeoutMillis);
    long sentAt = System.nanoTime();
    for (int from = 0; from < batches.size(); from += MAX_PER_MESSAGE) {
      List<ReplicationBatch> together = batches.subList(from, Math.min(batches.size(), from + MAX_PER_MESSAGE));
      long last = together.get(together.size() - 1).batchId();
      // Made once for every follower: the changes' text goes as it is, encoded by no one again.
      Buffer message = ReplicationBatch.toWire(self, together);
      times.sent();
      for (String follower : followers) {
        vertx.eventBus().<Long>request(prefix + "apply." + follower, message, options)
            .onSuccess(reply -> answered(follower, reply.body(), sentAt))
            .onFailure(e -> notApplied(follower, last, e));
      }
    }
  }

  /** Sets the timer for the oldest waiting batch's deadline unless it is set; on {@link #context} only. */
  private void setGiveUpTimer() {
    if (giveUpTimerSet) {
      return;
    }
    long deadline;
    synchronized (waiting) {
      if (waiting.isEmpty()) {
        return;
      }
      deadline = waiting.firstEntry().getValue().deadlineNanos();
    }
    giveUpTimerSet = true;
    long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1);
    vertx.setTimer(millis, t -> {
      giveUpTimerSet = false;
      giveUpLate();
      setGiveUpTimer();
    });
  }

  /** A follower's answer: where it is; one that came after the writes' deadline is said once, as late. */
  private void answered(String follower, long appliedBatch, long sentAt) {
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
    if (tookMillis < ackTimeoutMillis) {
      late.remove(follower);
    } else if (late.add(follower)) {
      LOG.info("follower {} confirmed batch {} {} ms after it was sent, past the {} ms its writes wait: those"
          + " were answered storage.outcome_unknown, and it holds them", follower, appliedBatch, tookMillis,
          ackTimeoutMillis);
    }
    applied(follower, appliedBatch);
  }

  private void notApplied(String follower, long batchId, Throwable e) {
    if (e instanceof ReplyException reply && reply.failureCode() == QUEUE_FULL) {
      LOG.debug("follower {} is behind and fetches batch {} later: {}", follower, batchId, e.getMessage());
    } else if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT) {
      if (late.add(follower)) {
        LOG.warn("follower {} has not answered for batch {} within {} ms; it fetches what it misses once it"
            + " answers again", follower, batchId, LATE_ANSWER_FACTOR * ackTimeoutMillis);
      }
    } else {
      LOG.warn("follower {} did not apply batch {}: {}", follower, batchId, e.getMessage());
    }
  }

  private void applied(String follower, long batchId) {
    followerApplied.merge(follower, batchId, Math::max);
    List<CompletableFuture<Void>> done = new ArrayList<>();
    synchronized (waiting) {
      Iterator<Map.Entry<Long, Waiting>> entries = waiting.entrySet().iterator();
      while (entries.hasNext()) {
        Map.Entry<Long, Waiting> entry = entries.next();
        long confirmed = followerApplied.values().stream().filter(applied -> applied >= entry.getKey()).count();
        if (confirmed < syncReplicas) {
          break;
        }
        done.add(entry.getValue().replicated());
        entries.remove();
      }
    }
    done.forEach(future -> future.complete(null));
  }

  /**
   * Gives up, in their order, the waiting batches whose deadline has passed: their writes' outcome is
   * unknown (see the class's description). The batches after them wait on.
   */
  private void giveUpLate() {
    long now = System.nanoTime();
    Map<Long, CompletableFuture<Void>> late = new TreeMap<>();
    synchronized (waiting) {
      Iterator<Map.Entry<Long, Waiting>> entries = waiting.entrySet().iterator();
      while (entries.hasNext()) {
        Map.Entry<Long, Waiting> entry = entries.next();
        if (entry.getValue().deadlineNanos() - now > 0) {
          break;
        }
        late.put(entry.getKey(), entry.getValue().replicated());
        entries.remove();
      }
    }
    late.forEach((batchId, replicated) -> replicated.completeExceptionally(new ClusterUnavailable(
        "cluster.not_confirmed", "fewer than " + syncReplicas + " followers confirmed batch " + batchId
        + " within " + ackTimeoutMillis + " ms; it is committed on this instance and may reach them later")));
  }

  /** The last batch each follower reported applied, as the leader heard it. */
  public Map<String, Long> followerPositions() {
    return Map.copyOf(followerApplied);
  }

  /** Where replicated writes' time went on this instance (see {@link ReplicationTimes}). */
  ReplicationTimes times() {
    return times;
  }

  private void onBatches(Message<Buffer> message) {
    if (queued.get() >= MAX_QUEUED) {
      // Refused unread: the body is decoded only when read, so the refusal keeps nothing.
      message.fail(QUEUE_FULL, "cluster.catching_up: " + queued + " batches wait to be applied here");
      return;
    }
    long arrived = System.nanoTime();
    times.receivedMessage();
    ReplicationBatch.Received received;
    try {
      Message<?> any = message;
      if (!(any.body() instanceof Buffer wire)) {
        throw new ReplicationRefused("cluster.bad_batch", "a batch comes as a leader's message, not as "
            + (any.body() == null ? "nothing" : any.body().getClass().getSimpleName()));
      }
      received = ReplicationBatch.fromWire(wire);
      // Parsed here, beside the writer rather than on it: a batch that is not what a leader sends is
      // refused before it is queued.
      received.batches().forEach(ReplicationBatch::changes);
    } catch (ReplicationRefused e) {
      message.fail(409, e.code() + ": " + e.getMessage());
      return;
    }
    Future<Long> last = null;
    for (ReplicationBatch batch : received.batches()) {
      last = take(batch, received.leader(), arrived);
    }
    // Answered once, with the last: it is applied only once every batch before it is. The answer is the
    // number alone: no JSON made here and read on the leader, for every message to every follower.
    last.onSuccess(message::reply)
        .onFailure(e -> message.fail(409, (e instanceof CodedException coded ? coded.code() + ": " : "")
            + e.getMessage()));
  }

  /** Queues a received batch behind those before it; its number once applied. On {@link #context} only. */
  private Future<Long> take(ReplicationBatch batch, String leader, long arrived) {
    // The next batch after those handed to the writer goes to it at once, not after the one before it
    // is answered: this context is one thread and the writer's queue keeps the order of arrival, so
    // the batches that arrive while the writer commits are committed together in its next
    // transaction (one fsync for them all) and none waits for a round through this context between
    // two. A batch out of that sequence (the instance catches up, one was lost) waits its turn as before.
    Future<BatchApplier.Outcome> handed = catchingUp.get() == 0 && batch.batchId() == lastHanded + 1
        ? hand(batch, arrived) : null;
    queued.incrementAndGet();
    Future<Long> done = applying.transform(ignored -> applyCatchingUp(handed != null ? handed : hand(batch, arrived),
        batch, leader, arrived));
    applying = done;
    return done.andThen(ignored -> {
      queued.decrementAndGet();
      times.received(System.nanoTime() - arrived);
    }).onSuccess(watch::reached);
  }

  /** Hands the batch to the writer; on {@link #context} only. */
  private Future<BatchApplier.Outcome> hand(ReplicationBatch batch, long arrived) {
    lastHanded = batch.batchId();
    return applyOne(batch, arrived);
  }

  /**
   * The batch's number once {@code applied} (the batch handed to the writer) succeeded, or once the
   * batches missing before it were fetched and applied and it was applied again. Answered without
   * reading the position back: once a batch is applied or found applied, this database has every
   * batch up to it.
   */
  private Future<Long> applyCatchingUp(Future<BatchApplier.Outcome> applied, ReplicationBatch batch, String leader,
      long arrived) {
    return applied.transform(outcome -> {
      if (outcome.failed() && outcome.cause() instanceof ReplicationRefused refused
          && refused.code().equals("cluster.batch_gap")) {
        return catchUp(leader, batch.batchId() - 1).compose(v -> hand(batch, arrived));
      }
      return outcome.failed() ? Future.failedFuture(outcome.cause()) : Future.succeededFuture(outcome.result());
    }).map(outcome -> batch.batchId());
  }

  /** Applies one batch; once committed, what features keep in memory from its tables is read again. */
  private Future<BatchApplier.Outcome> applyOne(ReplicationBatch batch, long arrived) {
    return applier.applyOn(database, batch, (began, ended) -> times.applied(began - arrived, ended - began))
        .andThen(done -> {
          if (done.succeeded() && done.result() == BatchApplier.Outcome.APPLIED) {
            database.replicated(BatchApplier.tablesOf(batch));
          }
        });
  }

  /** Fetches and applies, in order, the batches the leader kept up to {@code until}. */
  private Future<Void> catchUp(String leader, long until) {
    return database.read(ReplicationPosition::of).compose(position -> {
      if (position.batchId() >= until) {
        return Future.succeededFuture();
      }
      return vertx.eventBus().<JsonObject>request(prefix + "fetch." + leader,
              new JsonObject().put("after", position.batchId()), new DeliveryOptions().setSendTimeout(ACK_TIMEOUT_MILLIS))
          .compose(reply -> applyAll(reply.body().getJsonArray("batches")))
          .compose(progress -> progress ? catchUp(leader, until) : Future.failedFuture(new ReplicationRefused(
              "cluster.batch_gap", "the leader no longer keeps the batches after " + position.batchId())));
    });
  }

  /** Applies a page of fetched batches in one transaction; false when the page was empty. */
  private Future<Boolean> applyAll(JsonArray batches) {
    if (batches.isEmpty()) {
      return Future.succeededFuture(false);
    }
    List<ReplicationBatch> page = new ArrayList<>();
    for (int i = 0; i < batches.size(); i++) {
      page.add(ReplicationBatch.fromJson(batches.getJsonObject(i)));
    }
    return applier.applyAllOn(database, page).map(tables -> {
      if (!tables.isEmpty()) {
        database.replicated(tables);
      }
      return true;
    });
  }

  /**
   * Fetches and applies every batch {@code leader} holds beyond this instance's last one, queued
   * after the batches already being applied here. An instance that (re)joins calls it at once rather
   * than waiting for the leader's next batch to show the gap: until then it would serve what it had
   * when it left. Fails when the leader cannot be asked or no longer keeps the batches needed.
   */
  public Future<Void> catchUpWith(String leader) {
    catchingUp.incrementAndGet();
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      Future<Void> caught = applying.transform(ignored -> fetchAll(leader, -1))
          .compose(ignored -> database.read(ReplicationPosition::of))
          .map(position -> {
            watch.reached(position.batchId());
            return null;
          });
      applying = caught;
      caught.onComplete(done);
    });
    return done.future().andThen(ignored -> catchingUp.decrementAndGet());
  }

  /** Whether a catch-up asked for with {@link #catchUpWith} is still under way. */
  public boolean catchingUp() {
    return catchingUp.get() > 0;
  }

  /**
   * Fetches pages up to {@code until}, the leader's last batch when it was first asked (-1: not asked
   * yet). What the leader writes after that reaches this instance as it is sent; chasing it here
   * would keep an instance catching up, and not ready, for as long as the leader writes without pause.
   */
  private Future<Void> fetchAll(String leader, long until) {
    return database.read(ReplicationPosition::of).compose(position -> {
      if (until >= 0 && position.batchId() >= until) {
        return Future.succeededFuture();
      }
      return vertx.eventBus().<JsonObject>request(prefix + "fetch." + leader,
              new JsonObject().put("after", position.batchId()), new DeliveryOptions().setSendTimeout(ACK_TIMEOUT_MILLIS))
          .compose(reply -> {
            JsonArray batches = reply.body().getJsonArray("batches", new JsonArray());
            if (batches.isEmpty()) {
              return Future.succeededFuture();
            }
            long target = until >= 0 ? until : reply.body().getLong("head", 0L);
            // A full answer means the leader keeps more: ask again from where this instance now is.
            return applyAll(batches).compose(v -> batches.size() < FETCH_LIMIT ? Future.succeededFuture()
                : fetchAll(leader, target));
          });
    });
  }

  private void onFetch(Message<JsonObject> message) {
    long after = message.body().getLong("after", 0L);
    database.read(c -> {
      JsonArray batches = new JsonArray();
      try (PreparedStatement statement = c.prepareStatement("select batch_id, token, schema_version, changes,"
          + " prev_digest from cluster_batches where batch_id > ? order by batch_id limit " + FETCH_LIMIT)) {
        statement.setLong(1, after);
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            batches.add(ReplicationBatch.ofText(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                rs.getString(5)).toJson());
          }
        }
      }
      return new JsonObject().put("batches", batches).put("head", ReplicationPosition.read(c).batchId());
    }).onSuccess(message::reply)
        .onFailure(e -> message.fail(503, e.getMessage()));
  }
}
