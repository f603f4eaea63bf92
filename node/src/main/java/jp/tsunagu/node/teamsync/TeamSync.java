package jp.tsunagu.node.teamsync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.SequencedEvent;
import jp.tsunagu.federation.envelope.VerifiedEvent;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.replication.EventFields;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.care.replication.TeamData;
import jp.tsunagu.node.care.replication.TeamEvents;
import jp.tsunagu.node.care.replication.TeamReplication;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.feature.TeamEventType.Arrival;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.storage.Database;

/**
 * The team sync engine's work on the care data: accepting a partner's submission on a board homed
 * here, applying the home node's events to replicas, the feed a partner may read, the outbox, and
 * freezing and purging replicas. The wire and the schedule are {@link Sync} and {@link SyncEngine};
 * what each event type means is the declaring feature's ({@link TeamEventTypes}); the care data is
 * reached only through the care feature's {@link TeamData}. One per node, made by the node's
 * composition root.
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

  private final NodeServices services;
  private final Federation federation;
  private final AuditLog audit;
  private final TeamData data;
  private final SharedBoards shared;
  private final TeamLog log;
  private final TeamEventTypes types;
  private final IncomingEventPolicy policy;
  private final TeamInvitations invitations;

  public TeamSync(NodeServices services, Federation federation, TeamData data, SharedBoards shared,
      TeamEventTypes types) {
    this.services = services;
    this.federation = federation;
    this.audit = new AuditLog(services.database(), services.clock());
    this.data = data;
    this.shared = shared;
    this.log = shared.log();
    this.types = types;
    this.policy = new IncomingEventPolicy(data.users().localNode(), types);
    this.invitations = new TeamInvitations(services.keys().identity(), data, audit, services.clock(),
        careTeamPartner());
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

  private String now() {
    return services.clock().instant().toString();
  }

  /** Most attachments one post may carry from a partner (as many as the post form allows). */
  static final int ATTACHMENTS_MAX = 10;

  /**
   * The checks on a partner's submission that need nothing fetched, made before its attachment files
   * are fetched from the origin: the incoming-event policy, the care-team scope, the board homed here,
   * the author a member now, the files it names few and within the upload limit. An event already
   * accepted or refused passes (its answer is the one given before). A refusal is kept and audited.
   */
  public Future<Void> precheck(VerifiedEvent verified, String pathBoardId, long uploadLimit) {
    Event event = verified.event();
    return db().<Void>read(c -> {
      if (TeamLogSql.acceptedEnvelope(c, event.id()).isPresent() || RefusalSql.rejection(c, event.id()).isPresent()) {
        return null;
      }
      if (!careTeamPartner().test(event.origin())) {
        throw new SyncRejection("sync.scope_missing", "no active agreement with the care-team scope covers "
            + event.origin());
      }
      policy.checkSubmission(event, pathBoardId);
      TeamLogSql.board(c, pathBoardId).filter(b -> b.local() && "patient".equals(b.kind()))
          .orElseThrow(() -> new SyncRejection("sync.board_unknown", "no patient board " + pathBoardId
              + " is homed here"));
      String author = EventFields.requireText(EventFields.object(new JsonObject(event.data()), "author"), "id");
      if (data.member(c, pathBoardId, author).isEmpty()) {
        throw new SyncRejection("sync.not_a_member", author + " is not a member of board " + pathBoardId);
      }
      checkDeclaredFiles(event, uploadLimit);
      return null;
    }).recover(failure -> failure instanceof CodedException refusal && refusal.kind().isRefusal()
        ? rememberRefusal(verified, refusal).compose(r -> Future.<Void>failedFuture(r))
        : Future.<Void>failedFuture(failure));
  }

  /** The files a post names: at most {@link #ATTACHMENTS_MAX}, each declared within the upload limit. */
  private static void checkDeclaredFiles(Event event, long uploadLimit) {
    if (!event.type().equals(TeamEvents.POST)) {
      return;
    }
    JsonObject post = EventFields.object(new JsonObject(event.data()), "post");
    io.vertx.core.json.JsonArray files = post.getValue("attachments") instanceof io.vertx.core.json.JsonArray a ? a
        : new io.vertx.core.json.JsonArray();
    if (files.size() > ATTACHMENTS_MAX) {
      throw new SyncRejection("sync.attachments_too_many", "a post carries at most " + ATTACHMENTS_MAX + " files");
    }
    for (Object item : files) {
      Object size = item instanceof JsonObject a ? a.getValue("size") : null;
      if (!(size instanceof Number n) || n.longValue() < 0 || n.longValue() > uploadLimit) {
        throw new SyncRejection("sync.attachment_too_large", "a file is declared larger than " + uploadLimit
            + " bytes (or with no size)");
      }
    }
  }

  /**
   * A partner's event for a board homed here, its origin signature already verified. Accepted once:
   * the same event again gets the same countersigned envelope, a refused one the same refusal.
   * Returns the countersigned envelope, or fails with the {@link SyncRejection}.
   */
  public Future<String> submit(Vertx vertx, VerifiedEvent verified) {
    Event event = verified.event();
    String boardId = event.targets().get(0);
    return db().write(c -> {
      Optional<String> accepted = TeamLogSql.acceptedEnvelope(c, event.id());
      if (accepted.isPresent()) {
        if (!embeddedOrigin(accepted.get()).equals(verified.compact())) {
          throw CodedException.conflict(REPLAYED, "event " + event.id() + " was accepted with other content");
        }
        return new Accepted(accepted.get(), List.<LiveNotice>of());
      }
      Optional<String[]> refused = RefusalSql.rejection(c, event.id());
      if (refused.isPresent()) {
        throw new SyncRejection(refused.get()[0], refused.get()[1]);
      }
      if (!careTeamPartner().test(event.origin())) {
        throw new SyncRejection("sync.scope_missing", "no active agreement with the care-team scope covers "
            + event.origin());
      }
      TeamLogSql.BoardHome board = TeamLogSql.board(c, boardId).filter(b -> b.local() && "patient".equals(b.kind()))
          .orElseThrow(() -> new SyncRejection("sync.board_unknown", "no patient board " + boardId + " is homed here"));
      policy.checkObjects(c, boardId, event);
      List<LiveNotice> notices = types.of(event).applier().apply(c, event, Arrival.SUBMITTED);
      String countersigned = log.sequence(c, board.boardId(), verified);
      audit.append(c, AuditEvent.success(authorOf(event), "sync.event.accepted", "patient:" + boardId,
          new JsonObject().put("event", event.id()).put("type", event.type()).put("origin", event.origin())));
      return new Accepted(countersigned, notices);
    }).recover(failure -> failure instanceof CodedException refusal && refusal.kind().isRefusal()
        && !REPLAYED.equals(refusal.code())
        ? rememberRefusal(verified, refusal).compose(stored -> Future.failedFuture(stored))
        : Future.failedFuture(failure))
        .map(done -> {
          publish(vertx, done.notices(), boardId);
          return done.envelope();
        });
  }

  private record Accepted(String envelope, List<LiveNotice> notices) {}

  /** An event id already accepted, sent again with other content: refused, the accepted one stays. */
  private static final String REPLAYED = "sync.event_replayed";

  /** The origin's envelope inside a countersigned one (stored by this node, so no check is needed here). */
  static String embeddedOrigin(String countersigned) {
    String payload = new String(java.util.Base64.getUrlDecoder().decode(countersigned.split("\\.")[1]),
        java.nio.charset.StandardCharsets.UTF_8);
    return new JsonObject(payload).getString("event");
  }

  /** Refusals kept per origin and day; past it a refusal is answered but neither kept nor audited. */
  static final int REFUSALS_KEPT_PER_DAY = 1000;

  /**
   * Keeps a refusal (event id, origin, code, hash and size: never the content) so the same event
   * gets the same answer, and audits it, up to {@link #REFUSALS_KEPT_PER_DAY} per origin; the day it
   * is reached is audited once.
   */
  private Future<SyncRejection> rememberRefusal(VerifiedEvent verified, CodedException refusal) {
    Event event = verified.event();
    SyncRejection rejection = refusal instanceof SyncRejection s ? s
        : new SyncRejection(refusal.code(), refusal.getMessage());
    String boardId = event.targets().get(0);
    byte[] bytes = verified.compact().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return db().write(c -> {
      Instant now = services.clock().instant();
      long kept = RefusalSql.refusalsSince(c, event.origin(), now.minus(Duration.ofDays(1)).toString());
      if (kept > REFUSALS_KEPT_PER_DAY) {
        return rejection;
      }
      if (kept == REFUSALS_KEPT_PER_DAY) {
        RefusalSql.insertRejection(c, "cap:" + event.origin() + ":" + now, event.origin(), boardId,
            "sync.refusals_capped", "further refusals today are not kept", null, 0, now.toString());
        audit.append(c, AuditEvent.refused("node:" + event.origin(), "sync.refusals_capped", "node:" + event.origin(),
            new JsonObject().put("kept", kept)));
        return rejection;
      }
      RefusalSql.insertRejection(c, event.id(), event.origin(), boardId, rejection.code(), rejection.getMessage(),
          jp.tsunagu.federation.crypto.Sha256.hex(bytes), bytes.length, now.toString());
      audit.append(c, AuditEvent.refused(authorOf(event), "sync.event.rejected", "board:" + boardId,
          new JsonObject().put("event", event.id()).put("type", event.type()).put("origin", event.origin())
              .put("code", rejection.code())));
      return rejection;
    });
  }

  private static String authorOf(Event event) {
    Object author = event.data().get("author");
    Object id = author instanceof Map<?, ?> map ? map.get("id") : null;
    return id instanceof String text ? text : event.origin();
  }

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

  /**
   * Applies a page of the home node's events to this node's replica in one transaction, in sequence
   * order from the board's cursor. Each event stands alone: one that did not verify, or whose content
   * this replica cannot take, is rolled back to its savepoint and kept as skipped with its code (its
   * seq counts as passed), and the events after it still apply. Events at or below the cursor are
   * held already; those after a gap wait (deferred). Runs on the writer thread.
   */
  public Future<Applied> applySequenced(Vertx vertx, String home, String boardId, List<Incoming> page) {
    List<LiveNotice> notices = new ArrayList<>();
    List<String> purged = new ArrayList<>();
    List<Incoming> ordered = page.stream().sorted(java.util.Comparator.comparingLong(Incoming::seq)).toList();
    return db().write(c -> {
      notices.clear();
      purged.clear();
      long cursor = TeamLogSql.latestSeq(c, boardId);
      Optional<TeamLogSql.BoardHome> board = TeamLogSql.board(c, boardId);
      if (board.isEmpty()) {
        return refusedWhole(c, home, boardId, ordered, "sync.board_not_shared");
      }
      if (!board.get().homeNode().map(home::equals).orElse(false)) {
        return refusedWhole(c, home, boardId, ordered, "sync.not_home_node");
      }
      List<Outcome> outcomes = new ArrayList<>(ordered.size());
      String now = now();
      for (Incoming in : ordered) {
        if (in.event().isEmpty()) {
          boolean passable = in.seq() == cursor + 1 && TeamLogSql.board(c, boardId)
              .flatMap(TeamLogSql.BoardHome::homeNode).map(home::equals).orElse(false);
          if (passable) { // its seq is the home node's (it sent it over its own pinned connection)
            skip(c, boardId, in, in.code(), in.message(), now);
            cursor = in.seq();
          }
          outcomes.add(new Outcome(in.seq(), in.eventId(), "rejected", in.code()));
          continue;
        }
        if (in.seq() <= cursor) {
          outcomes.add(new Outcome(in.seq(), in.eventId(), "held", null));
          continue;
        }
        if (in.seq() != cursor + 1) {
          outcomes.add(new Outcome(in.seq(), in.eventId(), "deferred", null));
          continue;
        }
        java.sql.Savepoint before = c.setSavepoint();
        try {
          notices.addAll(applyOne(c, boardId, in.event().get()));
          c.releaseSavepoint(before);
          outcomes.add(new Outcome(in.seq(), in.eventId(), "accepted", null));
        } catch (CodedException | ClassCastException | IllegalArgumentException | java.sql.SQLException refused) {
          String code = refusalCode(refused);
          c.rollback(before);
          skip(c, boardId, in, code, refused.getMessage(), now);
          outcomes.add(new Outcome(in.seq(), in.eventId(), "rejected", code));
        }
        cursor = in.seq();
      }
      boolean oneOfOursLeft = ordered.stream().flatMap(in -> in.event().stream()).map(e -> e.origin().event())
          .anyMatch(this::endsLocalMembership);
      if (oneOfOursLeft && TeamLogSql.board(c, boardId).isPresent() && !ReplicaSql.anyLocalMember(c, boardId)) {
        purged.addAll(ReplicaSql.purge(c, boardId));
        audit.append(c, AuditEvent.success("system", "sync.replica.purged", "patient:" + boardId,
            new JsonObject().put("reason", "no professional of this node is in the team any more")));
      }
      return new Applied(cursor, outcomes);
    }).compose(applied -> deleteUnreferencedFiles(purged).map(applied))
        .onSuccess(applied -> publish(vertx, notices, boardId));
  }

  /**
   * A page for a board no professional of this node was invited to, or sent by a node that is not
   * the board's home: refused whole, and nothing of it is kept (a partner cannot fill this node's
   * disk with boards it made up, nor move the cursor of another node's board); audited once per page.
   */
  private Applied refusedWhole(Connection c, String sender, String boardId, List<Incoming> page, String code)
      throws SQLException {
    audit.append(c, AuditEvent.refused("node:" + sender, "sync.board.refused", "board:" + boardId,
        new JsonObject().put("code", code).put("events", page.size())));
    return new Applied(0, page.stream().map(in -> new Outcome(in.seq(), in.eventId(),
        "rejected", code)).toList());
  }

  /**
   * The code of an event this replica cannot take: its own code, or malformed content (a value of
   * the wrong type, an id that clashes). Any other database failure is no verdict on the event and
   * fails the whole page, to be tried again.
   */
  private static String refusalCode(Exception refused) throws SQLException {
    if (refused instanceof CodedException coded) {
      if (!coded.kind().isRefusal()) {
        throw coded;
      }
      return coded.code();
    }
    if (refused instanceof org.sqlite.SQLiteException e && !e.getResultCode().name().startsWith("SQLITE_CONSTRAINT")) {
      throw e;
    }
    return "sync.event_malformed";
  }

  private void skip(Connection c, String boardId, Incoming in, String code, String message, String now)
      throws SQLException {
    RefusalSql.insertSkipped(c, boardId, in.seq(), in.eventId(), code, message, in.envelope(), now);
    audit.append(c, AuditEvent.refused("system", "sync.event.skipped", "board:" + boardId,
        new JsonObject().put("seq", in.seq()).put("event", in.eventId()).put("code", code)));
  }

  /** A partner answered events of a board homed here as rejected: kept (peers status counts them) and audited once. */
  public Future<Void> rejectedBy(String peer, String boardId, List<Outcome> rejected) {
    if (rejected.isEmpty()) {
      return Future.succeededFuture();
    }
    return db().write(c -> {
      for (Outcome outcome : rejected) {
        if (RefusalSql.insertPushRejection(c, peer, boardId, outcome.seq(), outcome.eventId(), outcome.code(), now())) {
          audit.append(c, AuditEvent.refused("node:" + peer, "sync.push.rejected", "patient:" + boardId,
              new JsonObject().put("seq", outcome.seq()).put("event", outcome.eventId()).put("code", outcome.code())));
        }
      }
      return null;
    });
  }

  /** A membership of one of this node's professionals ended (left, removed, declined). */
  private boolean endsLocalMembership(Event event) {
    Object member = event.data().get("member");
    return event.type().equals(TeamEvents.MEMBER) && !"active".equals(event.data().get("status"))
        && member instanceof String id && FederatedId.tryParse(id)
            .map(f -> f.node().equals(data.users().localNode())).orElse(false);
  }

  private List<LiveNotice> applyOne(Connection c, String boardId, SequencedEvent sequenced)
      throws SQLException {
    Event event = sequenced.origin().event();
    policy.checkSequenced(c, boardId, event);
    List<LiveNotice> notices;
    if (event.origin().equals(data.users().localNode()) && OutboxSql.inOutbox(c, event.id())) {
      if (event.type().equals(TeamEvents.POST)) {
        data.settlePost(c, event.targets().get(1), boardId);
      }
      OutboxSql.settleOutbox(c, event.id(), "accepted", null, now());
      notices = List.of(new LiveNotice(boardId, new JsonObject().put("type", "sync")));
    } else {
      policy.checkObjects(c, boardId, event);
      notices = types.of(event).applier().apply(c, event, Arrival.SEQUENCED);
    }
    TeamLogSql.insertEvent(c, boardId, sequenced.sequence(), event.id(), event.type(), event.origin(),
        sequenced.compact(), sequenced.acceptedAt().toString());
    return notices;
  }

  private void publish(Vertx vertx, List<LiveNotice> notices, String boardId) {
    notices.forEach(notice -> data.tellLive(vertx, notice));
    vertx.eventBus().publish(TeamReplication.BOARD_CHANGED, boardId);
  }

  private final java.util.concurrent.atomic.AtomicBoolean sharing = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Writes the history of boards being shared for the first time, one chunk per transaction (other
   * writes go in between), each chunk announced for push at once. One pass at a time per node;
   * called after every board change (a pass only when a history was begun since the last) and by the
   * sync sweep ({@code always}: so a restart goes on where it stopped).
   */
  public void continueSharing(Vertx vertx, boolean always) {
    if (!(shared.takeHistoryPending() || always)) {
      return;
    }
    if (!sharing.compareAndSet(false, true)) {
      shared.historyStillPending(); // the pass under way may have listed the boards before this one began
      return;
    }
    db().read(TeamLogSql::boardsBeingShared).compose(boards -> {
      Future<Void> chain = Future.succeededFuture();
      for (String boardId : boards) {
        chain = chain.compose(v -> shareHistory(vertx, boardId));
      }
      return chain;
    }).onComplete(done -> {
      sharing.set(false);
      if (done.failed()) {
        shared.historyStillPending(); // tried again at the next sweep
      }
    });
  }

  private Future<Void> shareHistory(Vertx vertx, String boardId) {
    return db().write(c -> log.shareNext(c, boardId)).compose(more -> {
      vertx.eventBus().publish(TeamReplication.BOARD_CHANGED, boardId);
      return more ? shareHistory(vertx, boardId) : Future.succeededFuture();
    });
  }

  // ----- invitations of partners' professionals (see TeamInvitations) -------------------------------

  /** Invitations of the peer's professionals to boards homed here not yet delivered, each signed. */
  public Future<List<TeamInvitations.Offer>> offers(String peer) {
    return db().read(c -> invitations.pending(c, peer));
  }

  /** The peer took the offer, or refused it with {@code refusedCode}: either way it is not sent again. */
  public Future<Void> offerDelivered(String peer, TeamInvitations.Offer offer, String refusedCode) {
    return db().write(c -> {
      invitations.delivered(c, peer, offer, refusedCode);
      return null;
    });
  }

  /** The nodes owed an invitation (or its withdrawal) on a board homed here. */
  public Future<List<String>> invitedNodes(String boardId) {
    return db().read(c -> TeamInvitations.undeliveredNodes(c, boardId));
  }

  /**
   * An invitation (or withdrawal) signed by a board's home node, its signature verified. Kept as an
   * invitation of this node's professional; a withdrawn invitation of a board that never shared its
   * history here is purged. Fails with the {@link SyncRejection}, audited, when a check fails.
   */
  public Future<Void> receiveInvitation(Vertx vertx, VerifiedEvent verified, String sender, String pathBoardId) {
    List<String> purged = new ArrayList<>();
    return db().write(c -> {
      purged.clear();
      List<LiveNotice> notices = invitations.receive(c, verified.event(), sender, pathBoardId);
      purged.addAll(purgeIfOnlyInvited(c, pathBoardId));
      return notices;
    }).recover(failure -> failure instanceof CodedException refusal && refusal.kind().isRefusal()
        ? audit.record(AuditEvent.refused("node:" + sender, "sync.invitation.refused", "board:" + pathBoardId,
            new JsonObject().put("code", refusal.code()))).compose(v -> Future.failedFuture(refusal))
        : Future.failedFuture(failure))
        .compose(notices -> deleteUnreferencedFiles(purged).map(notices))
        .onSuccess(notices -> publish(vertx, notices, pathBoardId)).mapEmpty();
  }

  /**
   * A board held here only as an invitation (no history arrived) that no professional of this node
   * is invited to or active in any more (declined, or the invitation withdrawn): nothing is kept.
   */
  private List<String> purgeIfOnlyInvited(Connection c, String boardId) throws SQLException {
    Optional<TeamLogSql.BoardHome> board = TeamLogSql.board(c, boardId);
    if (board.isEmpty() || board.get().local() || TeamLogSql.latestSeq(c, boardId) > 0
        || ReplicaSql.anyLocalMember(c, boardId) || OutboxSql.writesPending(c, boardId)) {
      return List.of();
    }
    audit.append(c, AuditEvent.success("system", "sync.invitation.closed", "patient:" + boardId, null));
    return ReplicaSql.purge(c, boardId);
  }

  /**
   * The home node accepted a write of this node: a decline of an invitation whose board never shared
   * its history here leaves nothing behind.
   */
  public Future<Void> delivered(Outgoing write) {
    List<String> purged = new ArrayList<>();
    return db().write(c -> {
      purged.clear();
      OutboxSql.settleOutbox(c, write.eventId(), "accepted", null, now());
      if (TeamLogSql.latestSeq(c, write.boardId()) == 0) {
        purged.addAll(purgeIfOnlyInvited(c, write.boardId()));
      }
      return null;
    }).compose(v -> deleteUnreferencedFiles(purged));
  }

  /** How far this node's copy of a board has applied the home node's events (0 for none). */
  public Future<Long> cursor(String boardId) {
    return db().read(c -> TeamLogSql.latestSeq(c, boardId));
  }

  /** The countersigned events of a board after a seq, if {@code peer} receives that board. */
  public Future<List<String>> feed(String peer, String boardId, long after, int limit) {
    if (!careTeamPartner().test(peer)) {
      return Future.failedFuture(new SyncRejection("sync.scope_missing", "no care-team agreement with " + peer));
    }
    return db().read(c -> {
      Long upTo = TeamLogSql.receivers(c, boardId).get(peer);
      if (upTo == null || TeamLogSql.board(c, boardId).map(b -> !b.local()).orElse(true)) {
        throw new SyncRejection("sync.board_unknown", "no board " + boardId + " is shared with " + peer);
      }
      return TeamLogSql.envelopesAfter(c, boardId, after, upTo, limit);
    });
  }

  /** The boards homed here that {@code peer} receives. */
  public Future<List<SharedBoard>> sharedWith(String peer) {
    return db().read(c -> TeamLogSql.sharedWith(c, peer).stream()
        .map(b -> new SharedBoard(b.boardId(), b.latestSeq(), b.ackedSeq())).toList());
  }

  /** The partners that receive a board homed here (none for a replica or an unshared board). */
  public Future<List<String>> receivers(String boardId) {
    return db().read(c -> TeamLogSql.board(c, boardId).filter(TeamLogSql.BoardHome::local).isPresent()
        && TeamLogSql.latestSeq(c, boardId) > 0 ? TeamLogSql.memberNodes(c, boardId) : List.<String>of());
  }

  /** The home node of a replica board, empty for a board homed here or unknown. */
  public Future<Optional<String>> homeOf(String boardId) {
    return db().read(c -> TeamLogSql.board(c, boardId).flatMap(TeamLogSql.BoardHome::homeNode));
  }

  public Future<Void> acknowledge(String peer, String boardId, long seq) {
    return db().write(c -> {
      TeamLogSql.acknowledge(c, peer, boardId, seq, now());
      return null;
    });
  }

  /** Events not yet acknowledged by a partner (as home) plus this node's writes waiting for it. */
  public Future<Backlog> backlog(String peer) {
    return db().read(c -> {
      List<TeamLogSql.SharedBoard> boards = TeamLogSql.sharedWith(c, peer);
      long events = boards.stream().mapToLong(b -> Math.max(0, b.latestSeq() - b.ackedSeq())).sum();
      Optional<Instant> oldest = TeamLogSql.oldestUnacknowledged(c, peer, boards).map(Instant::parse);
      long[] outbox = OutboxSql.outboxBacklog(c, peer);
      if (outbox[1] >= 0) {
        Instant waiting = Instant.ofEpochMilli(outbox[1]);
        oldest = Optional.of(oldest.filter(o -> o.isBefore(waiting)).orElse(waiting));
      }
      return new Backlog(events + outbox[0], oldest, RefusalSql.pushRejections(c, peer));
    });
  }

  /** How many of this node's writes wait for their home nodes. */
  public Future<Long> waiting() {
    return db().read(OutboxSql::outboxWaiting);
  }

  public Future<List<Outgoing>> outbox(String homeNode, int limit) {
    return db().read(c -> OutboxSql.pendingOutbox(c, homeNode, limit).stream()
        .map(r -> new Outgoing(r.eventId(), r.boardId(), r.envelope(), r.attempts(), Instant.parse(r.nextAttemptAt())))
        .toList());
  }

  /** The home node refused a write: it stays refused, and a refused post shows so. */
  public Future<Void> refused(Vertx vertx, Outgoing write, String code) {
    List<String> purged = new ArrayList<>();
    return db().<Void>write(c -> {
      purged.clear();
      if (OutboxSql.settleOutbox(c, write.eventId(), "rejected", code, now())) {
        Event event = Event.fromJson(jp.tsunagu.federation.json.JsonFields.of(jp.tsunagu.federation.json.Json.parse(
            new String(java.util.Base64.getUrlDecoder().decode(write.envelope().split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8)), "envelope.malformed", "event"));
        if (event.type().equals(TeamEvents.POST)) {
          data.markPostRejected(c, event.targets().get(1));
        }
        audit.append(c, AuditEvent.refused(authorOf(event), "sync.write.rejected", "board:" + write.boardId(),
            new JsonObject().put("event", write.eventId()).put("code", code)));
        if (TeamLogSql.latestSeq(c, write.boardId()) == 0) {
          purged.addAll(purgeIfOnlyInvited(c, write.boardId())); // an answer to an invitation its home disowns
        }
      }
      return null;
    }).compose(v -> deleteUnreferencedFiles(purged)).onSuccess(v -> data.tellLive(vertx, new LiveNotice(write.boardId(), new JsonObject().put("type", "sync"))));
  }

  public Future<Void> retryLater(Outgoing write, Instant next) {
    return db().write(c -> {
      OutboxSql.retryOutboxLater(c, write.eventId(), next.toString());
      return null;
    });
  }

  /** This node's live replicas of boards homed at a node, with their cursors. */
  public Future<List<SharedBoard>> replicas(String homeNode) {
    return db().read(c -> ReplicaSql.replicas(c, homeNode).stream()
        .map(b -> new SharedBoard(b.boardId(), b.latestSeq(), b.latestSeq())).toList());
  }

  /**
   * Follows the agreements: replicas of a home node no agreement covers any more are frozen (nobody
   * reads them, nothing flows) and purged once the retention period has passed; boards homed here
   * stop flowing to such a partner. Every change is audited.
   */
  public Future<Void> followAgreements(Vertx vertx) {
    Instant now = services.clock().instant();
    List<String> purged = new ArrayList<>();
    return db().<Void>write(c -> {
      purged.clear();
      for (String home : ReplicaSql.replicaHomes(c)) {
        boolean covered = careTeamPartner().test(home);
        for (String boardId : ReplicaSql.replicaIds(c, home, covered ? "frozen" : "live")) {
          if (covered) {
            ReplicaSql.setReplicaState(c, boardId, "live", null, null);
            audit.append(c, AuditEvent.success("system", "sync.replica.resumed", "patient:" + boardId,
                new JsonObject().put("home", home)));
          } else {
            Instant purgeAfter = now.plus(Duration.ofDays(retentionDays(home)));
            ReplicaSql.setReplicaState(c, boardId, "frozen", now.toString(), purgeAfter.toString());
            audit.append(c, AuditEvent.success("system", "sync.replica.frozen", "patient:" + boardId,
                new JsonObject().put("home", home).put("purgeAfter", purgeAfter.toString())));
          }
        }
      }
      for (String boardId : ReplicaSql.purgeDue(c, now.toString())) {
        purged.addAll(ReplicaSql.purge(c, boardId));
        audit.append(c, AuditEvent.success("system", "sync.replica.purged", "patient:" + boardId, null));
      }
      return null;
    }).compose(v -> deleteUnreferencedFiles(purged));
  }

  /**
   * Deletes the files of a purged replica that no row names any more (another board may hold the
   * same file). After the purge has committed, so a failed purge never loses a file that rows still name.
   */
  private Future<Void> deleteUnreferencedFiles(List<String> hashes) {
    if (hashes.isEmpty()) {
      return Future.succeededFuture();
    }
    return db().write(c -> {
      for (String sha256 : hashes) {
        if (!ReplicaSql.fileReferenced(c, sha256)) {
          data.deleteFile(sha256);
        }
      }
      return null;
    });
  }

  /** How long replicated data is kept after the last agreement with the node ended. */
  private long retentionDays(String node) {
    String local = services.config().node().name();
    return federation.agreements().current().documents().stream()
        .map(d -> d.agreement())
        .filter(a -> a.party(local).isPresent() && a.party(node).isPresent())
        .max(java.util.Comparator.comparing(a -> a.notBefore()))
        .map(a -> a.retentionDays())
        .orElse(0L);
  }

  /** Records on this node that flows with a partner stopped (withdrawal or expiry). */
  public Future<Void> stopped(String peer, String reason) {
    return audit.record(AuditEvent.success("system", "sync.peer.stopped", "node:" + peer,
        new JsonObject().put("reason", reason)));
  }

  /** Whether {@code peer} may fetch the file: it is on a post of a board the peer receives or is home of. */
  public Future<Boolean> attachmentServable(String peer, String sha256) {
    return db().read(c -> {
      for (String boardId : data.boardsHoldingFile(c, sha256)) {
        Optional<TeamLogSql.BoardHome> board = TeamLogSql.board(c, boardId);
        if (board.isEmpty()) {
          continue;
        }
        if (board.get().homeNode().map(peer::equals).orElse(false)
            || (board.get().local() && TeamLogSql.memberNodes(c, boardId).contains(peer))) {
          return true;
        }
      }
      return false;
    });
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
}
