package jp.tsunagu.node.teamsync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.wire.ErrorResponse;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.federation.FederationClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves team events between nodes. As a home node it pushes each accepted event at once to every
 * partner with a member in the team; as a member node it delivers its outbox to the home node and
 * pulls what it missed, by a cursor per board. A partner that fails is retried with exponential
 * backoff capped at a minute; the moment it is heard from again (a call of ours answered, a request
 * of theirs, a hello) everything owed is exchanged, without waiting for new traffic. Per partner and
 * direction one exchange runs at a time; a request arriving meanwhile runs right after it. Push,
 * delivery and pull stay in this one class (near 400 lines): they share the per-partner backoff and
 * the one-exchange-at-a-time rule, which would otherwise be spread over several classes.
 */
final class SyncEngine {

  private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
  private static final Duration PULL_EVERY = Duration.ofSeconds(30);

  /** What this node knows of a partner's health. */
  private static final class PeerState {
    int failures;
    long timeouts;
    boolean unreachable;
    Instant retryAt = Instant.EPOCH;
    Instant lastPull = Instant.EPOCH;
    /** It answered a page of submissions with 404: a node from before pages, sent one write at a time. */
    boolean singleRoute;
  }

  private final Sync sync;
  private final Vertx vertx;
  private final Map<String, PeerState> peers = new ConcurrentHashMap<>();
  private final Map<String, Future<Void>> running = new ConcurrentHashMap<>();
  private final Set<String> again = ConcurrentHashMap.newKeySet();
  /** Boards homed here changed since each partner's push took them (under its own lock). */
  private final Map<String, Set<String>> changedFor = new java.util.HashMap<>();
  /** Partners whose next push goes over every board they receive (a catch-up, the sweep, a retry). */
  private final Set<String> everyBoard = ConcurrentHashMap.newKeySet();
  /**
   * How far each partner took each board homed here ("peer board" to seq), as its answers to pushes said:
   * ahead of the database, where the sweep writes them once a second. A commit (an fsync) per push and
   * partner was most of a home node's commits per message; an acknowledgement lost in a crash only makes
   * the next push send events the partner answers as held. Never lowered, as in the database.
   */
  private final Map<String, Long> acked = new ConcurrentHashMap<>();
  /** Keys of {@link #acked} not written yet. */
  private final Set<String> ackedUnwritten = ConcurrentHashMap.newKeySet();
  /** The last seq of a page on its way to a partner ("peer board" to seq), until the partner answers. */
  private final Map<String, Long> sending = new ConcurrentHashMap<>();
  /** Envelopes just signed, pushed from here rather than read back from the log after their commit. */
  private final SignedRecently signedRecently = new SignedRecently();
  /** Per partner, the boards a signing told of and what the partner receives of each (under {@link #changedFor}). */
  private final Map<String, Map<String, TeamSync.Receiver>> signedFor = new java.util.HashMap<>();
  /** Each board's latest look at where its changes go (a post's commit asks it before the post is signed). */
  private final Map<String, Future<TeamSync.Destinations>> lastLook = new ConcurrentHashMap<>();
  /** Per home node, this node's writes just signed, submitted from memory by the next delivery (under itself). */
  private final Map<String, List<TeamSync.Outgoing>> signedWrites = new java.util.HashMap<>();
  /**
   * Home nodes whose last delivery left no signed write of this node waiting (everything it read was settled):
   * a write signed now is the next in order for them, and may go before its signature is stored.
   */
  private final Set<String> outboxSettled = ConcurrentHashMap.newKeySet();
  /** Per home node, writes signed while it was not settled, left to the outbox (under {@link #signedWrites}). */
  private final Map<String, Set<String>> leftToOutbox = new java.util.HashMap<>();
  /**
   * This node's writes a read of the outbox took lately (under {@link #signedWrites}): the outbox sends them, so a
   * signer's hand-over of one that reaches the engine after that read (it comes by the event loop, the read's
   * answer may come first) is not sent again from memory. Under load that was a repeat submission now and then.
   */
  private final RecentIds readFromOutbox = new RecentIds(4_096);
  /** Boards homed elsewhere this node holds a replica of, to their home node, as their applies and writes told. */
  private final Map<String, String> replicaHomes = new ConcurrentHashMap<>();
  /**
   * Replica boards whose writes the last signing sent from memory, every one of them: the signer's announcement
   * of such a board, once the signatures are stored, has nothing left to deliver (a failed send is the retry's).
   * It cost a read of where the board goes, and a read of the outbox behind the send under way.
   */
  private final Set<String> sentWhenSigned = ConcurrentHashMap.newKeySet();
  /** This node's writes accepted and not yet settled in its outbox, and those its replica already settled. */
  private final AnsweredWrites answered = new AnsweredWrites();
  /** Sweeps run since start: an answered write is settled by the sweep after the next. */
  private long sweeps;
  private volatile Set<String> careTeamPartners = Set.of();
  /** When the sweep last listed every board being shared (the safety net beside the commits' own signal). */
  private Instant lastFullPass = Instant.EPOCH;
  private final HomeRecovery recovery;
  /**
   * Set by the verticle's stop, before its undeploy closes the client: the calls in flight then fail
   * ("Client is closed"), which is expected when an instance stops leading, not a partner failing.
   */
  private volatile boolean stopped;

