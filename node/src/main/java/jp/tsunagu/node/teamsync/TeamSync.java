package jp.tsunagu.node.teamsync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.SequencedEvent;
import jp.tsunagu.federation.envelope.VerifiedEvent;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.replication.TeamData;
import jp.tsunagu.node.care.replication.TeamReplication;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.storage.Database;

/**
 * The team sync engine's work on the care data, as the wire and the schedule ({@link Sync},
 * {@link SyncEngine}, {@link SyncRoutes}) call it: one entry that hands each part to its own class.
 * As a board's home node it accepts partners' submissions ({@link Submissions}) and serves what
 * partners receive ({@link PartnerFeeds}); as a partner it applies the home node's events to its
 * replicas ({@link ReplicaApply}), delivers its own writes ({@link Outbox}) and keeps replicas only
 * as long as the agreements say ({@link ReplicaRetention}); invitations travel through
 * {@link InvitationDelivery}. What each event type means is the declaring feature's
 * ({@link TeamEventTypes}); the care data is reached only through the care feature's
 * {@link TeamData}. One per node, made by the node's composition root.
 */
public final class TeamSync {


  /** A board homed here that a partner receives, with its latest seq and what the partner acknowledged. */
  public record SharedBoard(String boardId, long latestSeq, long ackedSeq) {}

  /**
   * What waits for a partner: events or writes not yet delivered, and the age of the oldest; and how
   * many events of boards homed here it answered as rejected.
   */
  public record Backlog(long events, Optional<Instant> oldest, long rejected) {}

  /** A write of this node waiting for a home node. */
  public record Outgoing(String eventId, String boardId, String envelope, int attempts, Instant nextAttemptAt) {}

  /**
   * An event of a home node as it arrived, checked: the verified event, or why it could not be
   * (its code and message). {@code seq} and {@code eventId} are as claimed when it did not verify.
   */
  public record Incoming(long seq, String eventId, String envelope, Optional<SequencedEvent> event, String code,
      String message) {

    public static Incoming verified(SequencedEvent event) {
      return new Incoming(event.sequence(), event.origin().event().id(), event.compact(), Optional.of(event), null,
          null);
    }

    public static Incoming refused(long claimedSeq, String claimedId, String envelope, String code, String message) {
      return new Incoming(claimedSeq, claimedId, envelope, Optional.empty(), code, message);
    }
  }

