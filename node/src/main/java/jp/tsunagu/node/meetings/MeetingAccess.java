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
 * else gets the audited 404 a meeting that does not exist gets); only the organiser changes it (at the
 * home node, any active member stands in for an organiser of a partner's node or one who left), and a
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

  /**
   * The meeting if {@code userId} may change, cancel, minute it and add documents: its organiser (or a
   * stand-in, see {@link #standsIn}), on the patient's home node (a partner's copy follows the home
   * node's: {@code meetings.board_not_home}), and not cancelled.
   */
  Future<Meeting> organizer(String userId, String meetingId, String action) {
    return visible(userId, meetingId, action).compose(m -> services.database().read(c ->
        !(m.organizerId().equals(userId) || standsIn(c, m, userId)) ? "not_organizer"
            : boards.board(c, m.boardId()).map(Boards.Board::replica).orElse(false) ? "not_home" : "")
        .compose(refusal -> {
          if (refusal.equals("not_organizer")) {
            return audit.record(AuditEvent.refused(userId, action, "meeting:" + meetingId,
                new JsonObject().put("reason", "not_organizer"))).transform(x -> Future.<Meeting>failedFuture(
                    CodedException.forbidden("meetings.not_organizer", "会議を変更できるのは設定した人だけです。")));
          }
          if (refusal.equals("not_home")) {
            return Future.<Meeting>failedFuture(CodedException.conflict("meetings.board_not_home",
                "他の地域のチームの会議の変更・中止・議事録・資料の配布は、患者の登録先の地域で行います。"));
          }
          return m.cancelled() ? Future.<Meeting>failedFuture(cancelled()) : Future.succeededFuture(m);
        }));
  }

  /**
   * The meeting if {@code userId} may record its minutes: as {@link #organizer}, except that on a
   * partner's copy its organiser may too (her minutes go to the home node, which decides).
   */
  Future<Meeting> minuter(String userId, String meetingId, String action) {
    return visible(userId, meetingId, action).compose(m -> services.database().read(c -> mayChange(c, m, userId))
        .compose(may -> {
          if (!may) {
            return audit.record(AuditEvent.refused(userId, action, "meeting:" + meetingId,
                new JsonObject().put("reason", "not_organizer"))).transform(x -> Future.<Meeting>failedFuture(
                    CodedException.forbidden("meetings.not_organizer", "議事録を記録できるのは会議を設定した人だけです。")));
          }
          return m.cancelled() ? Future.<Meeting>failedFuture(cancelled()) : Future.succeededFuture(m);
        }));
  }

  /**
   * The meeting if {@code userId} may change or cancel it: as {@link #organizer}, except that on a
   * partner's copy its organiser may too (her change goes to the home node, which decides), and a
   * meeting that is over is neither changed nor called off ({@code meetings.ended}).
   */
  Future<Meeting> changer(String userId, String meetingId, String action) {
    return visible(userId, meetingId, action).compose(m -> services.database().read(c -> mayChange(c, m, userId))
        .compose(may -> {
          if (!may) {
            return audit.record(AuditEvent.refused(userId, action, "meeting:" + meetingId,
                new JsonObject().put("reason", "not_organizer"))).transform(x -> Future.<Meeting>failedFuture(
                    CodedException.forbidden("meetings.not_organizer", "会議を変更できるのは設定した人だけです。")));
          }
          if (m.cancelled()) {
            return Future.<Meeting>failedFuture(cancelled());
          }
          return m.endsAt().isAfter(services.clock().instant()) ? Future.succeededFuture(m)
              : Future.<Meeting>failedFuture(CodedException.conflict("meetings.ended", "この会議は終わっています。"));
        }));
  }

  /**
   * Whether {@code userId} may change or cancel the meeting: at the home node its organiser or a
   * stand-in (a partner's change is checked there by the same rule), on a partner's copy its organiser.
   */
  boolean mayChange(Connection c, Meeting m, String userId) throws SQLException {
    boolean copy = boards.board(c, m.boardId()).map(Boards.Board::replica).orElse(true);
    return m.organizerId().equals(userId) || (!copy && standsIn(c, m, userId));
  }

  /** Whether {@code userId} may record minutes and add documents here (the home node only). */
  private boolean mayRecord(Connection c, Meeting m, String userId) throws SQLException {
    return !boards.board(c, m.boardId()).map(Boards.Board::replica).orElse(true)
        && (m.organizerId().equals(userId) || standsIn(c, m, userId));
  }

  /**
   * On the patient's home node, a meeting whose organiser is no active member of this node's own (a
   * partner's professional set it up on her node, or the organiser left the team) is changed,
   * cancelled and minuted by any active member here: her own node cannot (the home node's copy is the
   * one every node follows), and a meeting must not be left that nobody may call off.
   */
  private boolean standsIn(java.sql.Connection c, Meeting m, String userId) throws java.sql.SQLException {
    Optional<Boards.Board> board = boards.board(c, m.boardId());
    if (board.isEmpty() || board.get().replica() || !boards.activeMember(c, m.boardId(), userId)) {
      return false;
    }
    return boards.activeMembers(c, m.boardId()).stream()
        .noneMatch(p -> p.userId().equals(m.organizerId()) && !p.partner());
  }

  /** Whether the meeting's start time has come by the node's clock. */
  boolean started(Meeting m) {
    return !m.startsAt().isAfter(services.clock().instant());
  }

  static CodedException notStarted() {
    return CodedException.conflict("meetings.not_started", "議事録は会議の開始後に記録できます。");
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
        board.map(b -> b.kind().code()).orElse("")).put("mayChange", mayChange(c, m, userId))
        .put("mayRecord", mayRecord(c, m, userId))
        // Minutes are a record of what was said: offered only from the meeting's start (on a partner's
        // copy to its organiser, whose minutes go to the home node).
        .put("mayMinute", started(m) && !m.cancelled() && mayChange(c, m, userId))
        .put("submissions", MeetingSubmissions.of(c, m.boardId(), userId, m.id()));
  }

  static CodedException notFound() {
    return CodedException.notFound("meetings.not_found", "会議が見つかりません。");
  }

  private static CodedException cancelled() {
    return CodedException.conflict("meetings.cancelled", "この会議は中止されています。");
  }
}