  SyncEngine(Sync sync, Vertx vertx) {
    this.sync = sync;
    this.vertx = vertx;
    this.recovery = new HomeRecovery(sync, vertx);
  }

  /** Finding and settling partners ahead of this node's log of its boards (a restore from a backup). */
  HomeRecovery recovery() {
    return recovery;
  }

  private FederationClient client() {
    return sync.client(vertx);
  }

  private Instant now() {
    return sync.services().clock().instant();
  }

  private PeerState state(String peer) {
    return peers.computeIfAbsent(peer, p -> new PeerState());
  }

  /** A board changed here: push it (home) or deliver the outbox (replica). */
  void boardChanged(String boardId) {
    boardChanged(boardId, false, null);
  }

  /**
   * @param signed the signer's announcement, once the signatures are stored: for a board homed here whose latest
   *               look saw every event now signed, and whose receivers each took them or are being sent them by
   *               the signing's own push ({@link #signed}), nothing is left to push and the board is not read
   *               again (it was a read a message on a home node that found nothing to do)
   * @param appliedFrom the home node whose events were just applied to this board's replica, or null: when nothing
   *               of this node waits for that home node ({@link #nothingWaitsFor}), the board is not read (it was a
   *               read every event a member node received, to find no signed write of its own to deliver). So too
   *               a commit on a replica known here (a professional's post: its write is unsigned until the signer
   *               hands it over and announces it, so the read found nothing to deliver)
   */
  void boardChanged(String boardId, boolean signed, String appliedFrom) {
    sync.team().continueSharing(vertx, false);
    if (signed && (sentWhenSigned.remove(boardId) || pushedWhenSigned(boardId))) {
      return;
    }
    if (appliedFrom != null) {
      replicaHomes.put(boardId, appliedFrom);
    }
    String home = appliedFrom != null || signed ? appliedFrom : replicaHomes.get(boardId);
    if (home != null && nothingWaitsFor(home)) {
      return;
    }
    Future<TeamSync.Destinations> look = sync.team().destinations(boardId);
    lastLook.put(boardId, look);
    look.onSuccess(to -> {
      if (to.home().isPresent()) {
        deliver(to.home().get());
        return;
      }
      to.invited().forEach(peer -> pushChanged(peer, boardId));
      for (String peer : to.partners()) {
        // a post's commit announces it before it is signed (the live views hear of it at once), and a page of
        // submissions after its signer did: a push then would read the board's log only to find nothing the
        // partner does not have yet; the signer's own announcement pushes what it signed
        // nor when the signing's own push (see signed) already took it or is taking it
        String key = ackKey(peer, boardId);
        if (!to.invited().contains(peer)
            && to.signedHead() > Math.max(acked.getOrDefault(key, 0L), sending.getOrDefault(key, 0L))) {
          pushChanged(peer, boardId);
        }
      }
    });
  }

