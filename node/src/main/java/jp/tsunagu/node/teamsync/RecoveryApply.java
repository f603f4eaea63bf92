package jp.tsunagu.node.teamsync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.envelope.SequencedEvent;
import jp.tsunagu.federation.jws.TrustStore;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.care.replication.TeamData;
import jp.tsunagu.node.care.replication.TeamEvents;
import jp.tsunagu.node.feature.TeamEventType.Arrival;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.storage.Database;
import org.sqlite.SQLiteException;

/**
 * The home node taking back events of its own boards that a partner holds beyond its log (the node
 * was restored from an older backup). Each event must be one this node countersigned, for this
 * board; it goes back at its original seq, through the same apply as an event arriving sequenced,
 * and into the log exactly as it was. Nothing a partner can make up passes: only this node's key
 * makes a countersignature, and the seq is inside it.
 */
final class RecoveryApply {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RecoveryApply.class);

  /** After a page: the board's head, how many events were put back, and the first seq missing (a gap). */
  record Restored(long head, long restored, Optional<Long> missing) {}

  private final Database db;
  private final AuditLog audit;
  private final TeamData data;
  private final TeamEventTypes types;
  private final TeamLog log;

  RecoveryApply(Database db, AuditLog audit, TeamData data, TeamEventTypes types, TeamLog log) {
    this.db = db;
    this.audit = audit;
    this.data = data;
    this.types = types;
    this.log = log;
  }

  /**
   * Checks a page a partner gave back, all or nothing: each envelope countersigned by this node
   * ({@code localNode}, key {@code ownKeyId}) for {@code boardId}, its origin's signature verified
   * too. Throws a {@link SyncRejection} naming what failed; nothing of a refused page is kept.
   */
  static List<SequencedEvent> verifyOwn(String localNode, String ownKeyId, String boardId, List<String> envelopes,
      TrustStore trust) {
    List<SequencedEvent> events = new ArrayList<>(envelopes.size());
    for (String envelope : envelopes) {
      SequencedEvent event;
      try {
        event = EventEnvelope.verifyCountersigned(envelope, trust);
      } catch (ProtocolException e) {
        throw new SyncRejection(e.code(), "an event given back does not verify: " + e.getMessage());
      }
      if (!event.origin().event().home().equals(localNode) || !event.homeKeyId().equals(ownKeyId)) {
        throw new SyncRejection("sync.recovery_not_own", "an event given back was not countersigned by "
            + localNode + "'s key");
      }
      if (!event.origin().event().targets().get(0).equals(boardId)) {
        throw new SyncRejection("envelope.id_mismatch", "an event given back is of another board than " + boardId);
      }
      events.add(event);
    }
    return events;
  }

  /**
   * Puts verified events back in one transaction, in seq order from the board's head: those at or
   * below it must be the very events the log holds there (else the page is refused whole), the next
   * ones go back one by one; a seq missing stops the page there. Runs on the writer thread.
   */
  Future<Restored> restore(Vertx vertx, String partner, String boardId, List<SequencedEvent> events) {
    List<SequencedEvent> ordered = events.stream().sorted(Comparator.comparingLong(SequencedEvent::sequence))
        .toList();
    List<LiveNotice> notices = new ArrayList<>();
    return db.write(c -> {
      notices.clear();
      TeamLogSql.board(c, boardId).filter(TeamLogSql.BoardHome::local)
          .orElseThrow(() -> new SyncRejection("sync.board_unknown", "board " + boardId + " is not homed here"));
      long from = TeamLogSql.latestSeq(c, boardId);
      long head = from;
      Optional<Long> missing = Optional.empty();
      for (SequencedEvent event : ordered) {
        String id = event.origin().event().id();
        if (event.sequence() <= head) {
          if (!TeamLogSql.eventIdAt(c, boardId, event.sequence()).map(id::equals).orElse(true)) {
            throw new SyncRejection("sync.recovery_conflict", "seq " + event.sequence() + " holds another event here");
          }
          continue;
        }
        if (event.sequence() != head + 1) {
          missing = Optional.of(head + 1);
          break;
        }
        if (TeamLogSql.acceptedEnvelope(c, id).isPresent()) {
          throw new SyncRejection("sync.recovery_conflict", "event " + id + " is in the log at another seq");
        }
        notices.addAll(applyOne(c, event.origin().event()));
        log.restore(c, boardId, event);
        head = event.sequence();
      }
      historyRestored(c, boardId, ordered);
      if (head > from) {
        audit.append(c, AuditEvent.success("system", "sync.home.recovered", "board:" + boardId,
            new JsonObject().put("partner", partner).put("from", from + 1).put("to", head)));
      }
      data.keepLive(c, notices);
      return new Restored(head, head - from, missing);
    }).onSuccess(restored -> {
      if (restored.restored() > 0) {
        TeamSync.announce(vertx, boardId);
      }
    });
  }

  /**
   * The same writes as for an event arriving sequenced. The board's opening is skipped: the board is
   * here (this node opened it; only its log was lost).
   */
  private List<LiveNotice> applyOne(Connection c, Event event) throws SQLException {
    if (event.type().equals(TeamEvents.OPENED)) {
      return List.of();
    }
    Savepoint before = c.setSavepoint();
    try {
      List<LiveNotice> notices = types.of(event).applier().apply(c, event, Arrival.SEQUENCED);
      c.releaseSavepoint(before);
      return notices;
    } catch (SQLiteException e) {
      if (!e.getResultCode().name().startsWith("SQLITE_CONSTRAINT")) {
        throw e;
      }
      // Already here: the board's history (logged in chunks when it was first shared) describes posts
      // this node's tables held before the backup was taken; only the log entry was lost.
      c.rollback(before);
      LOG.info("event {} ({}) taken back to the log only: its effect is here already ({})", event.id(), event.type(),
          e.getResultCode());
      return List.of();
    }
  }

  /**
   * A backup taken while a board's history was being logged in chunks: the posts whose history events
   * came back are logged already, so the chunks go on after the last of them (else they would be
   * logged a second time under new seqs).
   */
  private void historyRestored(Connection c, String boardId, List<SequencedEvent> restored) throws SQLException {
    Optional<Long> done = TeamLogSql.sharedUpTo(c, boardId);
    if (done.isEmpty()) {
      return;
    }
    long last = done.get();
    for (SequencedEvent event : restored) {
      Event origin = event.origin().event();
      if (origin.type().equals(TeamEvents.POST) && origin.targets().size() > 1) {
        last = Math.max(last, data.post(c, origin.targets().get(1)).filter(p -> p.boardId().equals(boardId))
            .map(p -> p.seq()).orElse(last));
      }
    }
    if (last > done.get()) {
      TeamLogSql.shared(c, boardId, Optional.of(last));
    }
  }
}
