package jp.tsunagu.node.emergency;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.EmergencyRecords;
import jp.tsunagu.node.feature.NodeServices;

/**
 * What the emergency routes share: storage, the audit log, care's published patient records, and
 * the limits of an access.
 *
 * @param consents where the node records whether a patient consented to sharing (shown, never a block)
 * @param accessFor how long an emergency access may be read (30 minutes: one call and the ride)
 * @param accessesPerHour how many accesses one account may open in an hour before it is refused and flagged
 * @param searchMatches the most people a search may list; more asks for detail and lists none
 */
record EmergencyContext(NodeServices services, AuditLog audit, EmergencyRecords records, SharingConsents consents,
    Duration accessFor, int accessesPerHour, int searchMatches) {

  static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");
  private static final java.time.format.DateTimeFormatter STAMP =
      java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

  static EmergencyContext of(NodeServices services, EmergencyRecords records, SharingConsents consents) {
    return new EmergencyContext(services, new AuditLog(services.database(), services.clock()), records, consents,
        Duration.ofMinutes(30), 10, 5);
  }

  Instant now() {
    return Instant.now(services.clock());
  }

  /** An instant as stored: fixed width (milliseconds, UTC), so stored times compare as text. */
  static String stamp(Instant at) {
    return STAMP.format(at);
  }

  LocalDate today() {
    return LocalDate.now(services.clock().withZone(JAPAN));
  }

  /** A refusal with nothing changed but the audit log, then the coded failure. */
  <T> Future<T> refused(String userId, String action, String target, RuntimeException error) {
    String code = error instanceof jp.tsunagu.node.errors.CodedException coded ? coded.code() : "refused";
    return audit.record(AuditEvent.refused(userId, action, target, new JsonObject().put("reason", code)))
        .transform(ignored -> Future.failedFuture(error));
  }

  static String patientTarget(String patientId) {
    return "patient:" + patientId;
  }
}
