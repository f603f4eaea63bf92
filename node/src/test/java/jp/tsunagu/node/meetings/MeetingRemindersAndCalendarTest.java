package jp.tsunagu.node.meetings;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.testing.TestSql;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reminders a day and 15 minutes before a meeting, at the times a test chooses, each sent once on
 * the board and by mail; a professional's 予定 of this week and next week across teams and groups;
 * her personal iCalendar feed, and a revoked feed's stable refusal.
 */
class MeetingRemindersAndCalendarTest {

  @TempDir
  static Path dir;
  static MeetingsNode ina;

  @BeforeAll
  static void start() {
    ina = new MeetingsNode(dir);
  }

  @AfterAll
  static void stop() {
    ina.close();
  }

  @Test
  void a_day_before_and_fifteen_minutes_before_each_reminder_is_sent_once_on_the_board_and_by_mail()
      throws Exception {
    JsonObject made = ina.schedule(ina.meeting("リマインダーの会議", 30));
    Instant start = MeetingsNode.instant(made);
    MeetingReminders reminders = ina.feature().reminders();

    assertThat(send(reminders, start.minus(Duration.ofHours(25)))).as("more than a day ahead").isZero();
    assertThat(send(reminders, start.minus(Duration.ofHours(23)))).isEqualTo(1);
    assertThat(send(reminders, start.minus(Duration.ofHours(22)))).as("sent once").isZero();
    assertThat(send(reminders, start.minus(Duration.ofMinutes(14)))).isEqualTo(1);
    assertThat(send(reminders, start.minus(Duration.ofMinutes(5)))).as("sent once").isZero();
    assertThat(send(reminders, start.plus(Duration.ofMinutes(1)))).as("started").isZero();

    assertThat(TestSql.count(ina.node, "select count(*) from posts where board_id = ? and body like ?",
        ina.patientId, "【明日の会議】%リマインダーの会議%")).isEqualTo(1);
    assertThat(TestSql.count(ina.node, "select count(*) from posts where board_id = ? and body like ?",
        ina.patientId, "【まもなく開始】%リマインダーの会議%")).isEqualTo(1);
    assertThat(ina.mailsTo("ina-kango@ina.example.jp").stream().map(MeetingsApiTest::subject)
        .filter(s -> s.contains("リマインダーの会議")).toList()).containsExactly(
            "【つなぐ】会議のお知らせ: リマインダーの会議", "【つなぐ】明日の会議: リマインダーの会議",
            "【つなぐ】まもなく開始: リマインダーの会議");
  }

  @Test
  void a_cancelled_meeting_gets_no_reminder() {
    JsonObject made = ina.schedule(ina.meeting("中止した会議", 20));
    ina.doctor.postJson("/api/v1/meetings/" + made.getString("id") + "/cancel", new JsonObject());
    assertThat(send(ina.feature().reminders(), MeetingsNode.instant(made).minus(Duration.ofMinutes(10)))).isZero();
  }

  @Test
  void a_professional_sees_her_meetings_of_this_week_and_next_week_across_teams_and_groups() {
    JsonObject team = ina.schedule(ina.meeting("予定の会議（チーム）", 2));
    java.time.LocalDateTime nextWednesday = java.time.LocalDate.now(MeetingsNode.JAPAN)
        .with(java.time.temporal.TemporalAdjusters.next(java.time.DayOfWeek.MONDAY)).plusDays(2).atTime(14, 0);
    JsonObject group = ina.schedule(ina.meetingAt("予定の会議（グループ）", nextWednesday).put("boardId", ina.groupId)
        .put("participants", new JsonArray().add(ina.nurseId)).put("familyContacts", new JsonArray()));
    List<String> seen = new java.util.ArrayList<>();
    for (String week : List.of("0", "1")) {
      HttpResponse<String> answer = ina.nurse.get("/api/v1/calendar?week=" + week);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      new JsonObject(answer.body()).getJsonArray("meetings").forEach(m -> seen.add(((JsonObject) m).getString("id")));
    }
    assertThat(seen).contains(team.getString("id"), group.getString("id"));
    assertThat(new JsonObject(ina.nurse.get("/api/v1/calendar?week=1").body()).getJsonArray("meetings").stream()
        .map(m -> ((JsonObject) m).getString("id"))).as("next week").contains(group.getString("id"));
    assertThat(new JsonObject(ina.outsider.get("/api/v1/calendar?week=0").body()).getJsonArray("meetings")).isEmpty();
    assertThat(MeetingsApiTest.code(ina.nurse.get("/api/v1/calendar?week=9"))).isEqualTo("meetings.invalid_week");
  }

  @Test
  void a_personal_feed_lists_her_meetings_and_a_revoked_feed_gets_a_stable_error() throws Exception {
    JsonObject made = ina.schedule(ina.meeting("フィードの会議", 26));
    HttpResponse<String> created = ina.careManager.postJson("/api/v1/calendar/feed", new JsonObject());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    String url = new JsonObject(created.body()).getString("url");
    assertThat(url).matches(".*/api/v1/calendar-feeds/[A-Za-z0-9_-]{43}\\.ics");

    HttpResponse<String> feed = ina.careManager.getWithoutSession(url);
    assertThat(feed.statusCode()).as(feed.body()).isEqualTo(200);
    assertThat(feed.headers().firstValue("Content-Type").orElse("")).startsWith("text/calendar");
    Calendar calendar = new CalendarBuilder().build(new StringReader(feed.body()));
    assertThat(calendar.<VEvent>getComponents().stream().map(e -> e.getProperty("UID").orElseThrow().getValue()))
        .contains(made.getString("id") + "@ina");

    HttpResponse<String> revoked = ina.careManager.postJson("/api/v1/calendar/feed/revoke", new JsonObject());
    assertThat(revoked.statusCode()).isEqualTo(200);
    HttpResponse<String> refused = ina.careManager.getWithoutSession(url);
    assertThat(refused.statusCode()).isEqualTo(410);
    assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("meetings.feed_revoked");
    HttpResponse<String> unknown = ina.careManager.getWithoutSession(url.replaceAll("[A-Za-z0-9_-]{43}\\.ics$",
        "A".repeat(43) + ".ics"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(TestSql.count(ina.node, "select count(*) from audit_log where action = 'meetings.feed.read'"
        + " and outcome = 'refused'")).as("every refusal audited").isEqualTo(2);

    String second = new JsonObject(ina.careManager.postJson("/api/v1/calendar/feed", new JsonObject()).body())
        .getString("url");
    assertThat(second).isNotEqualTo(url);
    assertThat(ina.careManager.getWithoutSession(second).statusCode()).isEqualTo(200);
    assertThat(ina.careManager.getWithoutSession(url).statusCode()).as("the old one stays revoked").isEqualTo(410);
  }

  private static int send(MeetingReminders reminders, Instant at) {
    try {
      return reminders.sendDue(ina.node.vertx(), at).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
