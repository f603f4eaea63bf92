package jp.tsunagu.node.family;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.FamilySharing;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.identity.Mailer;
import jp.tsunagu.node.meetings.Meetings;

/**
 * What the family routes share, and the bounds of a family account's access: a session lasts at
 * most {@code sessionFor} and ends after {@code idleFor} without use; {@code failuresBeforeLock}
 * failed logins lock the account for {@code lockFor}; an activation code is good for {@code activationFor};
 * one account writes at most {@code entriesPerHour} entries an hour (each is a notice on the team's timeline).
 */
record FamilyContext(NodeServices services, AuditLog audit, PatientAccess patients, TimelineNotices notices,
    FamilySharing sharing, Meetings meetings, Mailer mailer, Duration sessionFor, Duration idleFor, int failuresBeforeLock, Duration lockFor,
    Duration activationFor, int entriesPerHour) {

  static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

  static FamilyContext of(NodeServices services, PatientAccess patients, TimelineNotices notices,
      FamilySharing sharing, Meetings meetings) {
    return new FamilyContext(services, new AuditLog(services.database(), services.clock()), patients, notices,
        sharing, meetings, new Mailer(services.config().mail()), Duration.ofHours(8), Duration.ofMinutes(30), 5,
        Duration.ofMinutes(15), Duration.ofDays(14), 30);
  }

  Instant now() {
    return Instant.now(services.clock());
  }

  /** How the audit log names a family account: never a users row, so never mistaken for a professional. */
  static String actor(String accountId) {
    return "family:" + accountId;
  }

  static String patientTarget(String patientId) {
    return "patient:" + patientId;
  }

  /**
   * Counts one failed login of the account, whichever door it came through (password and code, or a
   * passkey): the {@code failuresBeforeLock}-th in a row locks it for {@code lockFor}.
   *
   * @return whether this failure locked the account
   */
  boolean loginFailed(java.sql.Connection c, FamilyAccount account, Instant now) throws java.sql.SQLException {
    int failures = account.failedLogins() + 1;
    String lock = failures >= failuresBeforeLock ? now.plus(lockFor).toString() : null;
    FamilySql.loginFailed(c, account.id(), lock == null ? failures : 0, lock);
    return lock != null;
  }

  /** A refusal with nothing changed but the audit log, then the coded failure. */
  <T> Future<T> refused(String actor, String action, String target, RuntimeException error) {
    String code = error instanceof jp.tsunagu.node.errors.CodedException coded ? coded.code() : "refused";
    return audit.record(AuditEvent.refused(actor, action, target, new JsonObject().put("reason", code)))
        .transform(ignored -> Future.failedFuture(error));
  }
}
