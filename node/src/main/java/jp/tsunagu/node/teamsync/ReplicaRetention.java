package jp.tsunagu.node.teamsync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.replication.TeamData;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.teamsync.TeamSync.SharedBoard;

/**
 * How long this node keeps its replicas: following the agreements (a replica of a home node no
 * agreement covers is frozen, then purged after the retention period), purging a board held only as
 * an invitation nobody here takes up any more, and deleting the files no row names after a purge.
 */
final class ReplicaRetention {

  private final NodeServices services;
  private final Federation federation;
  private final AuditLog audit;
  private final TeamData data;
  private final Predicate<String> careTeamPartner;

  ReplicaRetention(NodeServices services, Federation federation, AuditLog audit, TeamData data,
      Predicate<String> careTeamPartner) {
    this.services = services;
    this.federation = federation;
    this.audit = audit;
    this.data = data;
    this.careTeamPartner = careTeamPartner;
  }

  private Database db() {
    return services.database();
  }

  /**
   * A board held here only as an invitation (no history arrived) that no professional of this node
   * is invited to or active in any more (declined, or the invitation withdrawn): nothing is kept.
   */
  List<String> purgeIfOnlyInvited(Connection c, String boardId) throws SQLException {
    Optional<TeamLogSql.BoardHome> board = TeamLogSql.board(c, boardId);
    if (board.isEmpty() || board.get().local() || TeamLogSql.latestSeq(c, boardId) > 0
        || ReplicaSql.anyLocalMember(c, boardId) || OutboxSql.writesPending(c, boardId)) {
      return List.of();
    }
    audit.append(c, AuditEvent.success("system", "sync.invitation.closed", "patient:" + boardId, null));
    return ReplicaSql.purge(c, boardId);
  }

  /** This node's live replicas of boards homed at a node, with their cursors. */
  Future<List<SharedBoard>> replicas(String homeNode) {
    return db().read(c -> ReplicaSql.replicas(c, homeNode).stream()
        .map(b -> new SharedBoard(b.boardId(), b.latestSeq(), b.latestSeq())).toList());
  }

  /**
   * Follows the agreements: replicas of a home node no agreement covers any more are frozen (nobody
   * reads them, nothing flows) and purged once the retention period has passed; boards homed here
   * stop flowing to such a partner. Every change is audited.
   */
  Future<Void> followAgreements(Vertx vertx) {
    Instant now = services.clock().instant();
    // Looked at first on a reader: the sweep follows the agreements every second, and a write that
    // changes nothing still costs a commit (an fsync) a second on every node.
    return db().read(c -> anythingToFollow(c, now))
        .compose(due -> due ? changeToFollow(now) : Future.succeededFuture());
  }

  /** Whether a replica's state no longer matches its agreement, or a frozen replica is due for purging. */
  private boolean anythingToFollow(java.sql.Connection c, Instant now) throws java.sql.SQLException {
    for (String home : ReplicaSql.replicaHomes(c)) {
      if (!ReplicaSql.replicaIds(c, home, careTeamPartner.test(home) ? "frozen" : "live").isEmpty()) {
        return true;
      }
    }
    return !ReplicaSql.purgeDue(c, now.toString()).isEmpty();
  }

  private Future<Void> changeToFollow(Instant now) {
    List<String> purged = new ArrayList<>();
    return db().<Void>write(c -> {
      purged.clear();
      for (String home : ReplicaSql.replicaHomes(c)) {
        boolean covered = careTeamPartner.test(home);
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
  Future<Void> deleteUnreferencedFiles(List<String> hashes) {
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
}