  /** What became of one incoming event: accepted, held (had it already), rejected (with code) or deferred (a gap). */
  public record Outcome(long seq, String eventId, String status, String code) {

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("seq", seq).put("event", eventId).put("status", status);
      return code == null ? json : json.put("code", code);
    }
  }

  /** The replica's cursor after a page, and the outcome of each event in it. */
  public record Applied(long cursor, List<Outcome> outcomes) {}


  private final NodeServices services;
  private final AuditLog audit;
  private final TeamData data;
  private final SharedBoards shared;
  private final TeamLog log;
  private final Submissions submissions;
  private final ReplicaApply replicaApply;
  private final ReplicaRetention retention;
  private final Outbox outbox;
  private final InvitationDelivery invitations;
  private final PartnerFeeds feeds;
  private final ReplicaReturns returns;
  private final RecoveryApply recovery;

  public TeamSync(NodeServices services, Federation federation, TeamData data, SharedBoards shared,
      TeamEventTypes types) {
    this.services = services;
    this.audit = new AuditLog(services.database(), services.clock());
    this.data = data;
    this.shared = shared;
    this.log = shared.log();
    Predicate<String> careTeamPartner = shared.careTeamPartner();
    IncomingEventPolicy policy = new IncomingEventPolicy(data.users().localNode(), types);
    this.retention = new ReplicaRetention(services, federation, audit, data, careTeamPartner);
    this.submissions = new Submissions(services, audit, data, log, types, policy, careTeamPartner);
    this.replicaApply = new ReplicaApply(services, audit, data, types, policy, retention);
    this.outbox = new Outbox(services, audit, data, retention, types);
    this.invitations = new InvitationDelivery(services, audit, data,
        new TeamInvitations(services.keys().identity(), data, audit, services.clock(), careTeamPartner), retention);
    this.feeds = new PartnerFeeds(services, audit, data, shared, log, careTeamPartner, types);
    this.returns = new ReplicaReturns(services.database(), policy, careTeamPartner);
    this.recovery = new RecoveryApply(services.database(), audit, data, types, log);
  }



  TeamLog log() {
    return log;
  }

  AuditLog audit() {
    return audit;
  }

  TeamData data() {
    return data;
  }

  /** Whether a node shares an active agreement with the care-team scope with this one now. */
  public Predicate<String> careTeamPartner() {
    return shared.careTeamPartner();
  }

  private Database db() {
    return services.database();
  }

  /** Checks a partner's submission before its files are fetched (see {@link Submissions}). */
  public Future<Void> precheck(VerifiedEvent verified, String pathBoardId, long uploadLimit) {
    return submissions.precheck(verified, pathBoardId, uploadLimit);
  }

  /** Accepts a partner's event for a board homed here once: the countersigned envelope, or the refusal. */
  public Future<String> submit(Vertx vertx, VerifiedEvent verified) {
    return submissions.submit(vertx, verified);
  }

  /** A partner's submission with no files to fetch: checked and accepted in one write (see {@link Submissions}). */
  Future<String> submitWithoutFiles(Vertx vertx, VerifiedEvent verified, long uploadLimit,
      java.util.function.Consumer<String> committed) {
    return submissions.submitWithoutFiles(vertx, verified, uploadLimit, committed);
  }

  /** {@link #submit} for an event of a page, which announces its boards' changes once (see {@link Submissions}). */
  Future<String> submitOfPage(Vertx vertx, VerifiedEvent verified, java.util.function.Consumer<String> committed) {
    return submissions.submitOfPage(vertx, verified, committed);
  }

  /** Partners' submissions received since start, and repeats of accepted events among them. */
  Submissions.Counts submissionCounts() {
    return submissions.counts();
  }

  /** Applies a page of the home node's events to this node's replica (see {@link ReplicaApply}). */
  public Future<Applied> applySequenced(Vertx vertx, String home, String boardId, List<Incoming> page) {
    return replicaApply.applySequenced(vertx, home, boardId, page);
  }

  /** A partner answered events of a board homed here as rejected: kept and audited once. */
  public Future<Void> rejectedBy(String peer, String boardId, List<Outcome> rejected) {
    return feeds.rejectedBy(peer, boardId, rejected);
  }

  /** Writes the history of boards being shared for the first time (see {@link PartnerFeeds}). */
  public void continueSharing(Vertx vertx, boolean always) {
    feeds.continueSharing(vertx, always);
  }

  /** Invitations of the peer's professionals to boards homed here not yet delivered, each signed. */
  public Future<List<TeamInvitations.Offer>> offers(String peer) {
    return invitations.offers(peer);
  }

  /** The peer took the offer, or refused it with {@code refusedCode}: either way it is not sent again. */
  public Future<Void> offerDelivered(String peer, TeamInvitations.Offer offer, String refusedCode) {
    return invitations.offerDelivered(peer, offer, refusedCode);
  }

  /** An invitation (or withdrawal) signed by a board's home node, its signature verified. */
  public Future<Void> receiveInvitation(Vertx vertx, VerifiedEvent verified, String sender, String pathBoardId) {
    return invitations.receiveInvitation(vertx, verified, sender, pathBoardId);
  }

  /** The countersigned events of a board after a seq, if {@code peer} receives that board. */
  public Future<List<String>> feed(String peer, String boardId, long after, int limit) {
    return feeds.feed(peer, boardId, after, limit);
  }

  /** A page of a board's countersigned events for a partner: those after {@code after}, in seq order. */
  record BoardPage(String boardId, long after, List<String> envelopes) {}

  /** What a push to a partner sends now: the invitations owed to it and a page per board with news for it. */
  record PushPlan(List<TeamInvitations.Offer> offers, List<BoardPage> pages) {}

  /**
   * The invitations owed to {@code peer} and, of {@code boards} (each with the seq the partner is known to
   * have taken beside the database), the first page of events past what it acknowledged of each board homed
   * here it receives: one read, where {@link #offers}, {@link #sharedWith}
   * and {@link #feed} are three.
   */
  Future<PushPlan> pushPlan(String peer, java.util.Map<String, Long> boards, int limit) {
    if (!careTeamPartner().test(peer)) {
      return Future.failedFuture(new jp.tsunagu.node.care.replication.SyncRejection("sync.scope_missing",
          "no care-team agreement with " + peer));
    }
    return db().read(c -> new PushPlan(invitations.offers(c, peer), feeds.pages(c, peer, boards, limit)));
  }

  /** A partner receiving a board homed here: up to which seq, and how far it acknowledged in the database. */
  record Receiver(long upTo, long acked) {}

  /**
   * The care-team partners that receive a board homed here (none for a replica or an unknown board), each
   * with its bound and acknowledged seq: one read, made beside the commit of the board's new signatures.
   */
  Future<java.util.Map<String, Receiver>> receivers(String boardId) {
    return db().read(c -> {
      java.util.Map<String, Receiver> receivers = new java.util.LinkedHashMap<>();
      if (TeamLogSql.board(c, boardId).map(b -> !b.local()).orElse(true)) {
        return receivers;
      }
      for (var receiver : TeamLogSql.receivers(c, boardId).entrySet()) {
        if (careTeamPartner().test(receiver.getKey())) {
          receivers.put(receiver.getKey(), new Receiver(receiver.getValue(),
              TeamLogSql.ackedSeq(c, receiver.getKey(), boardId)));
        }
      }
      return receivers;
    });
  }

  /** The boards homed here that {@code peer} receives. */
  public Future<List<SharedBoard>> sharedWith(String peer) {
    return feeds.sharedWith(peer);
  }

  /** A partner's answer to a push: it holds a board up to a seq. */
  record Acknowledgement(String peer, String boardId, long seq) {}

  /** Records several partners' acknowledgements in one transaction (see {@link #acknowledge}). */
  Future<Void> acknowledgeAll(List<Acknowledgement> acknowledgements) {
    return feeds.acknowledgeAll(acknowledgements);
  }

  public Future<Void> acknowledge(String peer, String boardId, long seq) {
    return feeds.acknowledge(peer, boardId, seq);
  }

  /** Of {@code partners}, those owed a write, an invitation or events (a superset; one read for all). */
  Future<java.util.Set<String>> partnersOwed(List<String> partners) {
    return partners.isEmpty() ? Future.succeededFuture(java.util.Set.of())
        : db().read(c -> TeamLogSql.partnersOwed(c, partners));
  }

  /** Events not yet acknowledged by a partner (as home) plus this node's writes waiting for it. */
  public Future<Backlog> backlog(String peer) {
    return feeds.backlog(peer);
  }

  /** Whether {@code peer} may fetch the file: it is on a post of a board the peer receives or is home of. */
  public Future<Boolean> attachmentServable(String peer, String sha256) {
    return feeds.attachmentServable(peer, sha256);
  }

  /** How many of this node's writes wait for their home nodes. */
  public Future<Long> waiting() {
    return outbox.waiting();
  }

  public Future<List<Outgoing>> outbox(String homeNode, int limit) {
    return outbox.outbox(homeNode, limit);
  }

  /** The home node accepted a write of this node. */
  public Future<Void> delivered(Outgoing write) {
    return outbox.delivered(write);
  }

  /** The home node refused a write: it stays refused, and a refused post shows so. */
  public Future<Void> refused(Outgoing write, String code) {
    return outbox.refused(write, code);
  }

  public Future<Void> retryLater(Outgoing write, Instant next) {
    return outbox.retryLater(write, next);
  }

  /** The home node accepted these writes of this node: settled in one transaction. */
  Future<Void> deliveredAll(List<Outgoing> writes) {
    return outbox.deliveredAll(writes);
  }

  /** These writes wait for their home node until {@code next}: one transaction. */
  Future<Void> retryAllLater(List<Outgoing> writes, Instant next) {
    return outbox.retryAllLater(writes, next);
  }

  /** This node's live replicas of boards homed at a node, with their cursors. */
  public Future<List<SharedBoard>> replicas(String homeNode) {
    return retention.replicas(homeNode);
  }

  /** Freezes and purges replicas as the agreements say (see {@link ReplicaRetention}). */
  public Future<Void> followAgreements(Vertx vertx) {
    return retention.followAgreements(vertx);
  }

  /** How far this node's copy of a board has applied the home node's events (0 for none). */
  public Future<Long> cursor(String boardId) {
    return db().read(c -> TeamLogSql.latestSeq(c, boardId));
  }

  /** The event ids this node's log of a board holds from seq {@code from} to {@code upTo}, by seq. */
  Future<java.util.Map<Long, String>> heldIds(String boardId, long from, long upTo) {
    return from > upTo ? Future.succeededFuture(java.util.Map.of())
        : db().read(c -> TeamLogSql.eventIds(c, boardId, from, upTo));
  }

  /**
   * Where a change on a board goes: its home node (a copy of a partner's board) when a signed write of this
   * node waits for it; else the partners that receive the board, with the last seq a push could send them
   * ({@code signedHead}: a change whose event is not signed yet has nothing for them until its signer
   * announces it again), and the partners owed an invitation on it (pushed whatever the seq). Also, for a board
   * homed here, every partner that receives it with its bound and acknowledged seq, and the board's head when
   * read: a signing of events up to that head pushes to them without reading them again.
   */
  public record Destinations(Optional<String> home, List<String> partners, long signedHead, List<String> invited,
      java.util.Map<String, Receiver> receivers, long head) {}

  /**
   * A replica board's home node, if this node's signed writes wait for it; for a board homed here, the
   * partners that receive it (none while it is not shared) and the nodes owed an invitation (or its
   * withdrawal) on it. One read: every post, comment and 既読 asks it after its commit, most often of a
   * board no partner takes part in, and each read is a trip to a storage thread and back.
   */
  public Future<Destinations> destinations(String boardId) {
    destinationLooks.increment();
    return db().read(c -> {
      Optional<TeamLogSql.BoardHome> board = TeamLogSql.board(c, boardId);
      Optional<String> home = board.flatMap(TeamLogSql.BoardHome::homeNode);
      if (home.isPresent()) {
        // a replica changes on every event its home pushes; only a signed write of this node is delivered (one
        // still unsigned is announced again once signed), so most changes need no read of the outbox
        return new Destinations(OutboxSql.pendingOutbox(c, home.get(), 1).isEmpty() ? Optional.empty() : home,
            List.of(), 0, List.of(), java.util.Map.of(), 0);
      }
      List<String> partners = new java.util.ArrayList<>();
      java.util.Map<String, Receiver> receivers = new java.util.LinkedHashMap<>();
      long signedHead = 0;
      long head = board.filter(TeamLogSql.BoardHome::local).isPresent() ? TeamLogSql.latestSeq(c, boardId) : 0;
      if (head > 0) {
        // the partners with a professional on the board (or one who left, until they have heard of it)
        for (var receiver : TeamLogSql.receivers(c, boardId).entrySet()) {
          long upTo = receiver.getValue();
          long acked = TeamLogSql.ackedSeq(c, receiver.getKey(), boardId);
          receivers.put(receiver.getKey(), new Receiver(upTo, acked));
          if (upTo == Long.MAX_VALUE || upTo > acked) {
            partners.add(receiver.getKey());
          }
        }
        signedHead = partners.isEmpty() ? 0 : TeamLogSql.signedHead(c, boardId);
      }
      return new Destinations(Optional.empty(), partners, signedHead, TeamInvitations.undeliveredNodes(c, boardId),
          receivers, head);
    });
  }

  /** The boards homed here held while this node takes back what partners hold beyond its log. */
  RecoveringBoards recovering() {
    return shared.recovering();
  }

  /** The head of a board homed here, empty for a replica or a board not here. */
  Future<Optional<Long>> homeHead(String boardId) {
    return db().read(c -> TeamLogSql.board(c, boardId).filter(TeamLogSql.BoardHome::local).isPresent()
        ? Optional.of(TeamLogSql.latestSeq(c, boardId)) : Optional.<Long>empty());
  }

  /** Puts back events of a board homed here that a partner gave back, verified (see {@link RecoveryApply}). */
  Future<RecoveryApply.Restored> restore(Vertx vertx, String partner, String boardId, List<SequencedEvent> events) {
    return recovery.restore(vertx, partner, boardId, events);
  }

  /** This node's replicas of boards homed at {@code home}, with their cursors (asked by that home node). */
  Future<List<ReplicaReturns.Cursor>> replicaCursors(String home) {
    return returns.cursors(home);
  }

  /** A page of this node's replica of a board, for its home node only (see {@link ReplicaReturns}). */
  Future<ReplicaReturns.Page> replicaEvents(String caller, String boardId, long after, int limit) {
    return returns.events(caller, boardId, after, limit);
  }

  /** Records on this node that flows with a partner stopped (withdrawal or expiry). */
  public Future<Void> stopped(String peer, String reason) {
    return audit.record(AuditEvent.success("system", "sync.peer.stopped", "node:" + peer,
        new JsonObject().put("reason", reason)));
  }

  public Path attachmentFile(String sha256) {
    return data.attachmentFile(sha256);
  }

  /** The files the events name that this node does not hold yet. */
  public List<String> missingFiles(List<Event> events) {
    return data.missingFiles(events);
  }

  /** Stores a file that arrived from a partner, after checking it is what its hash says. Blocking. */
  public void storeArrived(String sha256, byte[] content) {
    data.storeArrived(sha256, content);
  }

  /**
   * Tells the sync engine that the board changed (to push it), once the write is committed; its live
   * views hear of it from the live events the write kept ({@code TeamData.keepLive}).
   */
  static void announce(Vertx vertx, String boardId) {
    vertx.eventBus().publish(TeamReplication.BOARD_CHANGED, boardId);
  }

  /** The header of a replica's announcement naming the home node whose events it applied. */
  static final String APPLIED_FROM_HEADER = "applied-from";

  /**
   * As {@link #announce}, for events of a board homed elsewhere just applied to its replica: the announcement
   * names the home node, so that the sync engine can tell without a read that nothing of this node waits for it.
   */
  static void announceApplied(Vertx vertx, String boardId, String home) {
    vertx.eventBus().publish(TeamReplication.BOARD_CHANGED, boardId,
        new io.vertx.core.eventbus.DeliveryOptions().addHeader(APPLIED_FROM_HEADER, home));
  }

  /** For tests: the looks at where a board's changes go (each a read) since this node started. */
  long destinationLooks() {
    return destinationLooks.sum();
  }

  private final java.util.concurrent.atomic.LongAdder destinationLooks = new java.util.concurrent.atomic.LongAdder();
}
