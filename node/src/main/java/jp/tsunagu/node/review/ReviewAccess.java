package jp.tsunagu.node.review;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;

/**
 * Who may see what of the review board. The secretariat's routes are role-gated (403 for others); a
 * reviewer sees a session only while sitting on its panel, and anyone else, whatever their role, gets the
 * same 404 as for a session that does not exist (and a case after deletion is a 404 too).
 */
final class ReviewAccess {

  static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");
  private static final DateTimeFormatter MONTH_DAY = DateTimeFormatter.ofPattern("M/d");

  /** A member of a session's panel, with the session. */
  record Seat(ReviewSql.Session session, ReviewSql.Panel panel, ReviewSql.Member member) {
    boolean chair() {
      return member.position().equals("chair");
    }

    String appointmentId() {
      return member.appointment().id();
    }
  }

  private final String nodeName;
  private final AuditLog audit;

  ReviewAccess(String nodeName, AuditLog audit) {
    this.nodeName = nodeName;
    this.audit = audit;
  }

  String nodeName() {
    return nodeName;
  }

  /**
   * The caller's seat on the session's panel, or the 404; the caller records the refusal with
   * {@link #audited} once the transaction is over.
   */
  Seat seat(Connection c, String userId, String sessionId) throws SQLException {
    return seatOf(c, nodeName, userId, sessionId);
  }

  /** The seat of a reviewer of any node (a partner's professional is (her node, her user id)), or the 404. */
  Seat seatOf(Connection c, String nodeId, String userId, String sessionId) throws SQLException {
    Optional<ReviewSql.Session> session = ReviewSql.session(c, sessionId).filter(s -> s.purgedAt() == null);
    if (session.isPresent()) {
      for (ReviewSql.Member m : ReviewSql.members(c, session.get().panelId())) {
        ReviewSql.Appointment a = m.appointment();
        if (a.nodeId().equals(nodeId) && a.userId().equals(userId) && a.endedAt() == null) {
          return new Seat(session.get(), ReviewSql.panel(c, session.get().panelId()).orElseThrow(), m);
        }
      }
    }
    throw notFound();
  }

  /** The case and the caller's seat on its session's panel; a deleted case is a 404 like an unknown one. */
  CaseSeat caseSeat(Connection c, String userId, String caseId) throws SQLException {
    Optional<ReviewSql.Case> found = ReviewSql.caseById(c, caseId).filter(k -> k.purgedAt() == null);
    if (found.isEmpty()) {
      throw notFound();
    }
    return new CaseSeat(found.get(), seat(c, userId, found.get().sessionId()));
  }

  /** {@link #caseSeat} for a reviewer of any node. */
  CaseSeat caseSeatOf(Connection c, String nodeId, String userId, String caseId) throws SQLException {
    Optional<ReviewSql.Case> found = ReviewSql.caseById(c, caseId).filter(k -> k.purgedAt() == null);
    if (found.isEmpty()) {
      throw notFound();
    }
    return new CaseSeat(found.get(), seatOf(c, nodeId, userId, found.get().sessionId()));
  }

  record CaseSeat(ReviewSql.Case kase, Seat seat) {}

  /** A session as the secretariat reaches it: any session, but a deleted one's cases are gone. */
  ReviewSql.Session session(Connection c, String sessionId) throws SQLException {
    return ReviewSql.session(c, sessionId).orElseThrow(ReviewAccess::notFound);
  }

  ReviewSql.Case liveCase(Connection c, String caseId) throws SQLException {
    return ReviewSql.caseById(c, caseId).filter(k -> k.purgedAt() == null).orElseThrow(ReviewAccess::notFound);
  }

  /**
   * Records a refusal of {@code work} in the audit log (reads run on read-only connections, so the
   * refusal is written after them) and fails with the same 404.
   */
  <T> Future<T> audited(Future<T> work, String userId, String action, String target) {
    return work.recover(e -> e instanceof CodedException coded && coded.code().equals("review.not_found")
        ? audit.record(AuditEvent.refused(userId, action, target, new JsonObject().put("reason", "not_found")))
            .transform(x -> Future.<T>failedFuture(e))
        : Future.failedFuture(e));
  }

  static CodedException notFound() {
    return CodedException.notFound("review.not_found", "審査会または事例が見つかりません。");
  }

  /** What a reviewer sees instead of the applicant: 第3合議体 12/10 事例07. */
  static String label(ReviewSql.Panel panel, ReviewSql.Session session, int ordinal) {
    String day = MONTH_DAY.format(Instant.parse(session.startsAt()).atZone(JAPAN));
    return "第" + panel.number() + "合議体 " + day + " 事例" + String.format("%02d", ordinal);
  }
}
