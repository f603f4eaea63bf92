package jp.tsunagu.node.review.partner;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.identity.Mailer;
import jp.tsunagu.node.identity.Professionals;
import jp.tsunagu.node.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reviewer's node mails its professional who sits on a partner's panel, since it alone holds her
 * address: the notice once the session's materials reach her (date and time, the video link, the 事前審査
 * deadline) and, a day before the deadline, a reminder while a case held for her lacks her opinion. No
 * case data goes by mail. Each mail goes once: it is marked after it went out, so a mail server that is
 * down is tried again by the next run (the job every five minutes, and each package received).
 */
public final class PartnerNotices {

  /** How long before the 事前審査 deadline the reminder goes (as for the home's own reviewers). */
  static final Duration REMIND_BEFORE = Duration.ofDays(1);
  private static final Logger LOG = LoggerFactory.getLogger(PartnerNotices.class);
  private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("uuuu年M月d日 HH:mm");

  /** One mail due: a session held for her, which kind. */
  private record Due(String home, String sessionId, String reviewer, String title, String startsAt, String endsAt,
      String deadline, String videoUrl, String kind) {}

  private final Database database;
  private final AuditLog audit;
  private final Professionals professionals;
  private final Mailer mailer;
  private final Clock clock;
  private final String webUrl;
  private Future<Integer> last = Future.succeededFuture(0);

  /** @param webUrl this node's web address, where her screen of partner sessions is */
  public PartnerNotices(Database database, AuditLog audit, Professionals professionals, Mailer mailer, Clock clock,
      String webUrl) {
    this.database = database;
    this.audit = audit;
    this.professionals = professionals;
    this.mailer = mailer;
    this.clock = clock;
    this.webUrl = webUrl;
  }

  /** The same at this node's time (after a package arrives, and from the job). */
  public Future<Integer> sendDueNow(Vertx vertx) {
    return sendDue(vertx, Instant.now(clock));
  }

  /**
   * Sends the notices and reminders due at {@code now}; answers how many went out. One run at a time
   * (a package, the job and a test may ask at once), each after the one before marked what it sent.
   */
  public synchronized Future<Integer> sendDue(Vertx vertx, Instant now) {
    Future<Integer> run = last.transform(before -> sendDueAlone(vertx, now));
    last = run;
    return run;
  }

