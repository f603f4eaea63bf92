package jp.tsunagu.node.teamsync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.Predicate;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.VerifiedEvent;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.replication.EventFields;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.care.replication.TeamData;
import jp.tsunagu.node.care.replication.TeamEvents;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.feature.TeamEventType.Arrival;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.storage.Database;

/**
 * The home node's side of a partner's write: the checks on a submission before its files are fetched,
 * accepting it into the board's log (countersigned, once), and the refusals remembered so the same
 * event always gets the same answer.
 */
final class Submissions {

  private final NodeServices services;
  private final AuditLog audit;
  private final TeamData data;
  private final TeamLog log;
  private final TeamEventTypes types;
  private final IncomingEventPolicy policy;
  private final Predicate<String> careTeamPartner;

  Submissions(NodeServices services, AuditLog audit, TeamData data, TeamLog log, TeamEventTypes types,
      IncomingEventPolicy policy, Predicate<String> careTeamPartner) {
    this.services = services;
    this.audit = audit;
    this.data = data;
    this.log = log;
    this.types = types;
    this.policy = policy;
    this.careTeamPartner = careTeamPartner;
  }

  private Database db() {
    return services.database();
  }

  /** Most attachments one post may carry from a partner (as many as the post form allows). */
  static final int ATTACHMENTS_MAX = 10;

  /**
   * The checks on a partner's submission that need nothing fetched, made before its attachment files
   * are fetched from the origin: the incoming-event policy, the care-team scope, the board homed here,
   * the author a member now, the files it names few and within the upload limit. An event already
   * accepted or refused passes (its answer is the one given before). A refusal is kept and audited.
   */
  Future<Void> precheck(VerifiedEvent verified, String pathBoardId, long uploadLimit) {
    counts.received.increment();
    return db().<Void>read(c -> {
      checkBeforeFiles(c, verified, pathBoardId, uploadLimit);
      return null;
    }).recover(failure -> failure instanceof CodedException refusal && refusal.kind().isRefusal()
        ? rememberRefusal(verified, refusal).compose(r -> Future.<Void>failedFuture(r))
        : Future.<Void>failedFuture(failure));
  }

  /** The checks of {@link #precheck}, on a connection of the caller's (a reader, or the writer's transaction). */
  private void checkBeforeFiles(java.sql.Connection c, VerifiedEvent verified, String boardId, long uploadLimit)
      throws java.sql.SQLException {
    Event event = verified.event();
    if (TeamLogSql.acceptedEnvelope(c, event.id()).isPresent() || RefusalSql.rejection(c, event.id()).isPresent()) {
      return;
    }
    if (!careTeamPartner.test(event.origin())) {
      throw new SyncRejection("sync.scope_missing", "no active agreement with the care-team scope covers "
          + event.origin());
    }
    policy.checkSubmission(event, boardId);
    TeamLogSql.board(c, boardId).filter(b -> b.local() && "patient".equals(b.kind()))
        .orElseThrow(() -> new SyncRejection("sync.board_unknown", "no patient board " + boardId
            + " is homed here"));
    String author = EventFields.requireText(EventFields.object(new JsonObject(event.data()), "author"), "id");
    if (data.member(c, boardId, author).isEmpty()) {
      throw new SyncRejection("sync.not_a_member", author + " is not a member of board " + boardId);
    }
    checkDeclaredFiles(event, uploadLimit);
  }

