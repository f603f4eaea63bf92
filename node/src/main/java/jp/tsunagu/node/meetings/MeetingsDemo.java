package jp.tsunagu.node.meetings;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.care.Boards;
import jp.tsunagu.node.feature.NodeServices;

/**
 * The demo's meetings, on every patient's team of this node that a partner's professional takes part
 * in: a サービス担当者会議 on Jitsi in two days and a 退院時カンファレンス at the clinic next week, set up by the
 * team's first professional of this node with the whole team invited, so they reach the partner's node
 * through team sync. A team that has meetings already (an earlier run) gets none. Blocking; demo start only.
 */
final class MeetingsDemo {

  private record Plan(String kind, String title, int daysAhead, LocalTime at, int minutes, boolean online,
      String place, String agenda) {}

  private static final List<Plan> PLANS = List.of(
      new Plan("service_meeting", "サービス担当者会議（ケアプラン見直し）", 2, LocalTime.of(14, 0), 60, true, "",
          "訪問看護の回数、短期入所の利用、ご家族の介護負担"),
      new Plan("discharge", "退院時カンファレンス（在宅移行）", 8, LocalTime.of(10, 30), 45, false,
          "伊那中央病院 地域連携室 カンファレンスルーム", "退院日、訪問診療の開始、必要な福祉用具"));

  private MeetingsDemo() {}

  static void seed(NodeServices services, Meetings meetings, Boards boards, Vertx vertx) {
    List<String> teams = services.database().submitRead(boards::sharedPatientBoards).join();
    for (String board : teams) {
      List<Boards.Person> members = services.database().submitRead(c -> boards.activeMembers(c, board)).join();
      boolean planned = services.database().submitRead(c -> !MeetingSql.ofBoard(c, board).isEmpty()).join();
      Boards.Person organizer = members.stream().filter(p -> !p.partner()).findFirst().orElse(null);
      if (planned || organizer == null) {
        continue;
      }
      JsonArray everyone = new JsonArray(members.stream().map(Boards.Person::userId).toList());
      LocalDate today = LocalDate.now(services.clock().withZone(Meeting.JAPAN));
      for (Plan plan : PLANS) {
        JsonObject form = new JsonObject().put("boardId", board).put("kind", plan.kind()).put("title", plan.title())
            .put("date", today.plusDays(plan.daysAhead()).toString()).put("time", plan.at().toString())
            .put("durationMinutes", plan.minutes()).put("online", plan.online()).put("videoProvider", "jitsi")
            .put("place", plan.place()).put("agenda", plan.agenda()).put("participants", everyone);
        meetings.schedule(vertx, organizer.userId(), form).toCompletionStage().toCompletableFuture()
            .orTimeout(60, TimeUnit.SECONDS).join();
      }
    }
  }

  /**
   * On a node whose professional is in the team of a partner's patient (the demo's wide-area teams):
   * she sets up a 地域ケア会議 from her own node with the whole team invited; it goes to the patient's
   * home node, which takes it and sends it back to every member's node, as in real use. A team where
   * she set one up already (an earlier run) gets none. Blocking; demo start only.
   */
  static void seedFromPartner(NodeServices services, Meetings meetings, Boards boards, Vertx vertx) {
    List<String> teams = services.database().submitRead(boards::partnersPatientBoards).join();
    for (String board : teams) {
      List<Boards.Person> members = services.database().submitRead(c -> boards.activeMembers(c, board)).join();
      Boards.Person organizer = members.stream().filter(p -> !p.partner()).findFirst().orElse(null);
      if (organizer == null || services.database().submitRead(c -> MeetingSql.ofBoard(c, board).stream()
          .anyMatch(m -> m.organizerId().equals(organizer.userId()))
          || !MeetingSubmissions.of(c, board, organizer.userId(), null).isEmpty()).join()) {
        continue;
      }
      JsonArray everyone = new JsonArray(members.stream().map(Boards.Person::userId).toList());
      LocalDate day = LocalDate.now(services.clock().withZone(Meeting.JAPAN)).plusDays(5);
      JsonObject form = new JsonObject().put("boardId", board).put("kind", "community")
          .put("title", "地域ケア会議（広域での訪問体制）").put("date", day.toString()).put("time", "13:30")
          .put("durationMinutes", 60).put("online", true).put("videoProvider", "jitsi").put("place", "")
          .put("agenda", "町村をまたぐ訪問の分担、緊急時の連絡経路、ご家族の介護負担").put("participants", everyone);
      meetings.schedule(vertx, organizer.userId(), form).toCompletionStage().toCompletableFuture()
          .orTimeout(60, TimeUnit.SECONDS).join();
    }
  }
}
