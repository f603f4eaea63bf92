package jp.tsunagu.node.teamsync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.SequencedEvent;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.replication.TeamData;
import jp.tsunagu.node.care.replication.TeamEvents;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.feature.TeamEventType.Arrival;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.teamsync.TeamSync.Applied;
import jp.tsunagu.node.teamsync.TeamSync.Incoming;
import jp.tsunagu.node.teamsync.TeamSync.Outcome;

/**
 * Applying a home node's events to this node's replica of its board: in sequence from the cursor,
 * each event on its own savepoint, those this replica cannot take skipped with their code, and the
 * replica purged when the last of this node's professionals has left the team.
 */
final class ReplicaApply {

  /** The code a replica answers for an event at a seq it holds another event at. */
  static final String SEQ_CONFLICT = "sync.seq_conflict";

  private final NodeServices services;
  private final AuditLog audit;
  private final TeamData data;
  private final TeamEventTypes types;
  private final IncomingEventPolicy policy;
  private final ReplicaRetention retention;

  ReplicaApply(NodeServices services, AuditLog audit, TeamData data, TeamEventTypes types,
      IncomingEventPolicy policy, ReplicaRetention retention) {
    this.services = services;
    this.audit = audit;
    this.data = data;
    this.types = types;
    this.policy = policy;
    this.retention = retention;
  }

  private Database db() {
    return services.database();
  }

  private String now() {
    return services.clock().instant().toString();
  }

  /**
   * Applies a page of the home node's events to this node's replica in one transaction, in sequence
   * order from the board's cursor. Each event stands alone: one that did not verify, or whose content
   * this replica cannot take, is rolled back to its savepoint and kept as skipped with its code (its
   * seq counts as passed), and the events after it still apply. Events at or below the cursor are
   * held already; those after a gap wait (deferred). Runs on the writer thread.
   */
  Future<Applied> applySequenced(Vertx vertx, String home, String boardId, List<Incoming> page) {
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
        if (in.event().isEmpty() && in.seq() <= cursor && !anotherHeldAt(c, boardId, in)) {
          // held already (or passed): what did not verify now changes nothing and is no news to the home node
          outcomes.add(new Outcome(in.seq(), in.eventId(), "held", null));
          continue;
        }
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
          // another event at a seq held here: the home gave the seq out twice (it was restored from an
          // older backup and did not hear of this replica in time); said so, never passed over in silence
          boolean other = !TeamLogSql.eventIdAt(c, boardId, in.seq()).map(in.eventId()::equals).orElse(true);
          outcomes.add(other ? new Outcome(in.seq(), in.eventId(), "rejected", SEQ_CONFLICT)
              : new Outcome(in.seq(), in.eventId(), "held", null));
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
      data.keepLive(c, notices);
      return new Applied(cursor, outcomes);
    }).compose(applied -> retention.deleteUnreferencedFiles(purged).map(applied))
        .onSuccess(applied -> TeamSync.announceApplied(vertx, boardId, home));
  }

  /**
   * Whether the replica holds another event than the one claimed at its seq: the home node gave the seq out
   * twice (see {@link #SEQ_CONFLICT}), said so even when the envelope does not verify.
   */
  private static boolean anotherHeldAt(Connection c, String boardId, Incoming in) throws SQLException {
    Optional<String> there = TeamLogSql.eventIdAt(c, boardId, in.seq());
    return there.isPresent() && in.eventId() != null && !there.get().equals(in.eventId());
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
      // the declaring feature shows its own waiting record as sent (see TeamEventType.Settler)
      types.of(event).settler().accepted(c, boardId, event);
      OutboxSql.settleOutbox(c, event.id(), "accepted", null, now());
      // a write sent from memory left its origin signature unstored (see EventSigner#onSignedWrites): the
      // envelope the home node countersigned is that signature, verified, stored here with its settlement
      OutboxSql.signedWrites(c, java.util.Map.of(event.id(), sequenced.origin().compact()));
      notices = List.of(new LiveNotice(boardId, new JsonObject().put("type", "sync")));
    } else {
      policy.checkObjects(c, boardId, event);
      notices = types.of(event).applier().apply(c, event, Arrival.SEQUENCED);
    }
    TeamLogSql.insertEvent(c, boardId, sequenced.sequence(), event.id(), event.type(), event.origin(),
        sequenced.compact(), sequenced.acceptedAt().toString());
    return notices;
  }
}