  private Future<Integer> sendDueAlone(Vertx vertx, Instant now) {
    if (!mailer.configured()) {
      return Future.succeededFuture(0); // nothing to send with: she sees the session on her screen
    }
    return database.read(c -> due(c, now)).compose(due -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (Due d : due) {
        chain = chain.compose(sent -> send(vertx, d, now).map(ok -> ok ? sent + 1 : sent));
      }
      return chain;
    });
  }

  private static List<Due> due(Connection c, Instant now) throws SQLException {
    List<Due> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select home_node, session_id, reviewer_id, title, starts_at,"
        + " ends_at, deadline, video_url from review_partner_sessions order by starts_at");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        if (!Instant.parse(r.getString(5)).isAfter(now)) {
          continue; // the meeting has begun: nothing left to tell
        }
        Instant deadline = Instant.parse(r.getString(7));
        String home = r.getString(1);
        String session = r.getString(2);
        String reviewer = r.getString(3);
        String kind = null;
        if (!sent(c, home, session, reviewer, "notice")) {
          kind = "notice";
        } else if (deadline.isAfter(now) && !deadline.isAfter(now.plus(REMIND_BEFORE))
            && !sent(c, home, session, reviewer, "reminder") && lacksHers(c, home, session, reviewer)) {
          kind = "reminder";
        }
        if (kind != null) {
          out.add(new Due(home, session, reviewer, r.getString(4), r.getString(5), r.getString(6), r.getString(7),
              r.getString(8), kind));
        }
      }
    }
    return out;
  }

  /** One mail; marked and audited once sent, left for the next run when it could not be. */
  private Future<Boolean> send(Vertx vertx, Due d, Instant now) {
    return professionals.find(d.reviewer()).compose(me -> professionals.mail(d.reviewer()).compose(address -> {
      if (me.isEmpty() || address.isEmpty()) {
        return Future.succeededFuture(false);
      }
      return mailer.send(vertx, List.of(mail(address.get(), me.get().displayName(), d))).compose(v -> database
          .write(c -> {
            try (PreparedStatement s = c.prepareStatement("insert into review_partner_notices (home_node, session_id,"
                + " reviewer_id, kind, sent_at) values (?, ?, ?, ?, ?) on conflict do nothing")) {
              s.setString(1, d.home());
              s.setString(2, d.sessionId());
              s.setString(3, d.reviewer());
              s.setString(4, d.kind());
              s.setString(5, now.toString());
              s.executeUpdate();
            }
            audit.append(c, AuditEvent.success("review-notices", "review.partner." + d.kind() + "_mailed",
                "review_partner_session:" + d.home() + "/" + d.sessionId(), new JsonObject().put("reviewer",
                    d.reviewer())));
            return true;
          })).recover(e -> {
            LOG.warn("partner review {} for {}/{} not mailed; the next run tries again: {}", d.kind(), d.home(),
                d.sessionId(), e.getMessage());
            return Future.succeededFuture(false);
          });
    }));
  }

  private Mailer.Mail mail(String to, String name, Due d) {
    String when = WHEN.format(Instant.parse(d.startsAt()).atZone(JAPAN)) + (d.endsAt() == null ? ""
        : "〜" + DateTimeFormatter.ofPattern("HH:mm").format(Instant.parse(d.endsAt()).atZone(JAPAN)));
    String deadline = WHEN.format(Instant.parse(d.deadline()).atZone(JAPAN));
    StringBuilder body = new StringBuilder(name).append(" 様\n\n");
    if (d.kind().equals("notice")) {
      body.append("連携市町村の介護認定審査会（").append(d.title()).append("）の資料が届きました。\n\n");
    } else {
      body.append("連携市町村の介護認定審査会（").append(d.title()).append("）の事前審査が、まだ終わっていない事例があります。")
          .append("締切までにご意見をお願いします。\n\n");
    }
    body.append("日時: ").append(when).append("\n");
    if (!d.videoUrl().isBlank()) {
      body.append("ビデオ会議: ").append(d.videoUrl()).append("\n");
    }
    body.append("事前審査の締切: ").append(deadline).append("\n\n")
        .append("資料と事前審査は、つなぐの「連携市町村の介護認定審査会」画面から（証明書でログインしてください）。\n")
        .append(webUrl).append("/#/review-partner\n\nこのメールには事例の内容を記載していません。\n");
    String subject = d.kind().equals("notice") ? "【介護認定審査会】" + d.title() + " 審査会のお知らせ（" + when + "）"
        : "【介護認定審査会】事前審査の締切が近づいています（" + deadline + "）";
    return new Mailer.Mail(to, subject, body.toString());
  }

  private static boolean sent(Connection c, String home, String session, String reviewer, String kind)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select 1 from review_partner_notices where home_node = ?"
        + " and session_id = ? and reviewer_id = ? and kind = ?")) {
      s.setString(1, home);
      s.setString(2, session);
      s.setString(3, reviewer);
      s.setString(4, kind);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  /** Whether a case held for her has no opinion of hers in the latest view from the home. */
  private static boolean lacksHers(Connection c, String home, String session, String reviewer) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select 1 from review_partner_cases k where k.home_node = ?"
        + " and k.session_id = ? and k.reviewer_id = ? and not exists (select 1 from review_partner_opinions o"
        + " where o.home_node = k.home_node and o.session_id = k.session_id and o.reviewer_id = k.reviewer_id"
        + " and o.case_id = k.case_id and o.mine = 1)")) {
      s.setString(1, home);
      s.setString(2, session);
      s.setString(3, reviewer);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }
}