  /**
   * Whether the signing's own push took a board homed here to every partner that receives it: the board's latest
   * look saw as far as this node has signed (no event it did not see), owes no invitation, and each receiver
   * available acknowledged the events it receives up to there or is being sent them. A push under way that
   * fails leaves its partner to the retry, as any failed push.
   */
  private boolean pushedWhenSigned(String boardId) {
    Future<TeamSync.Destinations> look = lastLook.get(boardId);
    if (look == null || !look.succeeded()) {
      return false;
    }
    TeamSync.Destinations to = look.result();
    long head = to.head();
    if (to.home().isPresent() || !to.invited().isEmpty() || head == 0 || signedRecently.head(boardId) != head) {
      return false;
    }
    for (var receiver : to.receivers().entrySet()) {
      String peer = receiver.getKey();
      long due = Math.min(receiver.getValue().upTo(), head);
      String key = ackKey(peer, boardId);
      if (available(peer) && due > Math.max(receiver.getValue().acked(),
          Math.max(acked.getOrDefault(key, 0L), sending.getOrDefault(key, 0L)))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Events homed here were just signed, their signatures not stored yet: each partner receiving their board
   * gets them now, from memory, while the signatures' commit runs. The commit's own announcement then finds
   * them sent and pushes nothing. Safe before that commit: the events themselves are durable, and their
   * envelopes are a pure function of them, so a node stopped before storing the signatures signs the same
   * bytes again at its next start (see {@link EventSigner#onSigned}); what a partner holds stays valid.
   */
  void signed(List<TeamLogSql.Signed> events) {
    signedRecently.add(events);
    Map<String, Long> boards = new java.util.LinkedHashMap<>();
    events.forEach(event -> boards.merge(event.boardId(), event.seq(), Math::max));
    for (var signedUpTo : boards.entrySet()) {
      String boardId = signedUpTo.getKey();
      receiversAsOf(boardId, signedUpTo.getValue())
          .onFailure(e -> LOG.debug("reading the receivers of {} failed", boardId, e))
          .onSuccess(receivers -> receivers.forEach((peer, receiver) -> {
            if (!available(peer) || receiver.upTo() <= receiver.acked()) {
              return;
            }
            synchronized (changedFor) {
              changedFor.computeIfAbsent(peer, p -> new LinkedHashSet<>()).add(boardId);
              signedFor.computeIfAbsent(peer, p -> new java.util.HashMap<>()).put(boardId, receiver);
            }
            exclusive("push:" + peer, () -> pushDue(peer).onFailure(e -> failed(peer, e)));
          }));
    }
  }

  /**
   * This node's writes to boards homed elsewhere were just signed, their signatures not stored yet: each home
   * node whose earlier writes are all settled gets them now, from memory, while the signatures' commit runs
   * (the signatures' commit, a read of where the board goes and a read of the outbox were each a wait before
   * the submission). Safe for the reason given at {@link #signed}. A home node with writes still waiting, or
   * failing, gets them from the outbox in their order once the signatures are stored, as before.
   */
  void writesSigned(List<EventSigner.SignedWrite> writes) {
    Map<String, List<TeamSync.Outgoing>> byHome = new java.util.LinkedHashMap<>();
    Set<String> announced = new HashSet<>();
    for (EventSigner.SignedWrite write : writes) {
      if (write.announced()) {
        announced.add(write.eventId());
      }
      sync.ownEnvelopes().signed(write.envelope());
      replicaHomes.put(write.boardId(), write.homeNode());
      byHome.computeIfAbsent(write.homeNode(), h -> new ArrayList<>())
          .add(new TeamSync.Outgoing(write.eventId(), write.boardId(), write.envelope(), 0, Instant.EPOCH));
    }
    byHome.forEach((home, handedOver) -> {
      synchronized (signedWrites) {
        List<TeamSync.Outgoing> signed = handedOver.stream()
            .filter(write -> !readFromOutbox.contains(write.eventId())).toList();
        if (signed.isEmpty()) {
          return; // an outbox read took them all before this hand-over arrived: sent (or to be sent) from there
        }
        if (!available(home) || !outboxSettled.contains(home)) {
          signed.forEach(write -> sentWhenSigned.remove(write.boardId()));
          leftToOutbox(home, signed);
          return;
        }
        signedWrites.computeIfAbsent(home, h -> new ArrayList<>()).addAll(signed);
        // the signer's announcement of these boards, once it stored their signatures, is not a cue to read the
        // outbox; a write left to its apply is announced by no one, and its board's next announcement is one
        signed.stream().filter(write -> announced.contains(write.eventId()))
            .forEach(write -> sentWhenSigned.add(write.boardId()));
      }
      deliver(home);
    });
  }

  /**
   * Whether no write of this node waits for a home node: its last delivery left every write it read settled, no
   * write signed since was left to the outbox or waits to go from memory, and the home node has not failed since
   * (a failure clears {@link #outboxSettled}). A write sent and answered waits only for its apply, no delivery.
   */
  private boolean nothingWaitsFor(String home) {
    if (state(home).failures > 0) {
      return false;
    }
    synchronized (signedWrites) {
      Set<String> left = leftToOutbox.get(home);
      List<TeamSync.Outgoing> kept = signedWrites.get(home);
      return outboxSettled.contains(home) && (left == null || left.isEmpty()) && (kept == null || kept.isEmpty());
    }
  }

  /** Writes sent from the outbox once their signatures are stored: until read from there, none goes from memory. */
  private void leftToOutbox(String home, List<TeamSync.Outgoing> writes) {
    synchronized (signedWrites) {
      Set<String> left = leftToOutbox.computeIfAbsent(home, h -> new HashSet<>());
      writes.forEach(write -> left.add(write.eventId()));
      outboxSettled.remove(home);
    }
    // the outbox sends nothing past its first unsigned write: the signer stores what it handed over now
    sync.team().log().signer().storeHandedOver();
  }

  /** The writes {@link #writesSigned} left for a home node, taken. */
  private List<TeamSync.Outgoing> takeSignedWrites(String home) {
    synchronized (signedWrites) {
      List<TeamSync.Outgoing> taken = signedWrites.remove(home);
      return taken == null ? List.of() : taken;
    }
  }

  /** Writes read from the outbox are sent from there: none of them goes again from memory, none is left behind. */
  private void readFromOutbox(String home, List<TeamSync.Outgoing> writes) {
    synchronized (signedWrites) {
      Set<String> read = new HashSet<>();
      writes.forEach(write -> read.add(write.eventId()));
      read.forEach(readFromOutbox::add);
      List<TeamSync.Outgoing> kept = signedWrites.get(home);
      if (kept != null) {
        kept.removeIf(write -> read.contains(write.eventId()));
      }
      Set<String> left = leftToOutbox.get(home);
      if (left != null) {
        left.removeAll(read);
      }
    }
  }

  /**
   * The partners receiving a board as the log stood at {@code seq} or later: those the board's latest look
   * found when it had read the log up to there (a post's commit looks before the post is signed: the common
   * case, no read), else a read beside the signatures' commit. A look that saw the event committed saw every
   * membership change sequenced before it, and one sequenced after it does not concern it.
   */
  private Future<Map<String, TeamSync.Receiver>> receiversAsOf(String boardId, long seq) {
    Future<TeamSync.Destinations> look = lastLook.get(boardId);
    if (look == null) {
      return sync.team().receivers(boardId);
    }
    return look.transform(seen -> seen.succeeded() && seen.result().head() >= seq
        ? Future.succeededFuture(seen.result().receivers()) : sync.team().receivers(boardId));
  }

  /** A partner was heard from: if it had been failing, catch up with it now. */
  void contacted(String peer) {
    PeerState state = peers.get(peer);
    if (state != null && state.unreachable) {
      state.unreachable = false;
      state.failures = 0;
      state.retryAt = Instant.EPOCH;
      LOG.info("partner {} is back: catching up", peer);
      catchUp(peer);
    }
  }

  /** Everything owed both ways with one partner. */
  void catchUp(String peer) {
    deliver(peer);
    push(peer);
    pull(peer);
  }

  /** The periodic pass: agreements followed, then every due partner caught up. */
  void sweep() {
    sweeps++;
    writeAcknowledgements();
    writeAnsweredWrites();
    sync.team().followAgreements(vertx).onFailure(e -> LOG.warn("following the agreements failed", e));
    Instant started = now();
    // Boards are shared on their own commits (the writer marks history pending); listing every shared board
    // is the safety net, and like the periodic pull it need not run every second.
    boolean safetyNet = !started.isBefore(lastFullPass.plus(PULL_EVERY));
    if (safetyNet) {
      lastFullPass = started;
    }
    sync.team().continueSharing(vertx, safetyNet);
    Set<String> partners = new HashSet<>();
    sync.federation().agreements().current().partners(sync.localNode(), now())
        .forEach(card -> partners.add(card.profile().name()));
    partners.removeIf(peer -> !sync.team().careTeamPartner().test(peer));
    for (String gone : careTeamPartners) {
      if (!partners.contains(gone)) {
        LOG.info("team sync with {} stopped: no active care-team agreement", gone);
        sync.team().stopped(gone, "no active agreement with the care-team scope");
      }
    }
    Set<String> before = careTeamPartners;
    careTeamPartners = Set.copyOf(partners);
    recovery.retry();
    Instant now = now();
    List<String> due = new ArrayList<>();
    for (String peer : partners) {
      PeerState state = state(peer);
      // Delivery and push run on every change of a board (its commit or its signing announces it) and when
      // a partner is heard from again; here only what is due: a retry after failures, a partner covered
      // again, and the periodic safety net with the pull. Doing all three every second cost each node eight
      // database reads a second while idle.
      if (!now.isBefore(state.retryAt) && (!before.contains(peer)
          || !now.isBefore(state.lastPull.plus(PULL_EVERY)) || state.failures > 0)) {
        due.add(peer);
      }
    }
    if (due.isEmpty()) {
      return;
    }
    // One read says which of them are owed anything (a pending write, an invitation, a board's events),
    // rather than three reads per partner: at 50 nodes that was 150 reads a second per node.
    sync.team().partnersOwed(due).onFailure(e -> LOG.warn("reading what partners are owed failed", e))
        .onSuccess(owed -> {
          for (String peer : due) {
            if (owed.contains(peer)) {
              deliver(peer);
              push(peer);
            }
            pull(peer);
          }
        });
  }

  /** Writes the acknowledgements heard since the last time, in one transaction. */
  Future<Void> writeAcknowledgements() {
    if (ackedUnwritten.isEmpty()) {
      return Future.succeededFuture();
    }
    List<TeamSync.Acknowledgement> taken = new ArrayList<>();
    for (String key : List.copyOf(ackedUnwritten)) {
      if (ackedUnwritten.remove(key)) {
        int split = key.indexOf(' ');
        taken.add(new TeamSync.Acknowledgement(key.substring(0, split), key.substring(split + 1), acked.get(key)));
      }
    }
    return sync.team().acknowledgeAll(taken).onFailure(e -> {
      taken.forEach(a -> ackedUnwritten.add(ackKey(a.peer(), a.boardId())));
      LOG.warn("writing partners' acknowledgements failed (tried again in a second)", e);
    });
  }

  /**
   * Settles in one transaction this node's writes its home node accepted a sweep or more ago that no apply of
   * the home's push settled meanwhile (a board this node no longer receives, an invitation declined).
   */
  Future<Void> writeAnsweredWrites() {
    List<TeamSync.Outgoing> due = answered.due(sweeps - 2);
    if (due.isEmpty()) {
      return Future.succeededFuture();
    }
    return sync.team().deliveredAll(due).onSuccess(v -> answered.written(due))
        .onFailure(e -> LOG.warn("settling writes their home node accepted failed (tried again at the next sweep)", e));
  }

  /** This node's own writes its replica now holds: their outbox rows were settled in the apply's transaction. */
  void writesApplied(List<String> eventIds) {
    answered.applied(eventIds);
  }

  private static String ackKey(String peer, String boardId) {
    return peer + " " + boardId;
  }

  /** The higher of what the database says a partner acknowledged of a board and what this node heard since. */
  private long ackedAtLeast(String peer, String boardId, long written) {
    return Math.max(written, acked.getOrDefault(ackKey(peer, boardId), 0L));
  }

  /** How many exchanges with a partner waited out the call timeout since this node started. */
  long timeouts(String peer) {
    PeerState state = peers.get(peer);
    return state == null ? 0 : state.timeouts;
  }

  Set<String> careTeamPartners() {
    return careTeamPartners;
  }

  // ----- one exchange at a time per partner and kind -------------------------------------------------

  private void exclusive(String key, Supplier<Future<Void>> work) {
    if (running.putIfAbsent(key, Future.succeededFuture()) != null) {
      again.add(key);
      return;
    }
    Future<Void> started;
    try {
      started = work.get();
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    running.put(key, started);
    started.onComplete(done -> {
      running.remove(key);
      if (done.failed()) {
        LOG.debug("{} did not finish: {}", key, done.cause().toString());
      }
      if (again.remove(key)) {
        exclusive(key, work);
      }
    });
  }

  /** This run of team sync ends: what its calls in flight fail with from now on is no partner's failure. */
  void stop() {
    stopped = true;
    recovery.stop();
  }

  void failed(String peer, Throwable cause) {
    if (stopped) {
      LOG.debug("a call to partner {} ended with team sync's stop ({})", peer, cause.getMessage());
      return;
    }
    outboxSettled.remove(peer); // writes may wait for it now: the next ones go in order, from the outbox
    PeerState state = state(peer);
    state.failures++;
    state.unreachable = state.unreachable || cause instanceof jp.tsunagu.node.federation.PeerCallException;
    if (cause instanceof jp.tsunagu.node.federation.PeerCallException call && call.code().equals("peer.timeout")) {
      state.timeouts++;
    }
    long millis = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(state.failures - 1, 16));
    state.retryAt = now().plusMillis(millis);
    // one line when a partner starts failing, not one per attempt (nor per local write while it is away)
    if (state.failures == 1) {
      LOG.warn("partner {} failed ({}): retrying with a backoff growing per attempt up to {} s", peer,
          cause.getMessage(), MAX_BACKOFF.toSeconds());
    } else {
      LOG.debug("partner {} failed again ({}), attempt {}, retry in {} ms", peer, cause.getMessage(), state.failures,
          millis);
    }
  }

  private void succeeded(String peer) {
    PeerState state = state(peer);
    if (state.failures > 0 && !state.unreachable) {
      // it answered again after failing otherwise than by being unreachable (which contacted() settles)
      state.failures = 0;
      state.retryAt = Instant.EPOCH;
      LOG.info("partner {} answers again", peer);
    }
    sync.federation().contacted(peer);
  }

  private boolean available(String peer) {
    return sync.team().careTeamPartner().test(peer);
  }

  // ----- home node: push -------------------------------------------------------------------------------

  private void push(String peer) {
    if (!available(peer)) {
      return;
    }
    everyBoard.add(peer);
    exclusive("push:" + peer, () -> pushDue(peer).onFailure(e -> failed(peer, e)));
  }

  /**
   * A board homed here changed: pushes that board alone to the partner. Every post is announced at its
   * commit and again once signed, so this runs twice a message; listing every board the partner receives
   * (and reading invitations, then the feed, each a trip to a storage thread) cost a home node several
   * reads a message and, with many boards shared with one partner, grew with them. A failure leaves the
   * partner due, and the sweep's retry pushes every board.
   */
  private void pushChanged(String peer, String boardId) {
    if (!available(peer)) {
      return;
    }
    synchronized (changedFor) {
      changedFor.computeIfAbsent(peer, p -> new LinkedHashSet<>()).add(boardId);
    }
    exclusive("push:" + peer, () -> pushDue(peer).onFailure(e -> failed(peer, e)));
  }

  /** What is due for a partner when its push runs: every board it receives, or the boards changed since. */
  private Future<Void> pushDue(String peer) {
    boolean all = everyBoard.remove(peer);
    Set<String> changed;
    Map<String, TeamSync.Receiver> justSigned;
    synchronized (changedFor) {
      changed = changedFor.remove(peer);
      justSigned = signedFor.remove(peer);
    }
    if (all) {
      return sync.team().offers(peer).compose(offers -> deliverOffers(peer, offers))
          .compose(v -> sync.team().sharedWith(peer)).compose(boards -> {
            Future<Void> chain = Future.succeededFuture();
            for (TeamSync.SharedBoard board : boards) {
              long from = ackedAtLeast(peer, board.boardId(), board.ackedSeq());
              if (board.latestSeq() > from) {
                chain = chain.compose(v -> pushBoard(peer, board.boardId(), from, 0));
              }
            }
            return chain;
          });
    }
    if (changed == null) {
      return Future.succeededFuture(); // a run asked for meanwhile found nothing left (an earlier one took it)
    }
    // boards a signing told of go from memory when the partner's next seq is there; the others are read
    List<TeamSync.BoardPage> fromMemory = new ArrayList<>();
    Set<String> toRead = new LinkedHashSet<>();
    for (String board : changed) {
      TeamSync.Receiver receiver = justSigned == null ? null : justSigned.get(board);
      if (receiver == null) {
        toRead.add(board);
        continue;
      }
      long from = ackedAtLeast(peer, board, receiver.acked());
      List<String> run = signedRecently.run(board, from, receiver.upTo(), PUSH_PAGE);
      if (!run.isEmpty()) {
        fromMemory.add(new TeamSync.BoardPage(board, from, run));
      } else if (from < Math.min(receiver.upTo(), signedRecently.head(board))) {
        toRead.add(board); // its next seq is no longer kept here
      }
    }
    Future<Void> sent = Future.succeededFuture();
    for (TeamSync.BoardPage page : fromMemory) {
      sent = sent.compose(w -> sendPage(peer, page.boardId(), page.after(), page.envelopes(), 0));
    }
    if (toRead.isEmpty()) {
      return sent;
    }
    return sent.compose(done -> {
      // one read: the invitations owed and the first page of each changed board the partner has not acknowledged
      Map<String, Long> heard = new java.util.HashMap<>();
      toRead.forEach(board -> heard.put(board, ackedAtLeast(peer, board, 0)));
      return sync.team().pushPlan(peer, heard, PUSH_PAGE).compose(plan -> deliverOffers(peer, plan.offers())
          .compose(v -> {
            Future<Void> chain = Future.succeededFuture();
            for (TeamSync.BoardPage page : plan.pages()) {
              chain = chain.compose(w -> sendPage(peer, page.boardId(), page.after(), page.envelopes(), 0));
            }
            return chain;
          }));
    });
  }

  /**
   * Delivers the invitations of the peer's professionals (and withdrawals) not delivered yet. One the
   * peer refuses for good (422) is not sent again; any other answer is tried again with the push.
   */
  private Future<Void> deliverOffers(String peer, List<TeamInvitations.Offer> offers) {
    if (offers.isEmpty()) {
      return Future.succeededFuture();
    }
    NodeCard card = sync.partner(peer);
    Future<Void> chain = Future.succeededFuture();
    for (var offer : offers) {
      chain = chain.compose(v -> client().call(card, HttpMethod.POST,
          String.format(FederationV1.INVITATION, offer.boardId()), Buffer.buffer(offer.envelope()), FederationV1.JOSE)
          .compose(reply -> {
            if (reply.status() == 200) {
              return sync.team().offerDelivered(peer, offer, null);
            }
            if (reply.status() == 422) {
              String code = ErrorResponse.parse(reply.body().toString()).code();
              LOG.info("{} refused the invitation to {}: {}", peer, offer.boardId(), code);
              return sync.team().offerDelivered(peer, offer, code);
            }
            return Future.failedFuture(new IllegalStateException(peer + " answered " + reply.status()
                + " to an invitation"));
          }));
    }
    return chain;
  }

  /** Events of a board sent per push request. */
  static final int PUSH_PAGE = 500;

  private Future<Void> pushBoard(String peer, String boardId, long after, int round) {
    return sync.team().feed(peer, boardId, after, PUSH_PAGE)
        .compose(envelopes -> sendPage(peer, boardId, after, envelopes, round));
  }

  /**
   * Sends a page of a board's events (seqs after+1 on, without gaps) and records the partner's answer. The
   * next page is read only when this one was full or the partner did not take all of it: events signed
   * since are announced and push again, so reading on after a short page found nothing but cost a read.
   */
  private Future<Void> sendPage(String peer, String boardId, long after, List<String> envelopes, int round) {
    if (envelopes.isEmpty()) {
      return Future.succeededFuture();
    }
    NodeCard card = sync.partner(peer);
    Buffer body = new JsonObject().put("events", new JsonArray(envelopes)).toBuffer();
    String sendingKey = ackKey(peer, boardId);
    Long last = after + envelopes.size();
    sending.merge(sendingKey, last, Math::max);
    return client().call(card, HttpMethod.POST, String.format(FederationV1.BOARD_EVENTS, boardId), body,
        "application/json").compose(reply -> {
          if (reply.status() != 200) {
            return Future.failedFuture(new IllegalStateException(peer + " refused events of " + boardId + ": "
                + reply.status() + " " + reply.body()));
          }
          succeeded(peer);
          JsonObject answer = new JsonObject(reply.body());
          long cursor = answer.getLong("cursor", 0L);
          List<TeamSync.Outcome> rejected = answer.getJsonArray("results", new JsonArray()).stream()
              .map(JsonObject.class::cast).filter(r -> "rejected".equals(r.getString("status")))
              .map(r -> new TeamSync.Outcome(r.getLong("seq", -1L), r.getString("event"), "rejected",
                  r.getString("code", "sync.rejected")))
              .toList();
          recovery.pushAnswered(peer, boardId, rejected);
          boolean more = envelopes.size() >= PUSH_PAGE || cursor < after + envelopes.size();
          return sync.team().rejectedBy(peer, boardId, rejected)
              // the page held seqs after+1 to after+size (the log has no gaps): a cursor past that may be past
              // this node's head, which only a restore from an older backup explains
              .compose(v -> {
                if (cursor > after + envelopes.size()) {
                  // past what was sent: written at once, never past this node's head (see PartnerFeeds)
                  return recovery.observed(peer, boardId, cursor)
                      .compose(w -> sync.team().acknowledge(peer, boardId, cursor));
                }
                String key = ackKey(peer, boardId);
                acked.merge(key, cursor, Math::max);
                ackedUnwritten.add(key);
                return Future.succeededFuture();
              })
              .compose(v -> more && cursor > after && round < 10_000
                  ? pushBoard(peer, boardId, cursor, round + 1)
                  : Future.succeededFuture());
        }).onComplete(done -> sending.remove(sendingKey, last)); // answered (acknowledged above) or failed
  }

  // ----- member node: outbox and pull ------------------------------------------------------------------

  /**
   * Drains the outbox to a home node a page per request, one page after another until it is empty; while
   * the home node's backoff runs, nothing is tried (a new write just waits: the sweep or the home node's
   * return starts the next attempt), so an attempt is a real call and the backoff grows per attempt.
   */
  private void deliver(String home) {
    if (!available(home)) {
      return;
    }
    exclusive("deliver:" + home, () -> drain(home, 0));
  }

  private Future<Void> drain(String home, int round) {
    if (now().isBefore(state(home).retryAt) || round > 10_000) {
      return Future.succeededFuture();
    }
    List<TeamSync.Outgoing> justSigned = takeSignedWrites(home);
    if (!justSigned.isEmpty()) {
      if (outboxSettled.contains(home) && !state(home).singleRoute
          && justSigned.size() <= FederationV1.SUBMISSION_PAGE_MAX
          && withinBytes(justSigned).size() == justSigned.size()) {
        // the next writes in order, all settled before them: sent from memory; a failure leaves them to the outbox
        return submitPage(home, justSigned, true);
      }
      leftToOutbox(home, justSigned);
    }
    return sync.team().outbox(home, FederationV1.SUBMISSION_PAGE_MAX).compose(read -> {
      readFromOutbox(home, read);
      List<TeamSync.Outgoing> writes = answered.notAnswered(read); // accepted already, their rows not written yet
      if (writes.isEmpty()) {
        if (read.size() < FederationV1.SUBMISSION_PAGE_MAX) {
          settledUnlessLeft(home);
        }
        return Future.succeededFuture();
      }
      List<TeamSync.Outgoing> page = withinBytes(writes);
      Future<Void> sent = state(home).singleRoute ? submitEach(home, page) : submitPage(home, page, false);
      return sent.compose(v -> {
        if (writes.size() == page.size() && read.size() < FederationV1.SUBMISSION_PAGE_MAX) {
          settledUnlessLeft(home); // every write read was sent and settled (a failure fails this future)
          return Future.succeededFuture();
        }
        return drain(home, round + 1);
      });
    });
  }

  /**
   * Marks a home node settled unless a write signed for it was left to the outbox and not read from it yet
   * (its signature not stored when this drain read): the next write sent from memory would overtake it.
   */
  private void settledUnlessLeft(String home) {
    synchronized (signedWrites) {
      Set<String> left = leftToOutbox.get(home);
      if (left == null || left.isEmpty()) {
        outboxSettled.add(home);
      } else {
        outboxSettled.remove(home);
      }
    }
  }

  /** The oldest writes whose envelopes together stay within a body a home node takes (at least one). */
  private static List<TeamSync.Outgoing> withinBytes(List<TeamSync.Outgoing> writes) {
    long bytes = 0;
    int count = 0;
    for (TeamSync.Outgoing write : writes) {
      bytes += write.envelope().length() + 4;
      if (count > 0 && bytes > PAGE_BYTES) {
        break;
      }
      count++;
    }
    return writes.subList(0, count);
  }

  /** Largest page body sent (a home node takes 64 MiB; a smaller page keeps one request short). */
  private static final long PAGE_BYTES = 8L * 1024 * 1024;

  /**
   * @param fromMemory writes sent as soon as signed: their home node pushes each back countersigned to this
   *                   node's replica, whose apply settles its outbox row in its own transaction, so an accepted
   *                   one is not written here (a commit a write on a member node); the sweep after the next
   *                   settles any no apply did. A page read from the outbox (a backlog) is settled at once.
   */
  private Future<Void> submitPage(String home, List<TeamSync.Outgoing> page, boolean fromMemory) {
    Buffer body = new JsonObject().put("events", new JsonArray(page.stream().map(TeamSync.Outgoing::envelope).toList()))
        .toBuffer();
    return client().call(sync.partner(home), HttpMethod.POST, FederationV1.SUBMISSIONS, body, "application/json")
        .recover(e -> retryAllLater(home, page, e)).compose(reply -> {
          if (reply.status() == 404 || reply.status() == 405) {
            // a home node from before pages: the single route, for this node from now on
            state(home).singleRoute = true;
            LOG.info("{} takes no pages of submissions ({}): sending one at a time", home, reply.status());
            return submitEach(home, page);
          }
          if (reply.status() != 200) {
            return retryAllLater(home, page, new IllegalStateException(home + " answered " + reply.status()
                + " to a page of submissions"));
          }
          succeeded(home);
          JsonArray results = new JsonObject(reply.body()).getJsonArray("results", new JsonArray());
          return settlePage(home, page, results, fromMemory);
        });
  }

  /** The home node's answer per write, in the page's order: accepted in one transaction, refusals one by one. */
  private Future<Void> settlePage(String home, List<TeamSync.Outgoing> page, JsonArray results,
      boolean fromMemory) {
    List<TeamSync.Outgoing> accepted = new ArrayList<>();
    List<TeamSync.Outgoing> again = new ArrayList<>();
    Future<Void> refusals = Future.succeededFuture();
    for (int i = 0; i < page.size(); i++) {
      TeamSync.Outgoing write = page.get(i);
      JsonObject result = i < results.size() && results.getValue(i) instanceof JsonObject r ? r : new JsonObject();
      String status = result.getString("status", "");
      if ("accepted".equals(status)) {
        accepted.add(write);
      } else if ("rejected".equals(status)) {
        String code = result.getString("code", "sync.rejected");
        LOG.info("{} refused write {}: {}", home, write.eventId(), code);
        refusals = refusals.compose(v -> sync.team().refused(write, code));
      } else {
        again.add(write);
      }
    }
    Future<Void> written;
    if (fromMemory) {
      answered.accepted(accepted, sweeps);
      written = Future.succeededFuture();
    } else {
      written = sync.team().deliveredAll(accepted);
    }
    Future<Void> settled = Future.all(written, refusals).mapEmpty();
    if (again.isEmpty()) {
      return settled;
    }
    return settled.compose(v -> retryAllLater(home, again, new IllegalStateException(home + " could not settle "
        + again.size() + " writes now")));
  }

  private <T> Future<T> retryAllLater(String home, List<TeamSync.Outgoing> writes, Throwable cause) {
    failed(home, cause);
    // writes sent from memory go from the outbox next, which needs their signatures stored; the signer's
    // announcement of them once stored is not one of a send from memory
    writes.forEach(write -> sentWhenSigned.remove(write.boardId()));
    sync.team().log().signer().storeHandedOver();
    return sync.team().retryAllLater(writes, state(home).retryAt).compose(v -> Future.failedFuture(cause));
  }

  /** The single route, one write after another (a home node without pages). */
  private Future<Void> submitEach(String home, List<TeamSync.Outgoing> writes) {
    Future<Void> chain = Future.succeededFuture();
    for (TeamSync.Outgoing write : writes) {
      chain = chain.compose(v -> submit(home, write));
    }
    return chain;
  }

  private Future<Void> submit(String home, TeamSync.Outgoing write) {
    String eventId = eventIdOf(write.envelope());
    return client().call(sync.partner(home), HttpMethod.POST,
        String.format(FederationV1.SUBMISSION, write.boardId(), eventId), Buffer.buffer(write.envelope()),
        FederationV1.JOSE).recover(e -> retryLater(home, write, e)).compose(reply -> {
          if (reply.status() == 200) {
            succeeded(home);
            return sync.team().delivered(write);
          }
          if (reply.status() == 422) {
            succeeded(home);
            String code = ErrorResponse.parse(reply.body().toString()).code();
            LOG.info("{} refused write {}: {}", home, eventId, code);
            return sync.team().refused(write, code);
          }
          return retryLater(home, write, new IllegalStateException(home + " answered " + reply.status()));
        });
  }

  private <T> Future<T> retryLater(String home, TeamSync.Outgoing write, Throwable cause) {
    failed(home, cause);
    return sync.team().retryLater(write, state(home).retryAt).compose(v -> Future.failedFuture(cause));
  }

  private static String eventIdOf(String compact) {
    String payload = new String(java.util.Base64.getUrlDecoder().decode(compact.split("\\.")[1]),
        java.nio.charset.StandardCharsets.UTF_8);
    return new JsonObject(payload).getString("id");
  }

  private void pull(String home) {
    if (!available(home)) {
      return;
    }
    state(home).lastPull = now();
    NodeCard card = sync.partner(home);
    exclusive("pull:" + home, () -> client().call(card, HttpMethod.GET, FederationV1.BOARDS, null, null)
        .compose(reply -> {
          if (reply.status() != 200) {
            return Future.failedFuture(new IllegalStateException(home + " answered " + reply.status()));
          }
          succeeded(home);
          JsonArray boards = new JsonObject(reply.body()).getJsonArray("boards", new JsonArray());
          return sync.team().replicas(home).compose(replicas -> {
            Map<String, Long> cursors = new java.util.HashMap<>();
            replicas.forEach(r -> cursors.put(r.boardId(), r.latestSeq()));
            Future<Void> chain = Future.succeededFuture();
            for (Object item : boards) {
              JsonObject board = (JsonObject) item;
              long cursor = cursors.getOrDefault(board.getString("id"), 0L);
              if (board.getLong("seq", 0L) > cursor) {
                chain = chain.compose(v -> pullBoard(card, board.getString("id"), cursor));
              }
            }
            return chain;
          });
        }).onFailure(e -> failed(home, e)));
  }

  /**
   * Pulls a board's events page by page. The next page is fetched and its signatures checked while
   * the current one is applied (the writer thread and the verifying workers overlap); each page is
   * applied in one transaction.
   */
  private Future<Void> pullBoard(NodeCard home, String boardId, long after) {
    return nextPage(home, boardId, after, after).compose(first -> {
      if (first.isEmpty()) {
        return Future.succeededFuture();
      }
      sync.pulling(boardId, true);
      return applyPages(home, boardId, first).eventually(() -> {
        sync.pulling(boardId, false);
        return Future.succeededFuture();
      });
    });
  }

  private Future<Void> applyPages(NodeCard home, String boardId, List<TeamSync.Incoming> page) {
    long last = page.stream().mapToLong(TeamSync.Incoming::seq).max().orElse(0L);
    long applied = page.stream().mapToLong(TeamSync.Incoming::seq).min().orElse(1L) - 1;
    Future<List<TeamSync.Incoming>> next = nextPage(home, boardId, last, applied);
    return sync.apply(vertx, home, boardId, page).compose(done -> next.compose(following ->
        following.isEmpty() || done.cursor() < last ? Future.succeededFuture()
            : applyPages(home, boardId, following)));
  }

  /** The page after {@code after}, checked; {@code acked} tells the home node how far this node has applied. */
  private Future<List<TeamSync.Incoming>> nextPage(NodeCard home, String boardId, long after, long acked) {
    String path = String.format(FederationV1.BOARD_EVENTS, boardId) + "?after=" + after + "&acked=" + acked;
    return client().call(home, HttpMethod.GET, path, null, null).compose(reply -> {
      if (reply.status() != 200) {
        return Future.failedFuture(new IllegalStateException(home.profile().name() + " answered " + reply.status()));
      }
      List<String> envelopes = new JsonObject(reply.body()).getJsonArray("events", new JsonArray()).stream()
          .map(String::valueOf).toList();
      return envelopes.isEmpty() ? Future.succeededFuture(List.<TeamSync.Incoming>of())
          : sync.verifySequenced(home.profile().name(), boardId, envelopes);
    });
  }
}
