package jp.tsunagu.node.meetings;

import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Supplier;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.Boards;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.identity.Mailer;
import jp.tsunagu.node.web.RouteSet;

/**
 * Meetings (ビデオ会議開催支援): カンファレンス, サービス担当者会議, 退院時カンファレンス, 地域ケア会議 and
 * 研修・勉強会 set up from a patient's team or a group, with a video link issued in one click, notices
 * on the board and by mail with an iCalendar file, reminders, 出欠, documents for participants,
 * minutes, and each professional's 予定 with a personal calendar feed. Other features (the review
 * board) schedule through {@link #meetings()}.
 */
public final class MeetingsFeature implements NodeFeature {

  private final NodeServices services;
  private final Meetings meetings;
  private final MeetingReminders reminders;
  private final MeetingEvents events;
  private final PartnerScheduling scheduling;
  private final Boards boards;
  private final List<RouteSet> routes;

  /** @param boards the care feature's boards (teams and groups): members, mail addresses, notices */
  public MeetingsFeature(NodeServices services, Boards boards) {
    this.services = services;
    this.boards = boards;
    AuditLog audit = new AuditLog(services.database(), services.clock());
    MeetingCalendar calendar = new MeetingCalendar(services.config().node().name(), services.config().mail().from());
    MeetingNotices notices = new MeetingNotices(boards, new Mailer(services.config().mail()), calendar,
        services.config().webUrl(), services.clock());
    this.events = new MeetingEvents(boards, audit);
    VideoLinks videoLinks = new VideoLinks(services.config().meetings());
    this.scheduling = new PartnerScheduling(boards, audit, videoLinks, services.clock());
    this.meetings = new Meetings(services, audit, boards, videoLinks, notices, events, scheduling);
    this.reminders = new MeetingReminders(services, boards, notices);
    this.routes = List.of(
        new MeetingRoutes(meetings, new MeetingDocuments(services, audit, meetings.access(), events), calendar,
            services.idempotency(), services.config().limits().uploadBytes(), services.clock()),
        new CalendarRoutes(new PersonalCalendar(services, audit, meetings.access(), calendar)));
  }

  /** Scheduling, changes, 出欠 and minutes, for other features. */
  public Meetings meetings() {
    return meetings;
  }

  /**
   * The demo's meetings on this node's teams shared with partners, and one its professional sets up on
   * a partner's patient's team from here (after the demo's cross-node teams are formed); see
   * {@link MeetingsDemo}.
   */
  public void seedSharedTeams(Vertx vertx) {
    MeetingsDemo.seed(services, meetings, boards, vertx);
    MeetingsDemo.seedFromPartner(services, meetings, boards, vertx);
  }

  /** The reminders (a test sends them at the time it chooses). */
  public MeetingReminders reminders() {
    return reminders;
  }

  @Override
  public String name() {
    return "meetings";
  }

  @Override
  public List<RouteSet> webRoutes() {
    return routes;
  }

  /**
   * Meetings and partners' answers on teams shared with partners (see {@link MeetingEvents}), and
   * meetings a partner's member sets up on her own node (see {@link PartnerScheduling}).
   */
  @Override
  public List<TeamEventType> teamEventTypes() {
    List<TeamEventType> types = new java.util.ArrayList<>(events.types());
    types.add(scheduling.type());
    types.addAll(meetings.partnerChanges().types());
    types.add(meetings.partnerMinutes().type());
    return types;
  }

  /** The meetings to come on a board first shared with a partner (see {@link MeetingHistory}). */
  @Override
  public List<jp.tsunagu.node.feature.BoardHistory> boardHistories() {
    return List.of(new MeetingHistory(events, services.clock()));
  }

  @Override
  public List<Supplier<Deployable>> verticles() {
    return List.of(() -> reminders.verticle(services.clock()));
  }
}
