package jp.tsunagu.node.teamsync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jp.tsunagu.federation.envelope.SequencedEvent;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A home node restored from an older backup: finding the partners that hold more of its boards than
 * its log, and taking those events back before it gives out another seq. At start every partner is
 * asked for its cursors ({@link FederationV1#REPLICAS}); a push or pull answer with a cursor above
 * the home's head says the same later. While a partner is ahead, {@link RecoveringBoards} holds the
 * board; the events are fetched page by page from the partner's replica
 * ({@link FederationV1#REPLICA_EVENTS}), verified as countersigned by this node, put back at their
 * original seqs ({@link RecoveryApply}) and pushed on to the other partners as any new event. A
 * partner whose events do not verify as this node's own changes nothing and is not believed; a seq
 * no partner can give back stops the recovery and keeps the board held for the operator.
 */
final class HomeRecovery {

  private static final Logger LOG = LoggerFactory.getLogger(HomeRecovery.class);
  private static final int PAGE = 500;
  /** How long after a failed attempt (partner unreachable, a gap) the sweep tries a held board again. */
  private static final Duration RETRY_AFTER = Duration.ofSeconds(10);
  static final String REFUSED = "sync.recovery_refused";

  private final Sync sync;
  private final Vertx vertx;
  private final RecoveringBoards boards;
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> lastAttempt = new ConcurrentHashMap<>();
  /**
   * Set by the engine's stop (an instance that stops leading): the start check's calls in flight then fail
   * with the closed client, which is no partner failing.
   */
  private volatile boolean stopped;

  HomeRecovery(Sync sync, Vertx vertx) {
    this.sync = sync;
    this.vertx = vertx;
    this.boards = sync.team().recovering();
  }

  private Instant now() {
    return sync.services().clock().instant();
  }

  /**
   * At start: every board homed here that a partner receives is held until that partner has told its
   * cursors; then each partner is asked. Completes once the boards are held (the answers come later);
   * a partner that cannot be asked releases its boards (its being down must not stop the home's team).
   */
  Future<Void> startCheck(Collection<String> partners) {
    Future<Void> held = Future.succeededFuture();
    for (String partner : partners) {
      held = held.compose(v -> sync.team().sharedWith(partner).map(shared -> {
        shared.forEach(board -> boards.awaitPartner(board.boardId(), partner));
        return null;
      }));
    }
    return held.onComplete(done -> {
      boards.startChecked();
      partners.forEach(this::askCursors);
    }).mapEmpty();
  }

  private void askCursors(String partner) {
    Future.<Void>succeededFuture().compose(v -> sync.client().call(sync.partner(partner), HttpMethod.GET,
        FederationV1.REPLICAS, null, null)).compose(reply -> {
          if (reply.status() != 200) {
            return Future.failedFuture(new IllegalStateException(partner + " answered " + reply.status()));
          }
          Future<Void> chain = Future.succeededFuture();
          for (Object item : new JsonObject(reply.body()).getJsonArray("replicas", new JsonArray())) {
            JsonObject replica = (JsonObject) item;
            chain = chain.compose(v -> observed(partner, replica.getString("id"), replica.getLong("cursor", 0L)));
          }
          return chain;
        }).onComplete(done -> {
          if (done.failed() && stopped) {
            LOG.debug("team sync start check: the call to partner {} ended with team sync's stop ({})", partner,
                done.cause().getMessage());
          } else if (done.failed()) {
            LOG.warn("team sync start check: partner {} could not be asked for its cursors ({}); its boards are not"
                + " held for it", partner, done.cause().getMessage());
          }
          boards.partnerChecked(partner);
        });
  }

  /** This run of team sync ends: its start check's calls failing from now on are not warned of. */
  void stop() {
    stopped = true;
  }

  /**
   * A partner said it holds a board up to {@code cursor} (start check, push or pull answer). Above this
   * node's head of a board homed here, that is a partner ahead: the board is held and recovery starts.
   */
  Future<Void> observed(String partner, String boardId, long cursor) {
    if (boardId == null || boards.refusedFrom(boardId, partner)) {
      return Future.succeededFuture(); // a partner whose events were refused is not believed again
    }
    return sync.team().homeHead(boardId).map(head -> {
      if (head.isEmpty() || cursor <= head.get()) {
        return null;
      }
      if (boards.claim(new RecoveringBoards.Claim(boardId, partner, cursor, head.get(), now()))) {
        LOG.warn("board {}: partner {} holds events up to seq {}, this node's log only up to seq {} (restored from"
            + " an older backup?); new events on it are held until they are taken back", boardId, partner, cursor,
            head.get());
        sync.audit().record(AuditEvent.success("system", "sync.home.behind", "board:" + boardId,
            new JsonObject().put("partner", partner).put("partnerCursor", cursor).put("head", head.get())));
        recover(partner, boardId);
      }
      return null;
    });
  }

  /**
   * A partner answered pushed events: those it refused as {@code sync.seq_conflict} hold another event
   * at their seq there (this node gave it out twice). Logged and shown to the operator once per board
   * and partner; the push rejection itself is kept and audited as any other.
   */
  void pushAnswered(String partner, String boardId, List<TeamSync.Outcome> rejected) {
    rejected.stream().filter(r -> ReplicaApply.SEQ_CONFLICT.equals(r.code())).findFirst().ifPresent(r -> {
      if (boards.fork(new RecoveringBoards.Fork(boardId, partner, r.seq(), now()))) {
        LOG.warn("board {}: partner {} holds another event at seq {} than this node's log (this node was restored"
            + " and did not hear of it before sequencing again); the operator must settle it", boardId, partner,
            r.seq());
      }
    });
  }

  /** The sweep: held boards whose last attempt failed are tried again, no more often than {@link #RETRY_AFTER}. */
  void retry() {
    Instant now = now();
    for (RecoveringBoards.Claim claim : boards.claims()) {
      Instant last = lastAttempt.get(key(claim.boardId(), claim.partner()));
      if (last == null || !now.isBefore(last.plus(RETRY_AFTER))) {
        recover(claim.partner(), claim.boardId());
      }
    }
  }

  private static String key(String boardId, String partner) {
    return boardId + " " + partner;
  }

  /** Takes back the partner's events of a board, one recovery per board and partner at a time. */
  void recover(String partner, String boardId) {
    String key = key(boardId, partner);
    if (!running.add(key)) {
      return;
    }
    lastAttempt.put(key, now());
    Future.<Void>succeededFuture().compose(v -> nextPage(partner, boardId)).onComplete(done -> {
      running.remove(key);
      if (done.failed()) {
        Throwable cause = done.cause();
        if (cause instanceof CodedException coded && coded.kind().isRefusal()) {
          refuse(partner, boardId, coded);
        } else {
          LOG.info("board {}: taking events back from {} failed for now ({}); tried again", boardId, partner,
              cause.getMessage());
        }
      }
    });
  }

  private Future<Void> nextPage(String partner, String boardId) {
    long claimed = boards.claimOf(boardId, partner).map(RecoveringBoards.Claim::partnerCursor).orElse(0L);
    return sync.team().homeHead(boardId).compose(head -> {
      if (head.isEmpty() || head.get() >= claimed) {
        settled(partner, boardId, head.orElse(0L));
        return Future.succeededFuture();
      }
      NodeCard card = sync.partner(partner);
      String path = String.format(FederationV1.REPLICA_EVENTS, boardId) + "?after=" + head.get();
      return sync.client().call(card, HttpMethod.GET, path, null, null).compose(reply -> {
        if (reply.status() == 404) { // it says it holds no copy of the board for this node: its claim is void
          return Future.failedFuture(CodedException.rejected("sync.recovery_unserved",
              partner + " does not hand over a copy of board " + boardId));
        }
        if (reply.status() != 200) {
          return Future.failedFuture(new IllegalStateException(partner + " answered " + reply.status()));
        }
        List<String> envelopes = new JsonObject(reply.body()).getJsonArray("events", new JsonArray()).stream()
            .map(String::valueOf).toList();
        if (envelopes.isEmpty()) {
          return gap(partner, boardId, head.get() + 1);
        }
        String local = sync.localNode();
        String keyId = sync.services().keys().identity().signingKeyId();
        var trust = sync.trustStore();
        return vertx.executeBlocking(() -> RecoveryApply.verifyOwn(local, keyId, boardId, envelopes, trust), false)
            .compose(events -> sync.fetchFiles(card, events.stream().map(e -> e.origin().event()).toList())
                .compose(v -> sync.team().restore(vertx, partner, boardId, events)))
            .compose(restored -> {
              boards.gapClosed(boardId);
              if (restored.missing().isPresent() || restored.restored() == 0) {
                return gap(partner, boardId, restored.missing().orElse(restored.head() + 1));
              }
              LOG.info("board {}: took back seq {} to {} from {}", boardId, head.get() + 1, restored.head(), partner);
              return sync.team().acknowledge(partner, boardId, restored.head())
                  .compose(v -> nextPage(partner, boardId));
            });
      });
    });
  }

  /** The log reached what the partner holds: its claim is settled, and other claims may go on from here. */
  private void settled(String partner, String boardId, long head) {
    boolean was = boards.claimOf(boardId, partner).isPresent();
    boards.settle(boardId, partner);
    lastAttempt.remove(key(boardId, partner));
    if (was) {
      LOG.info("board {}: this node's log holds what {} holds (seq {}){}", boardId, partner, head,
          boards.held(boardId) ? "; other partners still ahead" : "; new events are sequenced again");
    }
    boards.claims().stream().filter(c -> c.boardId().equals(boardId)).forEach(c -> recover(c.partner(), boardId));
  }

  /**
   * The partner holds more but cannot give the next seq (it skipped it as a replica, or withholds it):
   * the board stays held, another partner may have it, and the operator is told.
   */
  private Future<Void> gap(String partner, String boardId, long missing) {
    if (boards.gap(new RecoveringBoards.Gap(boardId, missing, now()))) {
      LOG.warn("board {}: seq {} cannot be taken back from {}; the board stays held until a partner gives it back",
          boardId, missing, partner);
    }
    return Future.succeededFuture();
  }

  /**
   * The partner gave back events that are not this node's own (forged, altered, of another board):
   * nothing of them was kept, its claim is dropped and not believed again, and the refusal is kept for
   * the operator and audited.
   */
  private void refuse(String partner, String boardId, CodedException reason) {
    LOG.warn("board {}: refused what {} gave back ({}: {}); nothing of it was kept", boardId, partner, REFUSED,
        reason.code());
    sync.audit().record(AuditEvent.refused("node:" + partner, REFUSED, "board:" + boardId,
        new JsonObject().put("reason", reason.code()))).onComplete(audited -> {
          boards.refused(new RecoveringBoards.Refusal(boardId, partner, REFUSED, reason.code(), now()));
          boards.settle(boardId, partner); // the board is released once the refusal is on record
        });
  }
}
