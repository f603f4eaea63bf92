package jp.tsunagu.node.care.live;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jp.tsunagu.node.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live events of boards, kept and told. An event is kept as a row of {@code live_events} in the
 * write's own transaction, and its row is what streams are told of, once the write may be answered:
 * on a single instance (and a follower, for the rows of each batch it applies) right after the
 * commit; on a clustered node's leader only once followers applied the transaction's batch, because
 * a leader deposed before that has its batch discarded and the next leader gives the same ids to
 * other events, which a page that heard the lost one would take up from. Events are told in commit
 * order, to this instance's streams alone: every instance tells its own streams of what it holds,
 * with the leader's id, and no event depends on the leader surviving until it publishes it (nor is
 * one told twice by a clustered publish beside it). A stream that heard of an event can read
 * everything up to it from its instance ({@link #toldThrough}).
 */
public final class LiveEvents {

  private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);
  /** Most events kept waiting for a later acknowledgement to confirm them; beyond, the oldest are never told. */
  static final int MAX_UNCONFIRMED = 10_000;

  private final Clock clock;
  /** Streams listen on their own instance: every instance publishes what it committed. */
  private final DeliveryOptions thisInstance = new DeliveryOptions().setLocalOnly(true);
  private volatile Vertx vertx;
  /** Committed transactions whose events wait for their answer (or for one before them), in commit order; guarded by this. */
  private final ArrayDeque<Awaiting> awaiting = new ArrayDeque<>();
  /**
   * Events of a leader's transactions whose acknowledgement failed, oldest first; guarded by this.
   * Followers apply batches in order, so a later transaction acknowledged confirms these were applied
   * too: they are told then, before its own. Dropped when this instance applies a leader's batch.
   */
  private final ArrayDeque<LiveLog.Logged> unconfirmed = new ArrayDeque<>();
  /** The newest event told; negative until known (a replay then reads every row kept). */
  private final AtomicLong toldThrough = new AtomicLong(-1);
  /** Streams open on this instance, by board: a board no one listens to here is not published. */
  private final Map<String, AtomicInteger> listening = new ConcurrentHashMap<>();

  /** A transaction's events and what its answer waits for; {@code acknowledged}: the stage is followers' applying it. */
  private record Awaiting(List<LiveLog.Logged> events, CompletableFuture<Void> answered, boolean acknowledged) {}

  private LiveEvents(Clock clock) {
    this.clock = clock;
  }

  /** The live events of {@code database}, told from now on to the streams of {@link #tellOn the instance}. */
  public static LiveEvents keptBy(Database database, Clock clock) {
    LiveEvents live = new LiveEvents(clock);
    database.touchTableHookAwaitingAnswers(LiveEvents.class, LiveLog.TOUCHED, live::committed);
    // The rows kept before this process were told by it before, or by the instance that wrote them.
    database.submitRead(LiveLog::newest).thenAccept(newest -> live.toldThrough.compareAndSet(-1, newest));
    return live;
  }

  /** Tells the streams of this instance's {@code vertx} of every event committed from now on. */
  public void tellOn(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Keeps the event in the write's transaction: streams hear of it once the write is answered. */
  public void record(Connection c, String boardId, JsonObject event) throws SQLException {
    LiveLog.record(c, boardId, event, Instant.now(clock).toString());
  }

  /**
   * A stream of the board opens on this instance: from now on its events are published here, until the
   * returned action (run once, when the stream ends). Called before the stream listens and reads
   * {@link #toldThrough}: an event whose publication found no one listening was counted told first, so that
   * read covers it.
   */
  public Runnable listen(String boardId) {
    listening.compute(boardId, (board, count) -> {
      AtomicInteger streams = count == null ? new AtomicInteger() : count;
      streams.incrementAndGet();
      return streams;
    });
    AtomicBoolean ended = new AtomicBoolean();
    return () -> {
      if (ended.compareAndSet(false, true)) {
        listening.computeIfPresent(boardId, (board, count) -> count.decrementAndGet() == 0 ? null : count);
      }
    };
  }

  /** Whether a stream of the board is open on this instance. */
  boolean listened(String boardId) {
    return listening.containsKey(boardId);
  }

  /**
   * The newest event this instance's streams have been told of (negative: not known yet). Rows above
   * it are committed but not told yet, or never will be (their acknowledgement failed).
   */
  long toldThrough() {
    return toldThrough.get();
  }

  /** What streams are published of an event: the event with its id and its row's tag. */
  static JsonObject told(LiveLog.Logged logged) {
    return logged.event().copy().put("id", logged.id()).put("tag", logged.tag());
  }

  /** On the writer thread, in commit order; {@code answered} null: the writes are answered at once. */
  private void committed(List<LiveLog.Logged> events, CompletionStage<Void> answered) {
    Awaiting transaction;
    synchronized (this) {
      if (answered == null && awaiting.isEmpty()) {
        if (!events.isEmpty()) {
          unconfirmed.clear();
          tell(events);
        }
        return;
      }
      if (events.isEmpty() && awaiting.isEmpty() && unconfirmed.isEmpty()) {
        return;
      }
      if (answered != null && !events.isEmpty()) {
        // Every row below this transaction's was committed before it; none of its rows is told yet
        // (a start's first read of the newest row may have seen them).
        long before = events.get(0).id() - 1;
        toldThrough.updateAndGet(told -> told < 0 || told > before ? before : told);
      }
      transaction = answered == null
          ? new Awaiting(events, CompletableFuture.completedFuture(null), false)
          : new Awaiting(events, answered.toCompletableFuture(), true);
      awaiting.add(transaction);
    }
    transaction.answered().whenComplete((done, error) -> tellAnswered());
  }

  /** Tells, in commit order, the events of the transactions answered so far, up to the first still waiting. */
  private synchronized void tellAnswered() {
    while (!awaiting.isEmpty() && awaiting.peek().answered().isDone()) {
      Awaiting transaction = awaiting.poll();
      if (transaction.answered().isCompletedExceptionally()) {
        keepUnconfirmed(transaction.events());
        continue;
      }
      if (transaction.acknowledged()) {
        tell(unconfirmed);
        unconfirmed.clear();
      } else if (!transaction.events().isEmpty()) {
        unconfirmed.clear();
      }
      tell(transaction.events());
    }
  }

  private void keepUnconfirmed(List<LiveLog.Logged> events) {
    unconfirmed.addAll(events);
    if (unconfirmed.size() > MAX_UNCONFIRMED) {
      LOG.warn("{} live events wait for a write acknowledged after them; the oldest are not told",
          unconfirmed.size());
      while (unconfirmed.size() > MAX_UNCONFIRMED) {
        unconfirmed.poll();
      }
    }
  }

  /**
   * Publishes the events to this instance's streams. The newest told moves first: a stream that
   * reads it has listened before, and either replays an event or hears it. A board with no stream open
   * here is not published: its event's copy, encoding and delivery to no one were a cost on every
   * commit of a node whose members were not looking at that board.
   */
  private void tell(Collection<LiveLog.Logged> events) {
    Vertx on = vertx;
    for (LiveLog.Logged logged : events) {
      toldThrough.accumulateAndGet(logged.id(), Math::max);
      if (on != null && listened(logged.boardId())) {
        on.eventBus().publish(LiveRoutes.address(logged.boardId()), told(logged), thisInstance);
      }
    }
  }
}
