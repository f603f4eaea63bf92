package jp.tsunagu.node.sensors;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.identity.Mailer;
import jp.tsunagu.node.storage.Database;

/**
 * On a partner node of a resident's team: when the home node's summary shows an alert escalated, this
 * node's care managers of the team get a mail (their addresses are known here only). The summary
 * queues the alert as it is applied; the rules' timer sends the mails after that commit. The mail names
 * no one: it says which alert and asks to look at the patient's センサー tab.
 */
final class PartnerMails {

  private static final String CARE_MANAGER = "care_manager";
  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("M月d日 H:mm");

  private final Database database;
  private final AuditLog audit;
  private final TimelineNotices notices;
  private final Mailer mailer;
  private final Clock clock;
  private final ZoneId zone;

  PartnerMails(Database database, AuditLog audit, TimelineNotices notices, Mailer mailer, Clock clock, ZoneId zone) {
    this.database = database;
    this.audit = audit;
    this.notices = notices;
    this.mailer = mailer;
    this.clock = clock;
    this.zone = zone;
  }

  /** Queues the escalated alerts of a summary just applied (once per alert). */
  static void queue(Connection c, String patientId, JsonArray alerts, String now) throws SQLException {
    for (Object item : alerts) {
      JsonObject a = (JsonObject) item;
      if (a.getLong("escalatedMs") != null) {
        AlertJdbc.update(c, "insert or ignore into sensor_partner_mails (alert_id, patient_id, kind, escalated_ms,"
            + " queued_at) values (?, ?, ?, ?, ?)", a.getString("id"), patientId, a.getString("kind"),
            a.getLong("escalatedMs"), now);
      }
    }
  }

  private record Queued(String alertId, String patientId, String kind, long escalatedMs) {}

  /** Mails the care managers of every queued alert; answers how many mails went out. */
  Future<Integer> sendQueued(Vertx vertx) {
    return database.write(c -> {
      List<Mailer.Mail> mails = new ArrayList<>();
      String now = Instant.now(clock).toString();
      for (Queued q : AlertJdbc.list(c, "select alert_id, patient_id, kind, escalated_ms from sensor_partner_mails"
          + " where mailed_at is null order by queued_at, alert_id", rs -> new Queued(rs.getString(1), rs.getString(2),
          rs.getString(3), rs.getLong(4)))) {
        int before = mails.size();
        for (TimelineNotices.MemberContact m : notices.localMembers(c, q.patientId())) {
          if (CARE_MANAGER.equals(m.profession()) && !m.mail().isBlank()) {
            mails.add(mail(m.mail(), q));
          }
        }
        AlertJdbc.update(c, "update sensor_partner_mails set mailed_at = ? where alert_id = ?", now, q.alertId());
        audit.append(c, AuditEvent.success("rules", "sensors.partner_alert.mailed", "patient:" + q.patientId(),
            new JsonObject().put("alert", q.alertId()).put("mails", mails.size() - before)));
      }
      return mails;
    }).compose(mails -> mails.isEmpty() ? Future.succeededFuture(0)
        : mailer.send(vertx, mails).map(mails.size()));
  }

  private Mailer.Mail mail(String to, Queued q) {
    String kind = AlertKind.fromCode(q.kind()).map(AlertKind::labelJa).orElse(q.kind());
    return new Mailer.Mail(to, "【みまもりセンサー】担当の方のアラートがエスカレーションされました",
        "【みまもりアラート】" + kind + "\nエスカレーション: " + SHOWN.format(Instant.ofEpochMilli(q.escalatedMs())
            .atZone(zone)) + "\n見守りセンターから、担当ケアマネジャーへのお知らせです。つなぐの患者ページ（センサーのタブ・"
            + "タイムライン）でご確認のうえ、ご様子の確認（訪問）をお願いします。"
            + "\n\nこのメールは、市の見守り事業（みまもりセンサー）の連携先ノードから送っています。");
  }
}
