package jp.tsunagu.node.sensors;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.identity.Mailer;
import jp.tsunagu.node.storage.Database;

/**
 * Escalation of an alert to the resident's family and care manager: a notice on the patient's team
 * timeline marked as an alert (on a team shared with partners it travels as a team post, which is how
 * a care manager on a partner node gets it), and a mail to each family contact and to each care
 * manager of the team on this node. By the operator, or by the timer when an alert stayed
 * unacknowledged (発生) for the configured minutes.
 */
final class Escalations {

  static final String CARE_MANAGER = "care_manager";
  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("M月d日 H:mm");

  private final Database database;
  private final AuditLog audit;
  private final TimelineNotices notices;
  private final Mailer mailer;
  private final ZoneId zone;

  Escalations(Database database, AuditLog audit, TimelineNotices notices, Mailer mailer, ZoneId zone) {
    this.database = database;
    this.audit = audit;
    this.notices = notices;
    this.mailer = mailer;
    this.zone = zone;
  }

  /** What an escalation wrote, for the work after its commit: the notice to announce and the mails to send. */
  record Done(String alertId, String patientId, Optional<String> noticeId, List<Mailer.Mail> mails) {}

  /**
   * Escalates in the caller's transaction (the state change, its step, its audit entry and the notice
   * are one write). {@code actor} is the operator, or null when the timer escalates; the notice is
   * then written under the name of the staff member who enrolled the household.
   */
  Done escalate(Connection c, Alert alert, Household h, String actor, String note, long nowMs) throws SQLException {
    boolean automatic = actor == null;
    String who = automatic ? "rules" : actor;
    AlertSql.move(c, alert.id(), List.of("raised", "in_progress"), "escalated", "escalated_ms", nowMs);
    AlertSql.step(c, alert.id(), nowMs, who, automatic ? "auto_escalated" : "escalated", null, note);
    String lastCall = AlertSql.steps(c, alert.id()).stream().filter(s -> "call".equals(s.step()))
        .reduce((a, b) -> b).map(s -> AlertCall.fromCode(s.outcome()).map(AlertCall::labelJa).orElse("") +
            (s.note().isBlank() ? "" : "（" + s.note() + "）")).orElse("まだ電話がつながっていません");
    String body = "【みまもりアラート】" + alert.kind().labelJa() + "\n" + h.residentName() + " 様（" + h.address() + "）\n"
        + "発生: " + shown(alert.raisedMs()) + "\n見守りセンターの記録: " + lastCall + "\n"
        + (automatic ? "見守りセンターで対応が始まらないまま時間が過ぎたため、自動でお知らせしています。\n" : "")
        + (note == null || note.isBlank() ? "" : "連絡事項: " + note + "\n") + "ご様子の確認（訪問）をお願いします。";
    Optional<String> notice = Optional.empty();
    List<Mailer.Mail> mails = new ArrayList<>();
    if (h.patientId() != null) {
      notice = notices.post(c, h.patientId(), automatic ? h.enrolledBy() : actor, body);
      for (TimelineNotices.MemberContact m : notices.localMembers(c, h.patientId())) {
        if (CARE_MANAGER.equals(m.profession()) && !m.mail().isBlank()) {
          mails.add(mail(m.mail(), h, body));
        }
      }
    }
    for (Household.Contact contact : h.contacts()) {
      if (!contact.mail().isBlank()) {
        mails.add(mail(contact.mail(), h, body));
      }
    }
    audit.append(c, AuditEvent.success(who, "sensors.alert.escalated", "sensors:alert:" + alert.id(),
        new JsonObject().put("household", h.id()).put("automatic", automatic).put("notice", notice.orElse(null))
            .put("mails", mails.size())));
    return new Done(alert.id(), h.patientId(), notice, mails);
  }

  /** After the commit: the team's open timelines are told of the notice and the mails go out (audited). */
  Future<Void> committed(Vertx vertx, Done done) {
    done.noticeId().ifPresent(id -> notices.committed(vertx, done.patientId(), id));
    vertx.eventBus().publish(AlertRules.ADDRESS, new JsonObject().put("escalated", 1));
    if (done.mails().isEmpty()) {
      return Future.succeededFuture();
    }
    return mailer.send(vertx, done.mails()).map(true).otherwise(false).compose(sent ->
        audit.record(AuditEvent.success("rules", "sensors.alert.mailed", "sensors:alert:" + done.alertId(),
            new JsonObject().put("sent", sent).put("mails", done.mails().size()))));
  }

  /** Escalates every call-centre alert still 発生 since {@code beforeMs} (the timer's part). */
  Future<Void> overdue(Vertx vertx, long beforeMs, long nowMs) {
    // Looked for on a reader first: the timer looks every few seconds and nearly always finds nothing, and
    // the single writer is not to be taken for nothing. The write looks again (the operator may have
    // answered meanwhile; a look already escalated it).
    return database.read(c -> !AlertSql.unacknowledgedSince(c, beforeMs).isEmpty()).compose(any -> !any
        ? Future.<Void>succeededFuture() : escalate(vertx, beforeMs, nowMs));
  }

  private Future<Void> escalate(Vertx vertx, long beforeMs, long nowMs) {
    return database.write(c -> {
      List<Done> done = new ArrayList<>();
      for (Alert alert : AlertSql.unacknowledgedSince(c, beforeMs)) {
        Optional<Household> h = HouseholdSql.byId(c, alert.householdId());
        if (h.isPresent()) {
          done.add(escalate(c, alert, h.get(), null, "", nowMs));
        }
      }
      return done;
    }).compose(done -> Future.all(done.stream().map(d -> committed(vertx, d)).toList()).<Void>mapEmpty());
  }

  private Mailer.Mail mail(String to, Household h, String body) {
    return new Mailer.Mail(to, "【みまもりセンサー】" + h.residentName() + " 様の見守りについて", body
        + "\n\nこのメールは、市の見守り事業（みまもりセンサー）から送っています。");
  }

  private String shown(long ms) {
    return SHOWN.format(Instant.ofEpochMilli(ms).atZone(zone));
  }
}
