package jp.tsunagu.node.teamsync;

import java.util.List;
import java.util.function.Predicate;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.storage.Database;

/**
 * A member node's side of a home node's recovery: how far this node's replicas of the home's boards
 * have applied, and the events of a replica after a seq, exactly as the home countersigned them, so
 * a home restored from an older backup can take back what it lost. Served to the board's home node
 * only ({@link IncomingEventPolicy#checkReplicaReader}).
 */
final class ReplicaReturns {

  /** One replica of a board homed at the caller and how far it has applied. */
  record Cursor(String boardId, long cursor) {}

  /** A page of a replica's log: its cursor (counting skipped events) and the envelopes after a seq. */
  record Page(long cursor, List<String> envelopes) {}

  private final Database db;
  private final IncomingEventPolicy policy;
  private final Predicate<String> careTeamPartner;

  ReplicaReturns(Database db, IncomingEventPolicy policy, Predicate<String> careTeamPartner) {
    this.db = db;
    this.policy = policy;
    this.careTeamPartner = careTeamPartner;
  }

  /** The live replicas here of boards homed at {@code home}, with their cursors. */
  io.vertx.core.Future<List<Cursor>> cursors(String home) {
    if (!careTeamPartner.test(home)) {
      return io.vertx.core.Future.succeededFuture(List.of());
    }
    return db.read(c -> ReplicaSql.replicas(c, home).stream().map(b -> new Cursor(b.boardId(), b.latestSeq()))
        .toList());
  }

  /** The replica's events after {@code after}, for the board's home node only. */
  io.vertx.core.Future<Page> events(String caller, String boardId, long after, int limit) {
    if (!careTeamPartner.test(caller)) {
      return io.vertx.core.Future.failedFuture(new SyncRejection("sync.scope_missing",
          "no care-team agreement with " + caller));
    }
    return db.read(c -> {
      policy.checkReplicaReader(c, boardId, caller);
      return new Page(TeamLogSql.latestSeq(c, boardId),
          TeamLogSql.envelopesAfter(c, boardId, after, Long.MAX_VALUE, limit));
    });
  }
}
