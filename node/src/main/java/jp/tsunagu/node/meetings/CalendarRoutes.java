package jp.tsunagu.node.meetings;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.web.RouteSet;

/**
 * A professional's 予定 (this week, next week) and her personal iCalendar feed. The feed itself is
 * read by calendar applications, which carry no session: its address's secret is the key.
 */
final class CalendarRoutes implements RouteSet {

  private final PersonalCalendar calendar;

  CalendarRoutes(PersonalCalendar calendar) {
    this.calendar = calendar;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/calendar").handler(MeetingRoutes.PROFESSIONALS).handler(this::week);
    api.post("/calendar/feed").handler(MeetingRoutes.PROFESSIONALS).handler(AccessGuard::csrf).handler(this::newFeed);
    api.post("/calendar/feed/revoke").handler(MeetingRoutes.PROFESSIONALS).handler(AccessGuard::csrf)
        .handler(this::revoke);
    api.get("/calendar-feeds/:file").handler(this::feed);
  }

  private void week(RoutingContext ctx) {
    String week = ctx.request().getParam("week", "0");
    if (!week.equals("0") && !week.equals("1")) {
      ctx.fail(CodedException.invalid("meetings.invalid_week", "今週（0）か来週（1）を選んでください。"));
      return;
    }
    calendar.week(Principal.required(ctx).user().id(), Integer.parseInt(week)).onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private void newFeed(RoutingContext ctx) {
    calendar.newFeed(Principal.required(ctx).user().id()).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void revoke(RoutingContext ctx) {
    calendar.revoke(Principal.required(ctx).user().id()).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void feed(RoutingContext ctx) {
    String file = ctx.pathParam("file");
    if (!file.endsWith(".ics")) {
      ctx.fail(CodedException.notFound("meetings.feed_not_found", "このカレンダーのアドレスは見つかりません。"));
      return;
    }
    calendar.feed(file.substring(0, file.length() - 4)).onSuccess(ics -> ctx.response()
        .putHeader("Content-Type", "text/calendar; charset=UTF-8").putHeader("Cache-Control", "private, no-store")
        .end(ics)).onFailure(ctx::fail);
  }
}
