package jp.tsunagu.node.review;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.identity.Mailer;
import jp.tsunagu.node.identity.Professionals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mails to a session's reviewers of this node: the notice once the secretariat releases the
 * materials (date and time, the video link, the 事前審査 deadline) and, a day before the deadline, a
 * reminder to whoever has not given an opinion on every case. No case data goes by mail: only the
 * session's label and where to look. Each reviewer gets each mail once: it is marked after it went out,
 * so a mail server that is down is tried again on the next run. A partner node's reviewers are told by
 * their own node, which holds their address.
 */
final class ReviewNotices {

  /** How long before the 事前審査 deadline the reminder goes. */
  static final Duration REMIND_BEFORE = Duration.ofDays(1);
  private static final Logger LOG = LoggerFactory.getLogger(ReviewNotices.class);
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("uuuu年M月d日 HH:mm");

  /** One mail due: to whom (appointment and user), of which session, which kind. */
  private record Due(ReviewSql.Session session, ReviewSql.Panel panel, ReviewSql.Appointment appointment,
      String kind) {}

  private final NodeServices services;
  private final AuditLog audit;
  private final ReviewAccess access;
  private final Professionals professionals;
  private final Mailer mailer;
  private Future<Integer> last = Future.succeededFuture(0);

  ReviewNotices(NodeServices services, AuditLog audit, ReviewAccess access, Professionals professionals,
      Mailer mailer) {
    this.services = services;
    this.audit = audit;
    this.access = access;
    this.professionals = professionals;
    this.mailer = mailer;
  }

  /** The same at the node's time (after a release, and from the job). */
  Future<Integer> sendDueNow(Vertx vertx) {
    return sendDue(vertx, Instant.now(services.clock()));
  }

  /**
   * Sends the notices and reminders due at {@code now}; answers how many mails went out. Runs one at a
   * time (the release, the job and a test may ask at once): each run starts after the one before has
   * marked what it sent, so nobody is mailed twice.
   */
  synchronized Future<Integer> sendDue(Vertx vertx, Instant now) {
    Future<Integer> run = last.transform(before -> sendDueAlone(vertx, now));
    last = run;
    return run;
  }

  private Future<Integer> sendDueAlone(Vertx vertx, Instant now) {
    if (!mailer.configured()) {
      return Future.succeededFuture(0); // nothing to send with: the reviewers see the session on their screen
    }
    return services.database().read(c -> {
      List<Due> due = new ArrayList<>();
      for (ReviewSql.Session s : ReviewSql.comingReleased(c, now.toString())) {
        ReviewSql.Panel panel = ReviewSql.panel(c, s.panelId()).orElseThrow();
        Instant deadline = Instant.parse(s.deadline());
        boolean remind = deadline.isAfter(now) && !deadline.isAfter(now.plus(REMIND_BEFORE));
        for (ReviewSql.Member m : ReviewSql.members(c, s.panelId())) {
          ReviewSql.Appointment a = m.appointment();
          if (!a.nodeId().equals(access.nodeName()) || a.endedAt() != null) {
            continue;
          }
          if (!ReviewSql.noticeSent(c, s.id(), a.id(), "notice")) {
            due.add(new Due(s, panel, a, "notice"));
          } else if (remind && !ReviewSql.noticeSent(c, s.id(), a.id(), "reminder")
              && !ReviewSql.submittedAll(c, s.id(), a.id())) {
            due.add(new Due(s, panel, a, "reminder"));
          }
        }
      }
      return due;
    }).compose(due -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (Due d : due) {
        chain = chain.compose(sent -> send(vertx, d, now).map(ok -> ok ? sent + 1 : sent));
      }
      return chain;
    });
  }

  /** One mail; marked and audited once sent, left for the next run when it could not be. */
  private Future<Boolean> send(Vertx vertx, Due d, Instant now) {
    return professionals.mail(d.appointment().userId()).compose(address -> {
      if (address.isEmpty()) {
        return Future.succeededFuture(false);
      }
      return mailer.send(vertx, List.of(mail(address.get(), d))).compose(v -> services.database().write(c -> {
        ReviewSql.markNotice(c, d.session().id(), d.appointment().id(), d.kind(), now.toString());
        audit.append(c, AuditEvent.success("review-notices", "review." + d.kind() + "_mailed",
            "review_session:" + d.session().id(), new JsonObject().put("appointment", d.appointment().id())));
        return true;
      })).recover(e -> {
        LOG.warn("review {} for session {} not mailed; the next run tries again: {}", d.kind(), d.session().id(),
            e.getMessage());
        return Future.succeededFuture(false);
      });
    });
  }

  private Mailer.Mail mail(String to, Due d) {
    ReviewSql.Session s = d.session();
    String panel = "第" + d.panel().number() + "合議体";
    String when = WHEN.format(Instant.parse(s.startsAt()).atZone(ReviewAccess.JAPAN)) + "〜"
        + DateTimeFormatter.ofPattern("HH:mm").format(Instant.parse(s.endsAt()).atZone(ReviewAccess.JAPAN));
    String deadline = WHEN.format(Instant.parse(s.deadline()).atZone(ReviewAccess.JAPAN));
    String link = services.config().webUrl() + "/#/review-my";
    StringBuilder body = new StringBuilder(d.appointment().displayName()).append(" 様\n\n");
    if (d.kind().equals("notice")) {
      body.append("介護認定審査会（").append(panel).append("）の資料を公開しました。\n\n");
    } else {
      body.append("介護認定審査会（").append(panel).append("）の事前審査が、まだ終わっていない事例があります。")
          .append("締切までにご意見をお願いします。\n\n");
    }
    body.append("日時: ").append(when).append("\n")
        .append("ビデオ会議: ").append(s.videoUrl()).append("\n")
        .append("事前審査の締切: ").append(deadline).append("\n")
        .append("資料の公開: ").append(WHEN.format(Instant.parse(s.releaseAt()).atZone(ReviewAccess.JAPAN)))
        .append(" から\n\n")
        .append("資料と事前審査は、つなぐの「介護認定審査会」画面から（証明書でログインしてください）。\n").append(link)
        .append("\n\nこのメールには事例の内容を記載していません。\n");
    String subject = d.kind().equals("notice") ? "【介護認定審査会】" + panel + " 審査会のお知らせ（" + when + "）"
        : "【介護認定審査会】事前審査の締切が近づいています（" + deadline + "）";
    return new Mailer.Mail(to, subject, body.toString());
  }
}
