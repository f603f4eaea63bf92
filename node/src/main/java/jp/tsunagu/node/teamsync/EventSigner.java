package jp.tsunagu.node.teamsync;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.envelope.VerifiedEvent;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;
import jp.tsunagu.node.care.replication.TeamReplication;
import jp.tsunagu.node.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs the events this node sequenced, outside the database writer's transaction (issue 25, item 2:
 * Ed25519 signing inside it was most of the single writer's time, so a shared board took a fraction of
 * a local board's writes). The writer's transaction gives an event its seq and stores what is to be
 * signed ({@link TeamLogSql#insertUnsigned}); once it is durable this signer, on its own thread, makes
 * the origin signature of this node's events and the countersignature of every event and stores the
 * envelopes in one later write for a page of events. Then, and only then: a partner's submission is
 * answered ({@link #whenSigned}) and the board is announced for push; the feed never serves past a
 * board's first unsigned seq. This node's writes to boards homed elsewhere go into the outbox unsigned
 * the same way and are signed here as their origin; the outbox sends nothing past its first unsigned
 * write. It signs only rows whose transaction is acknowledged ({@link AcknowledgedWrites}): at once on a
 * single instance, on a clustered node's leader once followers applied the transaction's batch, so no
 * partner or home node gets an event or write that a failover could lose.
 * The seq is not reserved before the transaction because the event's content is made in it
 * (from the rows the write itself changed), and a reserved number whose transaction rolled back would
 * leave a gap. A crash between the two transactions leaves the events
 * unsigned and durable: {@link #start} signs them at the next start, with the same bytes (Ed25519 is
 * deterministic), before any partner can have seen them.
 */
final class EventSigner {

  private static final Logger LOG = LoggerFactory.getLogger(EventSigner.class);
  /** Events signed and stored per write: a few ms of signing, one commit. */
  static final int PAGE = 256;
  private static final long RETRY_MILLIS = 1_000;
  /** How long {@link #hold()} waits for the page being signed (a page takes milliseconds; a loaded machine, more). */
  private static final Duration HOLD_WAIT = Duration.ofSeconds(10);
  /** How soon a started signer on an instance that does not write looks again: its election completes in moments. */
  private static final long NOT_WRITING_RETRY_MILLIS = 100;
  /** Marks the signer's announcement of a board, made once the signatures are stored (see {@link #onSigned}). */
  static final String SIGNED_HEADER = "signed";
  private static final io.vertx.core.eventbus.DeliveryOptions SIGNED =
      new io.vertx.core.eventbus.DeliveryOptions().addHeader(SIGNED_HEADER, "true");

  private final Database database;
  private final NodeIdentity identity;
  /** Which of the rows waiting may be signed; an acknowledged commit that wrote some wakes the signer. */
  private final AcknowledgedWrites acknowledged;
  private final ThreadPoolExecutor worker;
  private final AtomicBoolean running = new AtomicBoolean();
  /** Counted down by the drain last started when it ends: what {@link #hold} waits for. */
  private volatile java.util.concurrent.CountDownLatch drained = new java.util.concurrent.CountDownLatch(0);
  private final AtomicBoolean again = new AtomicBoolean();
  private final AtomicBoolean held = new AtomicBoolean();
  /**
   * Stopped with the team sync it serves: on a clustered node, when this instance stops leading. A signer never
   * started (a node's start before its team sync runs) signs as it always did.
   */
  private volatile boolean stopped;
  private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
  private volatile Vertx vertx;
  /** Told of each page of countersigned envelopes as soon as it is signed, before it is stored. */
  private volatile Consumer<List<TeamLogSql.Signed>> onSigned = signed -> { };
  /** Told of this node's writes to boards homed elsewhere as soon as they are signed, before they are stored. */
  private volatile Consumer<List<SignedWrite>> onSignedWrites = writes -> { };
  /** Whether a listener of signed writes is set: only writes handed over to one are left unstored. */
  private volatile boolean handsOverWrites;
  /** Signed writes handed over and not stored: see {@link #onSignedWrites}. */
  private final DeferredWrites deferred = new DeferredWrites();
  /** For tests: the signatures' commits made (pages stored) since start. */
  private final java.util.concurrent.atomic.AtomicLong pagesStored = new java.util.concurrent.atomic.AtomicLong();
  /** For tests of a crash between signing and storing: the next page is signed and told, never stored. */
  private final AtomicBoolean dropNextStore = new AtomicBoolean();
  /** For tests: the next hand-over of signed writes waits for this, told after the signatures are stored. */
  private final java.util.concurrent.atomic.AtomicReference<CompletableFuture<Void>> delayNextHandOver =
      new java.util.concurrent.atomic.AtomicReference<>();
  /** For tests: the events told to {@link #onSigned} so far. */
  private final java.util.concurrent.atomic.AtomicLong told = new java.util.concurrent.atomic.AtomicLong();
  /** For tests: the pages read to be signed so far (each try, a retry too). */
  private final java.util.concurrent.atomic.AtomicLong pagesRead = new java.util.concurrent.atomic.AtomicLong();
  /** For tests: the next page signed waits here before it is told or stored. */
  private final java.util.concurrent.atomic.AtomicReference<PausedPage> pauseNext =
      new java.util.concurrent.atomic.AtomicReference<>();

  EventSigner(Database database, NodeIdentity identity) {
    this.database = database;
    this.identity = identity;
    this.acknowledged = new AcknowledgedWrites(database, this::wake);
    // one thread, gone when idle: a node that logs nothing keeps no thread for it
    this.worker = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
      Thread thread = new Thread(runnable, "tsunagu-event-signer");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Signs what a previous run left unsigned, or what came by replication to an instance that now leads a
   * clustered node (those rows are the cluster's history), and from now on announces the boards it signs
   * for. Which rows those are is read on the writer, so that none this instance writes from now on, not
   * acknowledged yet, is taken for one of them.
   */
  void start(Vertx vertx) {
    this.vertx = vertx;
    stopped = false;
    database.submitWrite(c -> {
      acknowledged.know(c);
      return null;
    }).whenComplete((done, failure) -> {
      if (failure != null && !closed(failure)) {
        LOG.warn("reading the events left to sign failed; the next write signs them: {}", failure.toString());
      }
      wake();
    });
  }

  /**
   * Stops signing, with the team sync it serves: on a clustered node this instance no longer leads (its
   * singletons are undeployed). A page being signed is neither told to the push nor stored, nothing is tried
   * again while stopped, and the listeners are dropped (the next start sets its own). The rows left unsigned
   * are the cluster's history: the instance that leads now signs them at its start, with the same bytes, and
   * this one again if it is elected again ({@link #start}).
   */
  void stop() {
    stopped = true;
    vertx = null;
    onSigned = signed -> { };
    onSignedWrites = writes -> { };
    handsOverWrites = false;
    deferred.clear();
  }

  /**
   * Whether a page signed now may be told and stored: not stopped, and this instance writes (on a clustered
   * node, the database relays its writes once the instance has lost the lock, before its singletons stop).
   */
  private boolean signsHere() {
    return !stopped && database.relay().isEmpty();
  }

  /**
   * Hears of each page of countersigned envelopes of events homed here as soon as they are signed, on the
   * signer's thread, before they are stored: a home node pushes them to its partners while the signatures'
   * commit runs rather than after it. Safe because the envelope is a pure function of what is already
   * durable (the event as sequenced, its seq, its acceptedAt, the node's key): Ed25519 (RFC 8032) signs
   * without randomness, the header and body are canonical JSON with no signing time, so a node that stops
   * before storing them signs the same bytes again at its next start ({@link #start}).
   */
  void onSigned(Consumer<List<TeamLogSql.Signed>> listener) {
    this.onSigned = listener;
  }

  /**
   * A write of this node to a board homed elsewhere, its origin signature just made. {@code announced}: its
   * signature is stored by the signer, whose announcement of the board follows the commit; false when it is left
   * to the apply of its countersigned event, and no announcement of the signer's follows.
   */
  record SignedWrite(String eventId, String boardId, String homeNode, String envelope, boolean announced) {

    SignedWrite leftToApply() {
      return new SignedWrite(eventId, boardId, homeNode, envelope, false);
    }
  }

  /**
   * Hears of this node's writes to boards homed elsewhere as soon as their origin signatures are made, on the
   * signer's thread, before they are stored: a member node submits them to their home node at once. Safe for
   * the reason given at {@link #onSigned}: the write is durable, and its envelope a pure function of it and the
   * node's key, signed with the same bytes again after a stop.
   * <p>The signatures of writes handed over are not stored by the signer at first: the home node pushes each
   * back countersigned, its envelope embedding this one, and the replica's apply stores it in the transaction
   * that settles the write (a commit, an fsync, less a write on the member node). The signer stores those the
   * listener gives back ({@link #storeHandedOver}: a failed submission, a write left to the outbox, which sends
   * nothing past its first unsigned write) and those no apply stored within {@link DeferredWrites#WAIT_MILLIS}.
   */
  void onSignedWrites(Consumer<List<SignedWrite>> listener) {
    this.onSignedWrites = listener;
    this.handsOverWrites = true;
  }

  /**
   * Stores the signatures of the writes handed over and not stored yet, at once: the listener sends (some of)
   * them from the outbox after all, which needs them stored.
   */
  void storeHandedOver() {
    if (deferred.allDue()) {
      wake();
    }
  }

  /** For tests: the signatures' commits made since start (pages of signatures stored). */
  long pagesStored() {
    return pagesStored.get();
  }

  /**
   * For tests: the next hand-over of signed writes to {@link #onSignedWrites} is told only once {@code until}
   * completes; the page is stored and announced meanwhile (a hand-over that reaches the engine late).
   */
  void delayNextHandOver(CompletableFuture<Void> until) {
    delayNextHandOver.set(until);
  }

  /** For tests: the next page is signed and told to {@link #onSigned}, then left unstored and the signer held. */
  void dropNextStore() {
    dropNextStore.set(true);
  }

  /**
   * Called in a write's transaction for each event it sequences or write it puts in the outbox, before the
   * row is written: the row's number ({@code write_order}, V278). The signer wakes once the transaction is
   * acknowledged.
   */
  long sequenced(java.sql.Connection c) throws java.sql.SQLException {
    return acknowledged.next(c);
  }

  /**
   * The countersigned envelope of the event a write's transaction is sequencing at a board's seq, once it
   * is durably stored. Called in that transaction, on the writer: the signer reads only acknowledged events,
   * so it cannot have signed this one yet, and no read is needed to find out. (A transaction rolled back
   * leaves the waiter to the next event at that seq, which completes it unheard.)
   */
  CompletableFuture<String> whenSequencedSigned(String boardId, long seq) {
    return waiting.computeIfAbsent(key(boardId, seq), k -> new CompletableFuture<>());
  }

  /**
   * The countersigned envelope of the event at a board's seq, once it is durably stored (at once when it
   * already is). Fails only when no event is at that seq.
   */
  CompletableFuture<String> whenSigned(String boardId, long seq) {
    String key = key(boardId, seq);
    CompletableFuture<String> signed = waiting.computeIfAbsent(key, k -> new CompletableFuture<>());
    // the signer may have stored it before this waiter was registered
    database.submitRead(c -> TeamLogSql.envelopeAt(c, boardId, seq)).whenComplete((envelope, error) -> {
      if (error != null) {
        return; // the signer completes it
      }
      if (envelope.isEmpty()) {
        fail(key, new IllegalStateException("no event at seq " + seq + " of " + boardId));
      } else if (!envelope.get().equals(TeamLogSql.UNSIGNED)) {
        complete(key, envelope.get());
      }
    });
    return signed;
  }

  /** For tests: how many events were told to {@link #onSigned} (pushed to partners) since start. */
  long toldSigned() {
    return told.get();
  }

  /** For tests: how many pages were read to be signed (tries and retries) since start. */
  long pagesRead() {
    return pagesRead.get();
  }

  /** For tests: whether the signer is started and not stopped. */
  boolean signing() {
    return vertx != null && !stopped;
  }

  /** For tests: a page signed and waiting, before it is told or stored, until {@code go} completes. */
  record PausedPage(CompletableFuture<Void> reached, CompletableFuture<Void> go) {}

  /** For tests: the next page signed waits, before it is told or stored, until the returned page's go. */
  PausedPage pauseNextPage() {
    PausedPage pause = new PausedPage(new CompletableFuture<>(), new CompletableFuture<>());
    pauseNext.set(pause);
    return pause;
  }

  /**
   * For tests of a crash between the two transactions: signs nothing until {@link #release}. A page being
   * signed when it is called is finished first (bounded), so that nothing written after it returns is signed:
   * a page's read in flight would otherwise see a write committed after the hold.
   */
  void hold() {
    hold(HOLD_WAIT);
  }

  /**
   * {@link #hold()}, waiting at most {@code wait} for the page being signed. A page still being signed
   * then fails the test here, where the cause is: carrying on, it was signed after the hold and a later
   * assertion failed without saying why.
   */
  void hold(Duration wait) {
    held.set(true);
    // A drain started after this sees the hold before its first page; the one running may be mid-page.
    boolean ended;
    try {
      ended = drained.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while holding the signer, waiting for the page being signed", e);
    }
    if (!ended) {
      throw new IllegalStateException("the signer was held, but the page it was signing did not end within "
          + wait.toMillis() + " ms: it may still sign after the hold");
    }
  }

  void release() {
    held.set(false);
    wake();
  }

  private void wake() {
    again.set(true);
    if (!held.get() && !stopped && running.compareAndSet(false, true)) {
      java.util.concurrent.CountDownLatch ends = new java.util.concurrent.CountDownLatch(1);
      drained = ends;
      worker.execute(() -> drain(ends));
    }
  }

  private void drain(java.util.concurrent.CountDownLatch ends) {
    boolean failed = false;
    try {
      while (again.getAndSet(false) && !held.get() && !stopped) {
        while (!held.get() && signsHere() && signPage()) {
          // next page
        }
      }
    } catch (RuntimeException e) {
      if (closed(e)) {
        running.set(false);
        return; // the node stopped: its next start signs what is left
      }
      failed = true;
      if (!signsHere()) {
        LOG.debug("signing stopped with a page unsigned (this instance no longer writes): {}", e.toString());
      } else {
        LOG.warn("signing sequenced events failed; trying again in {} ms: {}", RETRY_MILLIS, e.toString());
      }
    } finally {
      running.set(false);
      ends.countDown();
    }
    if (stopped) {
      return; // nothing is tried again: the instance that leads now signs what is left
    }
    if (!signsHere() && vertx != null) {
      // started, but this instance does not write: it was just elected and is not open for writes yet, or it
      // just lost the lock and its team sync is stopping (then the stop ends this)
      again.set(true);
      CompletableFuture.delayedExecutor(NOT_WRITING_RETRY_MILLIS, TimeUnit.MILLISECONDS).execute(this::wake);
    } else if (failed) {
      CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS).execute(this::wake);
    } else if (again.get()) {
      wake();
    }
  }

  private static boolean closed(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause()) {
      if (e instanceof jp.tsunagu.node.storage.StorageException storage && storage.code().equals("storage.closed")) {
        return true;
      }
    }
    return false;
  }

  /** Signs and stores the next page; returns whether a full page was found (more may wait). */
  private boolean signPage() {
    pagesRead.incrementAndGet();
    long through = acknowledged.acknowledgedThrough();
    Page page = database.submitRead(c -> new Page(TeamLogSql.unsigned(c, PAGE, through),
        OutboxSql.unsignedWrites(c, PAGE, through))).join();
    if (page.events().isEmpty() && page.writes().isEmpty()) {
      return false;
    }
    List<TeamLogSql.Signed> signed = new ArrayList<>(page.events().size());
    for (TeamLogSql.Unsigned event : page.events()) {
      signed.add(new TeamLogSql.Signed(event.boardId(), event.seq(), sign(event)));
    }
    Map<String, String> writes = new java.util.LinkedHashMap<>();
    Map<String, String> boardOfWrite = new java.util.HashMap<>();
    List<SignedWrite> signedWrites = new ArrayList<>(page.writes().size());
    Set<String> boards = new LinkedHashSet<>();
    signed.forEach(event -> boards.add(event.boardId()));
    long now = System.nanoTime();
    deferred.keepOnly(page.writes(), page.writes().size() < PAGE);
    for (OutboxSql.UnsignedWrite write : page.writes()) {
      String handedOver = deferred.envelope(write.eventId());
      if (handedOver != null && !deferred.due(write.eventId(), now)) {
        continue; // sent from memory: its apply stores it
      }
      String envelope = handedOver != null ? handedOver : EventEnvelope.sign(event(write.event()), identity);
      writes.put(write.eventId(), envelope);
      if (write.pending() && handedOver == null) {
        // one its home node settled already (the node stopped before storing its signature) is not sent again
        signedWrites.add(new SignedWrite(write.eventId(), write.boardId(), write.homeNode(), envelope, true));
      }
      boardOfWrite.put(write.eventId(), write.boardId());
    }
    if (signed.isEmpty() && writes.isEmpty()) {
      return false; // only writes sent from memory, their signatures left to the applies
    }
    PausedPage pause = pauseNext.getAndSet(null);
    if (pause != null) {
      pause.reached().complete(null);
      pause.go().join();
    }
    if (!signsHere()) {
      // Lost the lock since the page was read, or stopped: nothing told, nothing stored.
      return false;
    }
    if (!signed.isEmpty()) {
      told.addAndGet(signed.size());
      onSigned.accept(List.copyOf(signed));
    }
    if (!signedWrites.isEmpty()) {
      List<SignedWrite> handOver = List.copyOf(signedWrites);
      Consumer<List<SignedWrite>> listener = onSignedWrites;
      CompletableFuture<Void> delay = delayNextHandOver.getAndSet(null);
      if (delay == null) {
        List<SignedWrite> told = handOver;
        if (handsOverWrites) {
          // left unstored: the apply of each countersigned event stores it (see onSignedWrites)
          List<SignedWrite> marked = new ArrayList<>(handOver.size());
          for (SignedWrite write : handOver) {
            boolean left = deferred.add(write.eventId(), write.envelope(), now);
            if (left) {
              writes.remove(write.eventId());
            }
            marked.add(left ? write.leftToApply() : write);
          }
          told = marked;
          deferred.wakeWhenDue(this::wake);
        }
        listener.accept(told);
      } else {
        delay.thenRun(() -> listener.accept(handOver));
      }
    }
    if (dropNextStore.getAndSet(false)) {
      held.set(true); // as a node stopped before the signatures' commit: nothing stored, nothing signed after
      return false;
    }
    if (signed.isEmpty() && writes.isEmpty()) {
      return page.writes().size() == PAGE;
    }
    database.submitWrite(c -> {
      TeamLogSql.signed(c, signed);
      OutboxSql.signedWrites(c, writes);
      return null;
    }).join();
    pagesStored.incrementAndGet();
    writes.keySet().forEach(deferred::stored);
    for (TeamLogSql.Signed event : signed) {
      complete(key(event.boardId(), event.seq()), event.envelope());
    }
    // Only the boards of what this commit stored: a write left to the apply of its countersigned event went from
    // memory, and an announcement of its board made the engine look at where the board goes to find nothing to
    // send (a read a message on a posting member node, whenever a page held a stored write beside it)
    writes.keySet().forEach(eventId -> boards.add(boardOfWrite.get(eventId)));
    Vertx announce = vertx;
    if (announce != null) {
      // a board homed here is pushed to its partners; a replica's outbox is sent to the home node
      boards.forEach(board -> announce.eventBus().publish(TeamReplication.BOARD_CHANGED, board, SIGNED));
    }
    return page.events().size() == PAGE || page.writes().size() == PAGE;
  }

  private record Page(List<TeamLogSql.Unsigned> events, List<OutboxSql.UnsignedWrite> writes) {}

  private static Event event(String json) {
    return Event.fromJson(JsonFields.of(Json.parse(json), "envelope.malformed", "event"));
  }

  /** The countersigned envelope; for an event of this node, signed as its origin first. */
  String sign(TeamLogSql.Unsigned unsigned) {
    Instant acceptedAt = Instant.parse(unsigned.acceptedAt());
    if (unsigned.event() != null) {
      Event event = event(unsigned.event());
      VerifiedEvent origin = new VerifiedEvent(event, identity.signingKeyId(), EventEnvelope.sign(event, identity));
      return EventEnvelope.countersign(origin, unsigned.seq(), acceptedAt, identity);
    }
    // a partner's event, verified and found homed here when it was submitted: countersigned by its stored id,
    // its envelope not read again
    return EventEnvelope.countersignAccepted(unsigned.eventId(), unsigned.originEnvelope(), unsigned.seq(), acceptedAt,
        identity);
  }

  private void complete(String key, String envelope) {
    CompletableFuture<String> waiter = waiting.remove(key);
    if (waiter != null) {
      waiter.complete(envelope);
    }
  }

  private void fail(String key, RuntimeException error) {
    CompletableFuture<String> waiter = waiting.remove(key);
    if (waiter != null) {
      waiter.completeExceptionally(error);
    }
  }

  private static String key(String boardId, long seq) {
    return boardId + "#" + seq;
  }
}
