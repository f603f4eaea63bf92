package jp.tsunagu.node.meetings;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.care.Boards;
import jp.tsunagu.node.identity.Mailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a meeting reaches people: a notice on its board's timeline (in the meeting's transaction) and,
 * once committed, a mail to each participant this node mails (its own users and invited family),
 * with the iCalendar file of the meeting as it now stands. Partners' professionals are told by their
 * own node. A mail that could not be sent does not undo the meeting: it is logged, and the notice on
 * the board and the calendar still tell.
 */
final class MeetingNotices {

  private static final Logger LOG = LoggerFactory.getLogger(MeetingNotices.class);

  /** Why people are told: the subject's head and the notice's first line. */
  enum Reason {
    INVITED("会議のお知らせ"),
    CHANGED("会議の変更"),
    CANCELLED("会議の中止"),
    DAY_BEFORE("明日の会議"),
    SOON("まもなく開始"),
    MINUTES("議事録");

    final String label;

    Reason(String label) {
      this.label = label;
    }
  }

  private final Boards boards;
  private final Mailer mailer;
  private final MeetingCalendar calendar;
  private final String webUrl;
  private final Clock clock;

  MeetingNotices(Boards boards, Mailer mailer, MeetingCalendar calendar, String webUrl, Clock clock) {
    this.boards = boards;
    this.mailer = mailer;
    this.calendar = calendar;
    this.webUrl = webUrl;
    this.clock = clock;
  }

  /** The notice on the meeting's board, written by {@code userId}; its id, or empty when the board takes none. */
  Optional<String> post(Connection c, Meeting m, String userId, Reason reason) throws SQLException {
    return boards.notice(c, m.boardId(), userId, body(m, reason));
  }

  static String body(Meeting m, Reason reason) {
    StringBuilder text = new StringBuilder("【").append(reason.label).append("】").append(m.kind().labelJa())
        .append("「").append(m.title()).append("」\n日時: ").append(m.whenJa());
    if (reason == Reason.MINUTES) {
      text.append("\n議事録:\n").append(m.minutes());
      if (!m.decisions().isEmpty()) {
        text.append("\n決定事項:\n").append(m.decisions());
      }
      return text.toString();
    }
    text.append("\n場所: ").append(m.online() ? (m.place().isEmpty() ? "オンライン" : m.place() + "（オンライン併用）")
        : m.place());
    if (!m.agenda().isEmpty() && reason != Reason.CANCELLED) {
      text.append("\n議題: ").append(m.agenda());
    }
    return text.append("\n詳細・出欠・参加は「会議」画面から。").toString();
  }

  /** Mails every participant this node reaches; never fails (a failure is logged). */
  Future<Void> mail(Vertx vertx, Meeting m, Reason reason) {
    if (!mailer.configured()) {
      return Future.succeededFuture();
    }
    List<Mailer.Mail> mails = new ArrayList<>();
    Instant now = Instant.now(clock);
    byte[] ics = calendar.invitation(m, now);
    for (Meeting.Participant p : m.participants()) {
      if (p.email().isEmpty()) {
        continue;
      }
      String body = p.name() + " 様\n\n" + body(m, reason).replace("詳細・出欠・参加は「会議」画面から。", "")
          + (m.videoUrl().isEmpty() || m.cancelled() ? "" : "\nビデオ会議への参加: " + m.videoUrl())
          + (p.family() ? "" : "\n会議の画面: " + webUrl + "/#/meetings/" + m.id())
          + "\n\nこのメールは、つなぐ（在宅医療・介護連携）から自動で送られています。";
      mails.add(new Mailer.Mail(p.email(), "【つなぐ】" + reason.label + ": " + m.title(), body,
          List.of(new Mailer.Attached("meeting.ics", MeetingCalendar.contentType(m), ics))));
    }
    return mailer.send(vertx, mails).recover(failed -> {
      LOG.warn("meeting {} ({}): not every mail was sent: {}", m.id(), reason, failed.getMessage());
      return Future.succeededFuture();
    });
  }
}
