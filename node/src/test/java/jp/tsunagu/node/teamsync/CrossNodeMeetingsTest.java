package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.wire.ErrorResponse;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.federation.FederationClient;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Meetings across a wide-area team: ina (伊那市) is the patient's home node, minamiminowa's visiting
 * nurse is on the team. A meeting scheduled at ina reaches the nurse's node through team sync (her
 * 予定, the meeting with its link); she answers from her own node and the answer reaches ina; a
 * cancellation reaches her copy. A partner twisting the answer event is refused with a stable code
 * and changes nothing at ina but the audit log and the refusals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossNodeMeetingsTest {

  static final String TYPE = "meetings.response.recorded";

  @TempDir
  static Path dir;
  CrossNodeTestbed bed;
  TsunaguNode ina;
  TsunaguNode mm;
  CareClient inaDoctor;
  CareClient mmNurse;
  String shared;
  String nurseAtIna;
  String meetingId;
  String otherMeeting;

  @BeforeAll
  void teams() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    ina = bed.node("ina");
    mm = bed.node("minamiminowa");
    inaDoctor = bed.professional("ina", "ina-doctor", "伊那", "doctor", "伊那中央クリニック", "clinic");
    mmNurse = bed.professional("minamiminowa", "mm-nurse", "南箕", "nurse", "みなみみのわ訪問看護ステーション",
        "home_nursing");
    shared = CrossNodeTestbed.sharedPatient(inaDoctor, mmNurse, "mm-nurse@minamiminowa", "唐木");
    nurseAtIna = inaDoctor.get("/api/v1/meetings/boards/" + shared).json().getJsonArray("members").stream()
        .map(JsonObject.class::cast).filter(m -> m.getBoolean("partner")).findFirst().orElseThrow()
        .getString("userId");
  }

  @AfterAll
  void stop() {
    bed.close();
  }

  private JsonObject form(String title, JsonArray participants) {
    LocalDateTime start = LocalDateTime.now(ZoneId.of("Asia/Tokyo")).plusDays(1).withSecond(0).withNano(0);
    return new JsonObject().put("boardId", shared).put("kind", "conference").put("title", title)
        .put("date", start.toLocalDate().toString()).put("time", start.toLocalTime().toString().substring(0, 5))
        .put("durationMinutes", 45).put("online", true).put("videoProvider", "jitsi").put("place", "")
        .put("agenda", "広域での訪問調整").put("participants", participants);
  }

  @Test
  @Order(1)
  void a_meeting_scheduled_at_the_home_node_reaches_the_partner_members_node() {
    CareClient.Reply made = inaDoctor.post("/api/v1/meetings", form("広域カンファレンス", new JsonArray().add(nurseAtIna)));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    meetingId = made.json().getString("id");
    String link = made.json().getString("videoUrl");
    eventually("the meeting reaches the nurse's node", () -> mmNurse.get("/api/v1/meetings/" + meetingId).status() == 200);
    JsonObject copy = mmNurse.get("/api/v1/meetings/" + meetingId).json();
    assertThat(copy.getString("title")).isEqualTo("広域カンファレンス");
    assertThat(copy.getString("videoUrl")).isEqualTo(link);
    assertThat(copy.getBoolean("participant")).isTrue();
    assertThat(copy.getString("myResponse")).isEqualTo("pending");
    List<String> week = new java.util.ArrayList<>();
    for (String w : List.of("0", "1")) {
      mmNurse.get("/api/v1/calendar?week=" + w).json().getJsonArray("meetings")
          .forEach(m -> week.add(((JsonObject) m).getString("id")));
    }
    assertThat(week).as("her 予定 on her own node").contains(meetingId);
    // Her node mails its own participants (the job looks every minute; here it is asked now).
    assertThat(CrossNodeTestbed.count(mm, "select count(*) from meeting_mail_queue where meeting_id = ?", meetingId))
        .as("queued until the job runs (or sent by it already)").isLessThanOrEqualTo(1);
    mm.feature(jp.tsunagu.node.meetings.MeetingsFeature.class).reminders().sendDue(mm.vertx(), Instant.now())
        .toCompletionStage().toCompletableFuture().join();
    assertThat(CrossNodeTestbed.count(mm, "select count(*) from meeting_mail_queue where meeting_id = ?", meetingId))
        .isZero();
    otherMeeting = inaDoctor.post("/api/v1/meetings", form("院内のみの打合せ", new JsonArray())).json().getString("id");
  }

  @Test
  @Order(2)
  void the_partner_member_answers_from_her_own_node_and_the_answer_reaches_the_home_node() {
    CareClient.Reply answered = mmNurse.post("/api/v1/meetings/" + meetingId + "/responses",
        new JsonObject().put("response", "attend"));
    assertThat(answered.status()).as(answered.body()).isEqualTo(200);
    eventually("the answer reaches ina", () -> "attend".equals(response(inaDoctor.get("/api/v1/meetings/" + meetingId)
        .json(), nurseAtIna)));
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from audit_log where action = 'meetings.responded'"
        + " and target = ?", "meeting:" + meetingId)).isEqualTo(1);
  }

  @Test
  @Order(2)
  void a_document_reaches_the_partner_participant_who_opens_it_on_her_own_node_and_nobody_else_there() {
    byte[] pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.UTF_8);
    java.net.http.HttpResponse<String> added = inaDoctor.postWith("/api/v1/meetings/" + meetingId + "/documents",
        pdf, "application/pdf", Map.of("X-File-Name", java.net.URLEncoder.encode("退院時サマリー.pdf",
            StandardCharsets.UTF_8)));
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    String document = new JsonObject(added.body()).getString("id");
    String path = "/api/v1/meetings/" + meetingId + "/documents/" + document;
    eventually("the document reaches the nurse's node", () -> mmNurse.download(path).statusCode() == 200);
    assertThat(mmNurse.download(path).body()).isEqualTo(pdf);
    assertThat(mmNurse.get("/api/v1/meetings/" + meetingId).json().getJsonArray("documents").stream()
        .map(JsonObject.class::cast).map(d -> d.getString("name"))).containsExactly("退院時サマリー.pdf");

    CareClient mmOther = bed.professional("minamiminowa", "mm-nurse2", "南箕", "nurse",
        "みなみみのわ訪問看護ステーション", "home_nursing");
    assertThat(mmOther.download(path).statusCode()).as("not a participant on the partner's node").isEqualTo(404);
    assertThat(CrossNodeTestbed.count(mm, "select count(*) from audit_log where action = ? and outcome = 'refused'",
        "meetings.document.read")).as("the refusal audited").isGreaterThanOrEqualTo(1);
    assertThat(CrossNodeTestbed.count(mm, "select count(*) from audit_log where action = ? and outcome = 'success'",
        "meetings.document.read")).as("the nurse's reads audited").isGreaterThanOrEqualTo(2);
  }

  @Test
  @Order(3)
  void the_partner_node_may_not_fetch_a_document_of_a_team_it_is_not_in() throws Exception {
    String localOnly = inaDoctor.post("/api/v1/patients", CrossNodeTestbed.patient("春日", "202096")).json()
        .getString("id");
    String meeting = inaDoctor.post("/api/v1/meetings", form("院内の会議", new JsonArray()).put("boardId", localOnly))
        .json().getString("id");
    byte[] pdf = "%PDF-1.4\n% 院内のみ\n%%EOF\n".getBytes(StandardCharsets.UTF_8);
    java.net.http.HttpResponse<String> added = inaDoctor.postWith("/api/v1/meetings/" + meeting + "/documents", pdf,
        "application/pdf", Map.of("X-File-Name", "internal.pdf"));
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    String sha256 = jp.tsunagu.node.care.attachments.AttachmentFiles.sha256(pdf);
    FederationClient client = FederationClient.of(mm.vertx(), TestNodes.federation(mm));
    try {
      FederationClient.Reply reply = client.call(ina.services().keys().identity().card(), HttpMethod.GET,
          String.format(FederationV1.ATTACHMENT, sha256), null, null).await(20, TimeUnit.SECONDS);
      assertThat(reply.status()).isEqualTo(404);
      assertThat(ErrorResponse.parse(reply.body().toString()).code()).isEqualTo("sync.attachment_unknown");
    } finally {
      client.close();
    }
  }

  @Test
  @Order(3)
  void a_partner_twisting_the_answer_is_refused_with_a_stable_code_and_nothing_changes_at_home() throws Exception {
    Map<String, Event> twists = new LinkedHashMap<>();
    twists.put("meetings.not_a_participant", event(otherMeeting, "mm-nurse@minamiminowa", "attend"));
    twists.put("meetings.invalid_response", event(meetingId, "mm-nurse@minamiminowa", "maybe"));
    twists.put("meetings.not_found", event("no-such-meeting", "mm-nurse@minamiminowa", "attend"));
    twists.put("sync.author_not_origin", event(meetingId, "ina-doctor@ina", "decline"));
    Map<String, Long> before = rows();
    for (Map.Entry<String, Event> twist : twists.entrySet()) {
      FederationClient.Reply reply = submit(twist.getValue());
      assertThat(reply.status()).as(twist.getKey()).isGreaterThanOrEqualTo(400);
      assertThat(ErrorResponse.parse(reply.body().toString()).code()).as(twist.getKey()).isEqualTo(twist.getKey());
    }
    assertThat(rows()).isEqualTo(before);
    assertThat(response(inaDoctor.get("/api/v1/meetings/" + meetingId).json(), nurseAtIna)).isEqualTo("attend");
  }

  @Test
  @Order(4)
  void a_cancellation_at_the_home_node_reaches_the_partner_members_copy() {
    assertThat(inaDoctor.post("/api/v1/meetings/" + meetingId + "/cancel", new JsonObject()).status()).isEqualTo(200);
    eventually("the cancellation reaches the nurse's node", () -> "cancelled".equals(
        mmNurse.get("/api/v1/meetings/" + meetingId).json().getString("status")));
    assertThat(mmNurse.get("/api/v1/meetings/" + meetingId).json().getInteger("sequence")).isEqualTo(1);
    assertThat(mmNurse.post("/api/v1/meetings/" + meetingId + "/responses", new JsonObject().put("response", "decline"))
        .code()).isEqualTo("meetings.cancelled");
  }

  @Test
  @Order(5)
  void a_partner_member_sets_up_a_meeting_on_her_own_node_and_it_reaches_every_members_node() {
    String doctorAtMm = mmNurse.get("/api/v1/meetings/boards/" + shared).json().getJsonArray("members").stream()
        .map(JsonObject.class::cast).filter(m -> m.getBoolean("partner")).findFirst().orElseThrow()
        .getString("userId");
    CareClient.Reply sent = mmNurse.post("/api/v1/meetings", form("南箕輪からの会議", new JsonArray().add(doctorAtMm)));
    assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    assertThat(sent.json().getString("syncState")).isEqualTo("pending");
    String id = sent.json().getString("id");
    eventually("the home node takes the meeting", () -> inaDoctor.get("/api/v1/meetings/" + id).status() == 200);
    JsonObject atHome = inaDoctor.get("/api/v1/meetings/" + id).json();
    assertThat(atHome.getString("title")).isEqualTo("南箕輪からの会議");
    assertThat(atHome.getBoolean("participant")).isTrue();
    assertThat(atHome.getString("myResponse")).isEqualTo("pending");
    assertThat(atHome.getString("videoUrl")).startsWith("https://");
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from meetings where id = ? and organizer_id ="
        + " 'mm-nurse@minamiminowa'", id)).isEqualTo(1);
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from audit_log where action = 'meetings.scheduled'"
        + " and actor = 'mm-nurse@minamiminowa' and detail like ?", "%" + id + "%")).isEqualTo(1);
    eventually("the meeting comes back to her node", () -> mmNurse.get("/api/v1/meetings/" + id).status() == 200);
    JsonObject mine = mmNurse.get("/api/v1/meetings/" + id).json();
    assertThat(mine.getBoolean("organizer")).isTrue();
    assertThat(mine.getString("videoUrl")).isEqualTo(atHome.getString("videoUrl"));
    for (CareClient member : List.of(inaDoctor, mmNurse)) {
      eventually("the invitation on the timeline", () -> CrossNodeTestbed.bodies(member, shared).stream()
          .filter(b -> b.startsWith("【会議のお知らせ】") && b.contains("南箕輪からの会議")).count() == 1);
    }

    assertThat(inaDoctor.post("/api/v1/meetings/" + id + "/responses", new JsonObject().put("response", "attend"))
        .status()).isEqualTo(200);
    eventually("the doctor's answer reaches the organiser's node", () -> "attend".equals(response(
        mmNurse.get("/api/v1/meetings/" + id).json(), doctorAtMm)));
    CareClient.Reply change = mmNurse.put("/api/v1/meetings/" + id, form("変更", new JsonArray()));
    assertThat(change.status()).isEqualTo(409);
    assertThat(change.code()).as("changed on the patient's home node").isEqualTo("meetings.board_not_home");
    assertThat(mine.getBoolean("mayChange")).as("changed at the patient's home node").isFalse();
    assertThat(atHome.getBoolean("mayChange")).as("the home node's members stand in for her").isTrue();
    CareClient.Reply family = mmNurse.post("/api/v1/meetings", form("家族も", new JsonArray())
        .put("familyContacts", new JsonArray().add(new JsonObject().put("name", "唐木 一郎")
            .put("email", "ichiro@example.jp"))));
    assertThat(family.code()).isEqualTo("meetings.family_at_home_only");
  }

  @Test
  @Order(7)
  void the_home_node_calls_off_a_meeting_a_partner_member_set_up_and_her_node_follows() {
    String id = inaDoctor.get("/api/v1/meetings/boards/" + shared).json().getJsonArray("meetings").stream()
        .map(JsonObject.class::cast).filter(m -> m.getString("title").equals("南箕輪からの会議")).findFirst()
        .orElseThrow().getString("id");
    CareClient.Reply cancelled = inaDoctor.post("/api/v1/meetings/" + id + "/cancel", new JsonObject());
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    eventually("the cancellation reaches the organiser's node", () -> "cancelled".equals(
        mmNurse.get("/api/v1/meetings/" + id).json().getString("status")));
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from audit_log where action = 'meetings.cancelled'"
        + " and target = ?", "meeting:" + id)).isEqualTo(1);
  }

  @Test
  @Order(6)
  void a_partner_twisting_a_meeting_set_up_on_her_node_is_refused_and_nothing_changes_at_home() throws Exception {
    String held = inaDoctor.get("/api/v1/meetings/boards/" + shared).json().getJsonArray("meetings").stream()
        .map(JsonObject.class::cast).findFirst().orElseThrow().getString("id");
    Map<String, Event> twists = new LinkedHashMap<>();
    twists.put("meetings.in_past", scheduled("mm-nurse@minamiminowa", null, m -> m.put("date", "2020-01-01")));
    twists.put("meetings.ends_before_start", scheduled("mm-nurse@minamiminowa", null,
        m -> m.put("durationMinutes", 0)));
    twists.put("meetings.invalid_kind", scheduled("mm-nurse@minamiminowa", null, m -> m.put("kind", "party")));
    twists.put("meetings.link_not_https", scheduled("mm-nurse@minamiminowa", null,
        m -> m.put("videoProvider", "link").put("videoUrl", "http://zoom.example/j/1")));
    twists.put("meetings.participant_not_member", scheduled("mm-nurse@minamiminowa",
        new JsonArray().add(HostilePartnerTest.profile("stranger@minamiminowa", "南箕")), m -> m));
    twists.put("sync.not_a_member", scheduled("someone@minamiminowa", null, m -> m));
    twists.put("sync.author_not_origin", scheduled("ina-doctor@ina", null, m -> m));
    twists.put("sync.object_exists", scheduled("mm-nurse@minamiminowa", null, m -> m.put("id", held)));
    // The reminders due now (a meeting of tomorrow: 明日の会議) are posted first, so the job's own notices
    // do not land among what the refusals must leave as it was.
    ina.feature(jp.tsunagu.node.meetings.MeetingsFeature.class).reminders().sendDue(ina.vertx(), Instant.now())
        .toCompletionStage().toCompletableFuture().join();
    Map<String, Long> before = rows();
    for (Map.Entry<String, Event> twist : twists.entrySet()) {
      FederationClient.Reply reply = submit(twist.getValue());
      assertThat(reply.status()).as(twist.getKey()).isGreaterThanOrEqualTo(400);
      assertThat(ErrorResponse.parse(reply.body().toString()).code()).as(twist.getKey()).isEqualTo(twist.getKey());
    }
    assertThat(rows()).isEqualTo(before);
  }

  /** A partner's own signed meeting, set up as her node would, then twisted. */
  private Event scheduled(String author, JsonArray participants, java.util.function.UnaryOperator<JsonObject> twist) {
    LocalDateTime start = LocalDateTime.now(ZoneId.of("Asia/Tokyo")).plusDays(3).withSecond(0).withNano(0);
    JsonObject meeting = twist.apply(new JsonObject().put("id", jp.tsunagu.node.care.CareIds.next())
        .put("kind", "conference").put("title", "偽の会議").put("date", start.toLocalDate().toString())
        .put("time", start.toLocalTime().toString().substring(0, 5)).put("durationMinutes", 30).put("online", true)
        .put("place", "").put("videoProvider", "jitsi").put("videoUrl", "https://meet.jit.si/tsunagu-0123")
        .put("agenda", ""));
    JsonObject data = new JsonObject().put("author", HostilePartnerTest.profile(author, "南箕")).put("meeting", meeting)
        .put("participants", participants == null ? new JsonArray() : participants)
        .put("noticeId", jp.tsunagu.node.care.CareIds.next()).put("scheduledAt", Instant.now().toString());
    return new Event(UUID.randomUUID().toString(), "meetings.meeting.scheduled", "minamiminowa", "ina",
        List.of(shared, meeting.getString("id")), Instant.now(), Json.parseObject(data.encode()));
  }

  private static String response(JsonObject meeting, String userId) {
    return meeting.getJsonArray("participants").stream().map(JsonObject.class::cast)
        .filter(p -> userId.equals(p.getString("userId"))).findFirst().orElseThrow().getString("response");
  }

  private Event event(String meeting, String author, String response) {
    JsonObject data = new JsonObject().put("meetingId", meeting).put("response", response)
        .put("author", HostilePartnerTest.profile(author, "南箕"));
    return new Event(UUID.randomUUID().toString(), TYPE, "minamiminowa", "ina", List.of(shared, meeting),
        Instant.now(), Json.parseObject(data.encode()));
  }

  private FederationClient.Reply submit(Event event) throws Exception {
    FederationClient client = FederationClient.of(mm.vertx(), TestNodes.federation(mm));
    try {
      return client.call(ina.services().keys().identity().card(), HttpMethod.POST,
          String.format(FederationV1.SUBMISSION, event.targets().get(0), event.id()),
          Buffer.buffer(EventEnvelope.sign(event, mm.services().keys().identity())), FederationV1.JOSE)
          .await(20, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  /** What a refused event must leave as it was at the home node. */
  private Map<String, Long> rows() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : List.of("meetings", "meeting_participants", "posts", "team_events", "users")) {
      counts.put(table, ina.services().database().submitRead(c -> {
        try (var s = c.createStatement(); var rs = s.executeQuery("select count(*) from " + table)) {
          rs.next();
          return rs.getLong(1);
        }
      }).join());
    }
    counts.put("answers", ina.services().database().submitRead(c -> {
      try (var s = c.createStatement(); var rs = s.executeQuery(
          "select count(*) from meeting_participants where response <> 'pending'")) {
        rs.next();
        return rs.getLong(1);
      }
    }).join());
    return counts;
  }
}
