package jp.tsunagu.node.meetings;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.node.testing.LostAnswers;
import jp.tsunagu.node.testing.TestSql;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Meetings through the API on a real node with a real SMTP server: scheduling from a patient's team
 * and from a group, the invitation on the board and in each participant's mail with an iCalendar
 * file parsed back, 出欠, changes (SEQUENCE rises), cancellation (METHOD:CANCEL), documents for
 * participants only, minutes, and who is refused what.
 */
class MeetingsApiTest {

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
  void a_meeting_scheduled_from_a_team_is_posted_on_the_board_and_mailed_with_an_icalendar_invitation()
      throws Exception {
    JsonObject made = ina.schedule(ina.meeting("退院後サービス担当者会議", 48));
    assertThat(made.getString("kindLabel")).isEqualTo("サービス担当者会議");
    assertThat(made.getString("videoUrl")).matches("https://meet\\.jit\\.si/tsunagu-[0-9a-f]{32}");
    assertThat(made.getJsonArray("participants")).hasSize(4);
    assertThat(TestSql.count(ina.node, "select count(*) from posts where board_id = ? and body like ?",
        ina.patientId, "【会議のお知らせ】サービス担当者会議「退院後サービス担当者会議」%")).isEqualTo(1);

    for (String address : List.of("ina-kango@ina.example.jp", "ina-cm@ina.example.jp", "ichiro@family.example.jp")) {
      List<MimeMessage> mails = ina.mailsTo(address).stream().filter(m -> subject(m).contains("退院後サービス担当者会議"))
          .toList();
      assertThat(mails).as(address).hasSize(1);
      Calendar ics = MeetingsNode.calendars(mails.get(0)).get(0);
      assertThat(ics.getProperty("METHOD").orElseThrow().getValue()).isEqualTo("REQUEST");
      VEvent event = ics.<VEvent>getComponents().get(0);
      assertThat(event.getProperty("UID").orElseThrow().getValue()).isEqualTo(made.getString("id") + "@ina");
      assertThat(event.getProperty("SEQUENCE").orElseThrow().getValue()).isEqualTo("0");
      assertThat(event.getProperty("URL").orElseThrow().getValue()).isEqualTo(made.getString("videoUrl"));
      assertThat(Instant.from(event.getDateTimeStart().getDate()))
          .isEqualTo(Instant.parse(made.getString("startsAt")));
    }
  }

