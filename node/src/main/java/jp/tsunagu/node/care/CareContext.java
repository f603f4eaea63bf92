package jp.tsunagu.node.care;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.storage.SqlWork;
import jp.tsunagu.node.care.timeline.AuthorPlaces;
import jp.tsunagu.node.care.timeline.TimelineCache;
import jp.tsunagu.node.care.teams.Member;
import jp.tsunagu.node.care.teams.FederatedUsers;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.teams.BoardKind;
import jp.tsunagu.node.care.replication.TeamReplication;
import jp.tsunagu.node.care.replication.TeamEvents;
import jp.tsunagu.node.care.live.LiveEvents;
import jp.tsunagu.node.care.attachments.AttachmentFiles;

/**
 * What the care routes share, one per node: storage, the audit log, attachment files, the cache of
 * first timeline pages and the authors' places pages show, the people of team events, the hooks of
 * team replication, and the access check every patient-data route starts with.
 */
public record CareContext(NodeServices services, AuditLog audit, AttachmentFiles files, TimelineCache timelines,
    AuthorPlaces authors, FederatedUsers users, TeamEvents events, TeamReplication replication, LiveEvents live) {

  public static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

  public Database database() {
    return services.database();
  }

  public String now() {
    return Instant.now(services.clock()).toString();
  }

  public LocalDate today() {
    return LocalDate.now(services.clock().withZone(JAPAN));
  }

  /**
   * The caller's active membership of the board, or a failed future with the same 404 a missing
   * board gets. A refusal is audited: probing for other teams' records leaves a trace.
   */
  public Future<Member> member(CareActor actor, BoardKind kind, String boardId, String action) {
    return database().read(c -> BoardSql.activeMember(c, boardId, kind, actor.userId()))
        .compose(found -> found.isPresent() ? Future.succeededFuture(found.get()) : notAMember(actor, kind, boardId, action));
  }

  /**
   * {@link #member} and a read of the board's data in one trip to a reader connection (and one
   * snapshot), for the timeline page, the busiest read: every trip to a storage thread and back
   * costs two thread wake-ups. A non-member gets the same audited 404 and nothing is read.
   */
  public <T> Future<T> readAsMember(CareActor actor, BoardKind kind, String boardId, String action, SqlWork<T> work) {
    return database().read(c -> BoardSql.isActiveMember(c, boardId, kind, actor.userId())
            ? Optional.of(work.run(c)) : Optional.<T>empty())
        .compose(read -> read.isPresent() ? Future.succeededFuture(read.get()) : notAMember(actor, kind, boardId, action));
  }

  /** The audited 404 of a caller who is not an active member of the board. */
  public <T> Future<T> notAMember(CareActor actor, BoardKind kind, String boardId, String action) {
    return audit.record(AuditEvent.refused(actor.userId(), action, kind.auditTarget(boardId),
        new JsonObject().put("reason", "not_a_member"))).transform(ignored -> Future.failedFuture(CareErrors.notFound()));
  }

  /** Records a read of patient data, then hands on the value read. */
  public <T> Future<T> auditedRead(Future<T> read, CareActor actor, String action, String target) {
    return read.compose(value -> audit.record(AuditEvent.success(actor.userId(), action, target, null))
        .map(ignored -> value));
  }

  public Future<Void> refused(CareActor actor, String action, String target) {
    return audit.record(AuditEvent.refused(actor.userId(), action, target, new JsonObject().put("reason", "not_found")));
  }

  /** Records a write on a board as a team event (for partners), in the write's transaction. */
  public void recordEvent(java.sql.Connection c, String boardId, TeamEvents.Draft draft) throws java.sql.SQLException {
    replication.record(c, boardId, ignored -> draft);
  }

  /** {@link #recordEvent}, the event made only if the board takes part in sharing (see {@link TeamReplication.Drafting}). */
  public void recordEvent(java.sql.Connection c, String boardId, TeamReplication.Drafting draft)
      throws java.sql.SQLException {
    replication.record(c, boardId, draft);
  }

  /**
   * Tells live streams (on every instance of this node) that something changed on a board, in the
   * write's own transaction: the event is kept with the write, so it reaches every instance's streams
   * with it and a stream taken up again is sent it. Team replication is told with {@link #boardChanged}
   * once the write is committed.
   */
  public void recordLive(java.sql.Connection c, String boardId, JsonObject event) throws java.sql.SQLException {
    live.record(c, boardId, event);
  }

  /** Tells team replication that the board may have news for partners, once a write is committed. */
  public static void boardChanged(Vertx vertx, String boardId) {
    vertx.eventBus().publish(TeamReplication.BOARD_CHANGED, boardId);
  }
}