  /**
   * A submission of a page whose files are all here already (none to fetch): {@link #precheck}'s checks and
   * {@link #submit} in one write transaction, so the events of a page queue on the writer in their order
   * without a read and a commit wait between them.
   */
  Future<String> submitWithoutFiles(Vertx vertx, VerifiedEvent verified, long uploadLimit,
      Consumer<String> committed) {
    counts.received.increment();
    return accept(vertx, verified, c -> checkBeforeFiles(c, verified, verified.event().targets().get(0), uploadLimit),
        committed);
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
  Future<String> submit(Vertx vertx, VerifiedEvent verified) {
    return accept(vertx, verified, c -> { }, boardId -> TeamSync.announce(vertx, boardId));
  }

  /** {@link #submit} for an event of a page: its board's change is announced once for the page, by the page. */
  Future<String> submitOfPage(Vertx vertx, VerifiedEvent verified, Consumer<String> committed) {
    return accept(vertx, verified, c -> { }, committed);
  }

  /** What a write transaction checks before the submission's own checks: nothing, or {@link #checkBeforeFiles}. */
  private interface Precheck {
    void run(java.sql.Connection c) throws java.sql.SQLException;
  }

  /**
   * @param committed told of the board once the event's transaction has committed, before its countersignature
   *                  is made: a single submission announces the change at once, a page once for all its events
   *                  (a page of 200 would otherwise start 200 rounds of push bookkeeping). Announced then, the
   *                  look at where the board goes runs beside the signer, and the signer's push to the other
   *                  partners finds it made rather than reading the board's receivers after the signature.
   */
  private Future<String> accept(Vertx vertx, VerifiedEvent verified, Precheck precheck,
      Consumer<String> committed) {
    Event event = verified.event();
    String boardId = event.targets().get(0);
    return db().write(c -> {
      Optional<TeamLogSql.AcceptedEvent> accepted = TeamLogSql.accepted(c, event.id());
      if (accepted.isPresent()) {
        TeamLogSql.AcceptedEvent before = accepted.get();
        String origin = before.envelope().equals(TeamLogSql.UNSIGNED) ? before.originEnvelope()
            : embeddedOrigin(before.envelope());
        if (!verified.compact().equals(origin)) {
          throw CodedException.conflict(REPLAYED, "event " + event.id() + " was accepted with other content");
        }
        counts.repeated.increment();
        return new Accepted(() -> log.signer().whenSigned(before.boardId(), before.seq()));
      }
      precheck.run(c);
      Optional<String[]> refused = RefusalSql.rejection(c, event.id());
      if (refused.isPresent()) {
        throw new SyncRejection(refused.get()[0], refused.get()[1]);
      }
      if (!careTeamPartner.test(event.origin())) {
        throw new SyncRejection("sync.scope_missing", "no active agreement with the care-team scope covers "
            + event.origin());
      }
      TeamLogSql.BoardHome board = TeamLogSql.board(c, boardId).filter(b -> b.local() && "patient".equals(b.kind()))
          .orElseThrow(() -> new SyncRejection("sync.board_unknown", "no patient board " + boardId + " is homed here"));
      policy.checkObjects(c, boardId, event);
      List<LiveNotice> notices = types.of(event).applier().apply(c, event, Arrival.SUBMITTED);
      data.keepLive(c, notices);
      long seq = log.sequence(c, board.boardId(), verified);
      audit.append(c, AuditEvent.success(authorOf(event), "sync.event.accepted", "patient:" + boardId,
          new JsonObject().put("event", event.id()).put("type", event.type()).put("origin", event.origin())));
      CompletableFuture<String> signed = log.signer().whenSequencedSigned(board.boardId(), seq);
      return new Accepted(() -> signed);
    }).recover(failure -> failure instanceof CodedException refusal && refusal.kind().isRefusal()
        && !REPLAYED.equals(refusal.code())
        ? rememberRefusal(verified, refusal).compose(stored -> Future.failedFuture(stored))
        : Future.failedFuture(failure))
        .compose(done -> {
          committed.accept(boardId);
          // the partner is answered with the countersigned envelope only once it is durable
          return Future.fromCompletionStage(done.envelope().get(), vertx.getOrCreateContext());
        });
  }

  /** What a submission's transaction leaves to wait for: the countersigned envelope to come. */
  private record Accepted(Supplier<CompletableFuture<String>> envelope) {}

  /**
   * Since this node started: partners' submissions received (each event of a page counts once) and those
   * of events already accepted, answered again with the stored envelope. A partner sends a write again only
   * when its first try failed, so the second stays near zero; it is what a repeat costs that shows here.
   */
  static final class Counts {
    final java.util.concurrent.atomic.LongAdder received = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder repeated = new java.util.concurrent.atomic.LongAdder();

    long received() {
      return received.sum();
    }

    long repeated() {
      return repeated.sum();
    }
  }

  private final Counts counts = new Counts();

  Counts counts() {
    return counts;
  }

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

  static String authorOf(Event event) {
    Object author = event.data().get("author");
    Object id = author instanceof Map<?, ?> map ? map.get("id") : null;
    return id instanceof String text ? text : event.origin();
  }
}