  @Test
  void a_meeting_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    JsonObject form = ina.meeting("答えを保つ会議", 60);
    String key = UUID.randomUUID().toString();
    HttpResponse<String> first;
    HttpResponse<String> retry;
    try (LostAnswers lost = LostAnswers.on(ina.node)) {
      first = ina.doctor.postJson("/api/v1/meetings", form, key);
      retry = ina.doctor.postJson("/api/v1/meetings", form, key);
    }

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(TestSql.count(ina.node, "select count(*) from meetings where title = '答えを保つ会議'")).isEqualTo(1);
  }

  @Test
  void a_participant_answers_a_change_raises_the_sequence_and_a_cancellation_reaches_everyone() throws Exception {
    JsonObject made = ina.schedule(ina.meeting("変更と中止の会議", 72));
    String id = made.getString("id");
    HttpResponse<String> answered = ina.nurse.postJson("/api/v1/meetings/" + id + "/responses",
        new JsonObject().put("response", "tentative"));
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    assertThat(response(new JsonObject(ina.doctor.get("/api/v1/meetings/" + id).body()), ina.nurseId))
        .isEqualTo("tentative");

    HttpResponse<String> changed = ina.doctor.putJson("/api/v1/meetings/" + id,
        ina.meeting("変更と中止の会議", 96).put("durationMinutes", 90));
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    JsonObject after = new JsonObject(changed.body());
    assertThat(after.getInteger("sequence")).isEqualTo(1);
    assertThat(after.getString("videoUrl")).as("the room stays the same").isEqualTo(made.getString("videoUrl"));
    assertThat(response(after, ina.nurseId)).as("an answer is kept across a change").isEqualTo("tentative");

    HttpResponse<String> cancelled = ina.doctor.postJson("/api/v1/meetings/" + id + "/cancel", new JsonObject());
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
    assertThat(new JsonObject(cancelled.body()).getString("status")).isEqualTo("cancelled");

    List<MimeMessage> mails = ina.mailsTo("ichiro@family.example.jp").stream()
        .filter(m -> subject(m).contains("変更と中止の会議")).toList();
    assertThat(mails).extracting(MeetingsApiTest::subject).containsExactly("【つなぐ】会議のお知らせ: 変更と中止の会議",
        "【つなぐ】会議の変更: 変更と中止の会議", "【つなぐ】会議の中止: 変更と中止の会議");
    Calendar last = MeetingsNode.calendars(mails.get(2)).get(0);
    assertThat(last.getProperty("METHOD").orElseThrow().getValue()).isEqualTo("CANCEL");
    VEvent event = last.<VEvent>getComponents().get(0);
    assertThat(event.getProperty("SEQUENCE").orElseThrow().getValue()).isEqualTo("2");
    assertThat(event.getProperty("STATUS").orElseThrow().getValue()).isEqualTo("CANCELLED");
    assertThat(MeetingsNode.calendars(mails.get(1)).get(0).<VEvent>getComponents().get(0)
        .getProperty("SEQUENCE").orElseThrow().getValue()).isEqualTo("1");
    assertThat(TestSql.count(ina.node, "select count(*) from posts where board_id = ? and body like ?",
        ina.patientId, "【会議の中止】%変更と中止の会議%")).isEqualTo(1);

    HttpResponse<String> again = ina.doctor.putJson("/api/v1/meetings/" + id, ina.meeting("再開", 96));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(code(again)).isEqualTo("meetings.cancelled");
  }

  @Test
  void a_meeting_of_a_group_in_a_room_has_no_link() {
    JsonObject form = ina.meeting("多職種勉強会 12月", 30).put("boardId", ina.groupId).put("kind", "training")
        .put("online", false).put("place", "伊那市役所 301会議室").put("participants", new JsonArray().add(ina.nurseId))
        .put("familyContacts", new JsonArray());
    JsonObject made = ina.schedule(form);
    assertThat(made.getString("boardKind")).isEqualTo("group");
    assertThat(made.getString("videoUrl")).isEmpty();
    assertThat(made.getString("videoProvider")).isEqualTo("none");
    JsonObject list = new JsonObject(ina.nurse.get("/api/v1/meetings/boards/" + ina.groupId).body());
    assertThat(list.getJsonArray("meetings").stream().map(m -> ((JsonObject) m).getString("title")))
        .contains("多職種勉強会 12月");
  }

  @Test
  void a_pasted_teams_or_zoom_link_is_kept_and_opened_as_it_is() {
    JsonObject made = ina.schedule(ina.meeting("病院との退院時カンファレンス", 50).put("kind", "discharge")
        .put("videoProvider", "link").put("videoUrl", "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc"));
    assertThat(made.getString("videoProvider")).isEqualTo("link");
    assertThat(made.getString("videoUrl")).isEqualTo("https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc");
  }

  @Test
  void bad_meetings_are_refused_with_a_stable_code_and_change_nothing() {
    Map<String, Long> before = TestSql.rowCounts(ina.node);
    assertRefused(ina.meeting("過去", -2), "meetings.in_past");
    assertRefused(ina.meeting("逆", 30).put("durationMinutes", 0), "meetings.ends_before_start");
    JsonObject endTime = ina.meeting("逆", 30).put("endTime", "00:00");
    endTime.remove("durationMinutes");
    assertRefused(endTime, "meetings.ends_before_start");
    assertRefused(ina.meeting("部外者", 30).put("participants", new JsonArray().add(ina.outsiderId)),
        "meetings.participant_not_member");
    assertRefused(ina.meeting("http", 30).put("videoProvider", "link").put("videoUrl", "http://zoom.us/j/123"),
        "meetings.link_not_https");
    assertRefused(ina.meeting("種類", 30).put("kind", "party"), "meetings.invalid_kind");
    assertRefused(ina.meeting("家族", 30).put("familyContacts", new JsonArray().add(new JsonObject()
        .put("name", "春日").put("email", "not-an-address"))), "meetings.invalid_family_contact");
    assertThat(TestSql.rowCounts(ina.node)).isEqualTo(before);
  }

  @Test
  void someone_outside_the_board_gets_404_and_only_the_organiser_changes_a_meeting() {
    JsonObject made = ina.schedule(ina.meeting("権限の確認", 40));
    String id = made.getString("id");
    assertThat(ina.outsider.get("/api/v1/meetings/" + id).statusCode()).isEqualTo(404);
    assertThat(ina.outsider.get("/api/v1/meetings/boards/" + ina.patientId).statusCode()).isEqualTo(404);
    HttpResponse<String> scheduled = ina.outsider.postJson("/api/v1/meetings", ina.meeting("部外者の会議", 40)
        .put("participants", new JsonArray()));
    assertThat(scheduled.statusCode()).isEqualTo(404);
    HttpResponse<String> changed = ina.nurse.putJson("/api/v1/meetings/" + id, ina.meeting("乗っ取り", 40));
    assertThat(changed.statusCode()).isEqualTo(403);
    assertThat(code(changed)).isEqualTo("meetings.not_organizer");
    assertThat(ina.outsider.postJson("/api/v1/meetings/" + id + "/responses", new JsonObject()
        .put("response", "attend")).statusCode()).isEqualTo(404);
    assertThat(code(ina.nurse.postJson("/api/v1/meetings/" + id + "/responses", new JsonObject()
        .put("response", "maybe")))).isEqualTo("meetings.invalid_response");
  }

  @Test
  void documents_are_for_participants_only() {
    JsonObject form = ina.meeting("資料つきの会議", 40).put("participants", new JsonArray().add(ina.nurseId));
    String id = ina.schedule(form).getString("id");
    byte[] pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    HttpResponse<String> added = ina.doctor.postFile("/api/v1/meetings/" + id + "/documents", "退院時サマリー.pdf",
        "application/pdf", pdf);
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    String document = new JsonObject(added.body()).getString("id");
    String path = "/api/v1/meetings/" + id + "/documents/" + document;
    HttpResponse<byte[]> read = ina.nurse.getBytes(path);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo(pdf);
    assertThat(ina.careManager.getBytes(path).statusCode()).as("a member who is not invited").isEqualTo(404);
    JsonObject seenByMember = new JsonObject(ina.careManager.get("/api/v1/meetings/" + id).body());
    assertThat(seenByMember.getJsonArray("documents")).isEmpty();
    assertThat(seenByMember.getString("videoUrl")).isEmpty();
  }

  @Test
  void the_organiser_records_minutes_and_attendance_only_from_the_start_and_they_are_posted_to_the_board() {
    JsonObject made = ina.schedule(ina.meetingAt("議事録の会議",
        java.time.LocalDateTime.ofInstant(ina.clock.instant(), MeetingsNode.JAPAN).plusMinutes(2)));
    String id = made.getString("id");
    assertThat(made.getBoolean("mayMinute")).as("before the start").isFalse();
    assertThat(made.getBoolean("mayRecord")).as("documents are handed out before").isTrue();
    HttpResponse<String> early = ina.doctor.putJson("/api/v1/meetings/" + id + "/minutes", new JsonObject()
        .put("minutes", "まだ始まっていない").put("attended", new JsonArray().add(ina.doctorId)));
    assertThat(early.statusCode()).as(early.body()).isEqualTo(409);
    assertThat(code(early)).isEqualTo("meetings.not_started");
    assertThat(TestSql.count(ina.node, "select count(*) from meetings where id = ? and minutes_at is null", id))
        .as("nothing stored").isEqualTo(1);
    assertThat(TestSql.count(ina.node, "select count(*) from posts where board_id = ? and body like ?",
        ina.patientId, "%まだ始まっていない%")).isZero();
    ina.startOf(made);
    assertThat(new JsonObject(ina.doctor.get("/api/v1/meetings/" + id).body()).getBoolean("mayMinute")).isTrue();
    HttpResponse<String> recorded = ina.doctor.putJson("/api/v1/meetings/" + id + "/minutes", new JsonObject()
        .put("minutes", "訪問看護を週3回に増やす方向で検討した。").put("decisions", "来週から週3回")
        .put("attended", new JsonArray().add(ina.doctorId).add(ina.nurseId)));
    assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(200);
    JsonObject after = new JsonObject(recorded.body());
    assertThat(after.getJsonArray("participants").stream().map(p -> (JsonObject) p)
        .filter(p -> p.getBoolean("attended")).map(p -> p.getString("userId")).toList())
        .containsExactlyInAnyOrder(ina.doctorId, ina.nurseId);
    assertThat(TestSql.count(ina.node, "select count(*) from posts where board_id = ? and body like ?",
        ina.patientId, "【議事録】%来週から週3回%")).isEqualTo(1);
    assertThat(code(ina.nurse.putJson("/api/v1/meetings/" + id + "/minutes", new JsonObject()
        .put("minutes", "x")))).isEqualTo("meetings.not_organizer");
  }

  private static void assertRefused(JsonObject form, String expected) {
    HttpResponse<String> refused = ina.doctor.postJson("/api/v1/meetings", form);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    assertThat(code(refused)).isEqualTo(expected);
  }

  static String code(HttpResponse<String> response) {
    return new JsonObject(response.body()).getString("code");
  }

  static String response(JsonObject meeting, String userId) {
    return meeting.getJsonArray("participants").stream().map(p -> (JsonObject) p)
        .filter(p -> userId.equals(p.getString("userId"))).findFirst().orElseThrow().getString("response");
  }

  static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }
}
