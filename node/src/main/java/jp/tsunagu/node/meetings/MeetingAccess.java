package jp.tsunagu.node.meetings;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.Boards;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;

/**
 * Who may see and change a meeting: an active member of its board or a participant sees it (anyone
 * else gets the audited 404 a meeting that does not exist gets); only the organiser changes it, and a
 * cancelled meeting changes no more.
 */
final class MeetingAccess {

  private final NodeServices services;
  private final AuditLog audit;
  private final Boards boards;

  MeetingAccess(NodeServices services, AuditLog audit, Boards boards) {
    this.services = services;
    this.audit = audit;
    this.boards = boards;
  }

  Future<Meeting> visible(String userId, String meetingId, String action) {
    return services.database().read(c -> {
      Optional<Meeting> m = MeetingSql.byId(c, meetingId);
      return m.isPresent() && (m.get().participant(userId).isPresent()
          || boards.activeMember(c, m.get().boardId(), userId)) ? m : Optional.<Meeting>empty();
    })
        .compose(found -> found.isPresent() ? Future.succeededFuture(found.get())
            : audit.record(AuditEvent.refused(userId, action, "meeting:" + meetingId,
                new JsonObject().put("reason", "not_found"))).transform(x -> Future.failedFuture(notFound())));
  }

  Future<Meeting> organizer(String userId, String meetingId, String action) {
    return visible(userId, meetingId, action).compose(m -> {
      if (!m.organizerId().equals(userId)) {
        return audit.record(AuditEvent.refused(userId, action, "meeting:" + meetingId,
            new JsonObject().put("reason", "not_organizer"))).transform(x -> Future.failedFuture(
                CodedException.forbidden("meetings.not_organizer", "会議を変更できるのは設定した人だけです。")));
      }
      return m.cancelled() ? Future.failedFuture(cancelled()) : Future.succeededFuture(m);
    });
  }

  /** The meeting as it is inside the writing transaction (a cancellation may have come in between). */
  Meeting current(Connection c, Meeting read) throws SQLException {
    Meeting current = MeetingSql.byId(c, read.id()).orElseThrow(MeetingAccess::notFound);
    if (current.cancelled()) {
      throw cancelled();
    }
    return current;
  }

  JsonObject json(Connection c, Meeting m, String userId) throws SQLException {
    Optional<Boards.Board> board = boards.board(c, m.boardId());
    return m.toJson(userId, board.map(Boards.Board::name).orElse(""),
        board.map(b -> b.kind().code()).orElse(""));
  }

  static CodedException notFound() {
    return CodedException.notFound("meetings.not_found", "会議が見つかりません。");
  }

  private static CodedException cancelled() {
    return CodedException.conflict("meetings.cancelled", "この会議は中止されています。");
  }
}
