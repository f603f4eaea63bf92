package jp.tsunagu.node.meetings;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.care.Boards;
import jp.tsunagu.node.feature.NodeServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meetings job: the mails queued for this node's participants of partners' meetings, and
 * reminders of a meeting, a day before and 15 minutes before its start, on its board's timeline and
 * by mail. Each is sent once per start time (a change of time re-arms both); a meeting set up less
 * than a day ahead gets only the reminders still ahead of it. The job looks every minute; a test
 * calls {@link #sendDue} with the time it wants.
 */
public final class MeetingReminders {

  private static final Logger LOG = LoggerFactory.getLogger(MeetingReminders.class);
  static final Duration DAY = Duration.ofDays(1);
  static final Duration SOON = Duration.ofMinutes(15);
  private static final long LOOK_MILLIS = 60_000;

  private final NodeServices services;
  private final Boards boards;
  private final MeetingNotices notices;

  MeetingReminders(NodeServices services, Boards boards, MeetingNotices notices) {
    this.services = services;
    this.boards = boards;
    this.notices = notices;
  }

  /** One reminder to send: the meeting and why. */
  private record Due(Meeting meeting, MeetingNotices.Reason reason, String postId) {}

  /**
   * Sends the reminders due at {@code now}, and the mails queued for this node's participants of
   * partners' meetings; answers how many notices went out.
   */
  public Future<Integer> sendDue(Vertx vertx, Instant now) {
    return services.database().write(c -> {
      List<Due> due = new ArrayList<>();
      for (MeetingSql.Queued queued : MeetingSql.takeQueuedMails(c)) {
        MeetingSql.byId(c, queued.meetingId()).ifPresent(m ->
            due.add(new Due(m, MeetingNotices.Reason.valueOf(queued.reason()), null)));
      }
      for (Meeting m : MeetingSql.startingBetween(c, now, now.plus(DAY))) {
        boolean soon = !m.startsAt().isAfter(now.plus(SOON));
        // Within 15 minutes the day-before reminder is past: it is marked, not sent.
        boolean dayMarked = MeetingSql.markReminder(c, m.id(), "day", m.startsAt(), now.toString());
        MeetingNotices.Reason reason = null;
        if (soon && MeetingSql.markReminder(c, m.id(), "soon", m.startsAt(), now.toString())) {
          reason = MeetingNotices.Reason.SOON;
        } else if (!soon && dayMarked) {
          reason = MeetingNotices.Reason.DAY_BEFORE;
        }
        if (reason != null) {
          due.add(new Due(m, reason, notices.post(c, m, m.organizerId(), reason).orElse(null)));
        }
      }
      return due;
    }).compose(due -> {
      Future<Void> mails = Future.succeededFuture();
      for (Due d : due) {
        if (d.postId() != null) {
          boards.committed(vertx, d.meeting().boardId(), d.postId());
        }
        mails = mails.compose(x -> notices.mail(vertx, d.meeting(), d.reason()));
      }
      return mails.map(x -> due.size());
    });
  }

  VerticleBase verticle(Clock clock) {
    return new VerticleBase() {
      private long timer;

      @Override
      public Future<?> start() {
        timer = vertx.setPeriodic(LOOK_MILLIS, id -> sendDue(vertx, Instant.now(clock)).onFailure(e ->
            LOG.warn("meeting reminders could not be sent: {}", e.toString())));
        return Future.succeededFuture();
      }

      @Override
      public Future<?> stop() {
        vertx.cancelTimer(timer);
        return Future.succeededFuture();
      }
    };
  }
}
