package jp.tsunagu.node.teamsync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.care.replication.TeamData;
import jp.tsunagu.node.care.replication.TeamReplication;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.teamsync.TeamSync.Backlog;
import jp.tsunagu.node.teamsync.TeamSync.Outcome;
import jp.tsunagu.node.teamsync.TeamSync.SharedBoard;

/**
 * What partners receive of the boards homed here: the history of a board shared for the first time,
 * the feed of its countersigned events, how far each partner acknowledged and what it answered as
 * rejected, and the attachment files it may fetch.
 */
final class PartnerFeeds {

  private final NodeServices services;
  private final AuditLog audit;
  private final TeamData data;
  private final SharedBoards shared;
  private final TeamLog log;
  private final Predicate<String> careTeamPartner;
  private final TeamEventTypes types;

  PartnerFeeds(NodeServices services, AuditLog audit, TeamData data, SharedBoards shared, TeamLog log,
      Predicate<String> careTeamPartner, TeamEventTypes types) {
    this.services = services;
    this.audit = audit;
    this.data = data;
    this.shared = shared;
    this.log = log;
    this.careTeamPartner = careTeamPartner;
    this.types = types;
  }

  private Database db() {
    return services.database();
  }

  private String now() {
    return services.clock().instant().toString();
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PartnerFeeds.class);
  /** Whether a pass over the histories being shared is under way (one at a time per node). */
  private final AtomicBoolean sharing = new AtomicBoolean();
  /** Whether this start's pass over boards shared before their records went along was made (under {@link #sharing}). */
  private volatile boolean historiesChecked;

  /**
   * Writes the history of boards being shared for the first time, one chunk per transaction (other
   * writes go in between), each chunk announced for push at once. One pass at a time per node;
   * called after every board change (a pass only when a history was begun since the last) and by the
   * sync sweep ({@code always}: so a restart goes on where it stopped).
   */
  void continueSharing(Vertx vertx, boolean always) {
    if (!(shared.takeHistoryPending() || always)) {
      return;
    }
    if (!sharing.compareAndSet(false, true)) {
      shared.historyStillPending(); // the pass under way may have listed the boards before this one began
      return;
    }
    // The first pass after start also sends, once, the records of boards shared before they went along.
    Future<Void> missing = historiesChecked ? Future.succeededFuture()
        : db().write(TeamLogSql::queueMissingHistories).map(boards -> {
          historiesChecked = true;
          if (!boards.isEmpty()) {
            LOG.info("sending the records of {} board(s) shared before their records went to partners", boards.size());
          }
          return null;
        });
    missing.compose(v -> db().read(TeamLogSql::boardsBeingShared)).compose(boards -> {
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
    return db().write(c -> log.shareNext(c, boardId, types.histories())).compose(more -> {
      vertx.eventBus().publish(TeamReplication.BOARD_CHANGED, boardId);
      return more ? shareHistory(vertx, boardId) : Future.succeededFuture();
    });
  }

  /** The countersigned events of a board after a seq, if {@code peer} receives that board. */
  Future<List<String>> feed(String peer, String boardId, long after, int limit) {
    if (!careTeamPartner.test(peer)) {
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

  /**
   * Of {@code boards}, each board homed here that {@code peer} receives and has not acknowledged all of:
   * its first page of signed events after the acknowledged seq (what {@link #feed} would give), on the
   * caller's read.
   */
  List<TeamSync.BoardPage> pages(java.sql.Connection c, String peer, java.util.Map<String, Long> boards, int limit)
      throws java.sql.SQLException {
    List<TeamSync.BoardPage> pages = new java.util.ArrayList<>();
    for (var known : boards.entrySet()) {
      String boardId = known.getKey();
      Long upTo = TeamLogSql.receivers(c, boardId).get(peer);
      if (upTo == null || TeamLogSql.board(c, boardId).map(b -> !b.local()).orElse(true)) {
        continue;
      }
      long acked = Math.max(TeamLogSql.ackedSeq(c, peer, boardId), known.getValue());
      if (Math.min(TeamLogSql.latestSeq(c, boardId), upTo) > acked) {
        List<String> envelopes = TeamLogSql.envelopesAfter(c, boardId, acked, upTo, limit);
        if (!envelopes.isEmpty()) {
          pages.add(new TeamSync.BoardPage(boardId, acked, envelopes));
        }
      }
    }
    return pages;
  }

  /** The boards homed here that {@code peer} receives. */
  Future<List<SharedBoard>> sharedWith(String peer) {
    return db().read(c -> TeamLogSql.sharedWith(c, peer).stream()
        .map(b -> new SharedBoard(b.boardId(), b.latestSeq(), b.ackedSeq())).toList());
  }

  /**
   * Records how far a partner has a board, never beyond this node's own head: a partner ahead of the
   * log (this node was restored from an older backup) is {@link HomeRecovery}'s to settle, and an
   * acknowledgement past the head would hide from push the events that recovery puts back.
   */
  Future<Void> acknowledge(String peer, String boardId, long seq) {
    return db().write(c -> {
      TeamLogSql.acknowledge(c, peer, boardId, Math.min(seq, TeamLogSql.latestSeq(c, boardId)), now());
      return null;
    });
  }

  /** {@link #acknowledge} of several boards and partners in one transaction. */
  Future<Void> acknowledgeAll(List<TeamSync.Acknowledgement> acknowledgements) {
    return db().write(c -> {
      String now = now();
      for (TeamSync.Acknowledgement a : acknowledgements) {
        TeamLogSql.acknowledge(c, a.peer(), a.boardId(), Math.min(a.seq(), TeamLogSql.latestSeq(c, a.boardId())), now);
      }
      return null;
    });
  }

  /** Events not yet acknowledged by a partner (as home) plus this node's writes waiting for it. */
  Future<Backlog> backlog(String peer) {
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

  /** A partner answered events of a board homed here as rejected: kept (peers status counts them) and audited once. */
  Future<Void> rejectedBy(String peer, String boardId, List<Outcome> rejected) {
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

  /** Whether {@code peer} may fetch the file: it is on a post of a board the peer receives or is home of. */
  Future<Boolean> attachmentServable(String peer, String sha256) {
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
}
