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

  /** One real SMTP server for both nodes: each mails its own participants. */
  com.icegreen.greenmail.util.GreenMail mail;

  @BeforeAll
  void teams() {
    mail = new com.icegreen.greenmail.util.GreenMail(com.icegreen.greenmail.util.ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    bed = CrossNodeTestbed.start(dir, json -> json.put("mail", new JsonObject().put("host", "127.0.0.1")
        .put("port", mail.getSmtp().getPort()).put("startTls", "disabled")
        .put("from", "tsunagu@" + json.getJsonObject("node").getString("name") + ".example.jp")), "ina", "minamiminowa");
    ina = bed.node("ina");
    mm = bed.node("minamiminowa");
    inaDoctor = bed.inaDoctor();
    mmNurse = bed.mmNurse();
    shared = CrossNodeTestbed.sharedPatient(inaDoctor, mmNurse, "mm-nurse@minamiminowa", "唐木");
    nurseAtIna = inaDoctor.get("/api/v1/meetings/boards/" + shared).json().getJsonArray("members").stream()
        .map(JsonObject.class::cast).filter(m -> m.getBoolean("partner")).findFirst().orElseThrow()
        .getString("userId");
  }

  @AfterAll
  void stop() {
    bed.close();
    mail.stop();
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
    assertThat(mine.getBoolean("mayChange")).as("she changes and cancels it from her node").isTrue();
    assertThat(mine.getBoolean("mayRecord")).as("minutes and documents at the patient's home node").isFalse();
    assertThat(atHome.getBoolean("mayChange")).as("the home node's members stand in for her").isTrue();
    assertThat(mmNurse.put("/api/v1/meetings/" + id + "/minutes", new JsonObject().put("minutes", "議事"))
        .code()).as("minutes only once it has started").isEqualTo("meetings.not_started");
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

  String changedMeeting;

  @Test
  @Order(8)
  void the_partner_member_changes_and_cancels_her_meeting_from_her_own_node_and_every_node_follows() {
    String doctorAtMm = partnerAtMm();
    String id = setUpFromHerNode("南箕輪で変える会議", doctorAtMm);
    changedMeeting = id;
    assertThat(inaDoctor.post("/api/v1/meetings/" + id + "/responses", new JsonObject().put("response", "attend"))
        .status()).isEqualTo(200);
    eventually("the doctor's answer reaches her node", () -> "attend".equals(response(
        mmNurse.get("/api/v1/meetings/" + id).json(), doctorAtMm)));
    JsonObject changedForm = form("南箕輪で変えた会議", new JsonArray().add(doctorAtMm)).put("durationMinutes", 90);
    CareClient.Reply changed = mmNurse.put("/api/v1/meetings/" + id, changedForm);
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(changed.json().getString("syncState")).isEqualTo("pending");
    assertThat(mmNurse.get("/api/v1/meetings/" + id).json().getString("title")).as("her copy waits for the home node")
        .isIn("南箕輪で変える会議", "南箕輪で変えた会議");
    eventually("the change is taken at the home node", () -> "南箕輪で変えた会議".equals(
        inaDoctor.get("/api/v1/meetings/" + id).json().getString("title")));
    JsonObject atHome = inaDoctor.get("/api/v1/meetings/" + id).json();
    assertThat(atHome.getInteger("sequence")).isEqualTo(1);
    assertThat(atHome.getLong("durationMinutes")).isEqualTo(90);
    assertThat(atHome.getString("myResponse")).as("an answer given stays").isEqualTo("attend");
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from audit_log where action = 'meetings.changed'"
        + " and actor = 'mm-nurse@minamiminowa' and target = ?", "meeting:" + id)).isEqualTo(1);
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from meeting_mail_queue where meeting_id = ?"
        + " and sequence = 1", id)).as("the home node mails its own participants").isLessThanOrEqualTo(1);
    eventually("her copy follows the sequenced change", () -> mmNurse.get("/api/v1/meetings/" + id).json()
        .getInteger("sequence") == 1);
    JsonObject mine = mmNurse.get("/api/v1/meetings/" + id).json();
    assertThat(mine.getString("title")).isEqualTo("南箕輪で変えた会議");
    assertThat(mine.getJsonArray("submissions")).as("nothing waits once taken").isEmpty();
    for (CareClient member : List.of(inaDoctor, mmNurse)) {
      eventually("the change on every timeline", () -> CrossNodeTestbed.bodies(member, shared).stream()
          .filter(b -> b.startsWith("【会議の変更】") && b.contains("南箕輪で変えた会議")).count() == 1);
    }

    // Each node mails its own participants the change with the iCalendar file (the job, asked now).
    mailQueued(id);
    for (String address : List.of("ina-doctor@example.jp", "mm-nurse@example.jp")) {
      eventually("the change mailed to " + address, () -> sequences(address, id).contains("REQUEST 1"));
    }

    CareClient.Reply cancelled = mmNurse.post("/api/v1/meetings/" + id + "/cancel", new JsonObject());
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.json().getString("syncState")).isEqualTo("pending");
    eventually("the cancellation is taken at the home node", () -> "cancelled".equals(
        inaDoctor.get("/api/v1/meetings/" + id).json().getString("status")));
    eventually("her copy is cancelled", () -> "cancelled".equals(
        mmNurse.get("/api/v1/meetings/" + id).json().getString("status")));
    assertThat(inaDoctor.get("/api/v1/meetings/" + id).json().getInteger("sequence")).isEqualTo(2);
    assertThat(mmNurse.get("/api/v1/meetings/" + id).json().getInteger("sequence")).isEqualTo(2);
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from audit_log where action = 'meetings.cancelled'"
        + " and actor = 'mm-nurse@minamiminowa' and target = ?", "meeting:" + id)).isEqualTo(1);
    for (CareClient member : List.of(inaDoctor, mmNurse)) {
      eventually("the cancellation on every timeline", () -> CrossNodeTestbed.bodies(member, shared).stream()
          .filter(b -> b.startsWith("【会議の中止】") && b.contains("南箕輪で変えた会議")).count() == 1);
    }
    // And the cancellation (METHOD:CANCEL, the sequence raised again).
    mailQueued(id);
    for (String address : List.of("ina-doctor@example.jp", "mm-nurse@example.jp")) {
      eventually("the cancellation mailed to " + address, () -> sequences(address, id).contains("CANCEL 2"));
    }
  }

  /** The meetings job on both nodes, now: what each queued for its own participants is mailed. */
  private void mailQueued(String meetingId) {
    for (TsunaguNode node : List.of(ina, mm)) {
      node.feature(jp.tsunagu.node.meetings.MeetingsFeature.class).reminders().sendDue(node.vertx(), Instant.now())
          .toCompletionStage().toCompletableFuture().join();
      assertThat(CrossNodeTestbed.count(node, "select count(*) from meeting_mail_queue where meeting_id = ?",
          meetingId)).isZero();
    }
  }

  /** The METHOD and SEQUENCE of each iCalendar file mailed to {@code address} about the meeting. */
  private List<String> sequences(String address, String meetingId) {
    List<String> found = new java.util.ArrayList<>();
    try {
      for (jakarta.mail.internet.MimeMessage message : mail.getReceivedMessages()) {
        if (!message.getAllRecipients()[0].toString().equals(address)) {
          continue;
        }
        jakarta.mail.Multipart parts = (jakarta.mail.Multipart) message.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
          jakarta.mail.BodyPart part = parts.getBodyPart(i);
          if (!part.getContentType().toLowerCase().startsWith("text/calendar")) {
            continue;
          }
          net.fortuna.ical4j.model.Calendar calendar = new net.fortuna.ical4j.data.CalendarBuilder().build(
              new java.io.StringReader(new String(part.getInputStream().readAllBytes(), StandardCharsets.UTF_8)));
          net.fortuna.ical4j.model.component.VEvent event =
              calendar.<net.fortuna.ical4j.model.component.VEvent>getComponents().get(0);
          if (event.getProperty("UID").map(p -> p.getValue().contains(meetingId)).orElse(false)) {
            found.add(calendar.getProperty("METHOD").orElseThrow().getValue() + " "
                + event.getProperty("SEQUENCE").orElseThrow().getValue());
          }
        }
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return found;
  }

  @Test
  @Order(9)
  void a_partner_twisting_a_change_or_cancellation_is_refused_and_nothing_changes_at_home() throws Exception {
    String live = setUpFromHerNode("南箕輪の続く会議", partnerAtMm());
    String over = setUpFromHerNode("南箕輪の終わった会議", partnerAtMm());
    ina.services().database().submitWrite(c -> {
      try (var s = c.prepareStatement("update meetings set starts_at = ?, ends_at = ? where id = ?")) {
        s.setString(1, Instant.now().minusSeconds(7200).toString());
        s.setString(2, Instant.now().minusSeconds(3600).toString());
        s.setString(3, over);
        return s.executeUpdate();
      }
    }).join();
    String localOnly = inaDoctor.post("/api/v1/patients", CrossNodeTestbed.patient("秋葉", "202096")).json()
        .getString("id");
    String otherBoard = inaDoctor.post("/api/v1/meetings", form("別の患者の会議", new JsonArray())
        .put("boardId", localOnly)).json().getString("id");
    otherBoardMeeting = otherBoard;
    Map<String, Event> twists = new LinkedHashMap<>();
    twists.put("meetings.not_organizer", changed("mm-nurse@minamiminowa", otherMeeting, m -> m, d -> d));
    twists.put("meetings.not_found", changed("mm-nurse@minamiminowa", "no-such-meeting", m -> m, d -> d));
    twists.put("meetings.cancelled", changed("mm-nurse@minamiminowa", changedMeeting, m -> m, d -> d));
    twists.put("meetings.ended", changed("mm-nurse@minamiminowa", over, m -> m, d -> d));
    twists.put("meetings.in_past", changed("mm-nurse@minamiminowa", live, m -> m.put("date", "2020-01-01"), d -> d));
    twists.put("meetings.link_not_https", changed("mm-nurse@minamiminowa", live,
        m -> m.put("videoProvider", "link").put("videoUrl", "http://zoom.example/j/1"), d -> d));
    twists.put("meetings.participant_not_member", changed("mm-nurse@minamiminowa", live, m -> m,
        d -> d.put("participants", new JsonArray().add(HostilePartnerTest.profile("stranger@minamiminowa", "南箕")))));
    twists.put("sync.not_a_member", changed("someone@minamiminowa", live, m -> m, d -> d));
    twists.put("sync.author_not_origin", changed("ina-doctor@ina", live, m -> m, d -> d));
    twists.put("sync.event_malformed", changed("mm-nurse@minamiminowa", live, m -> m,
        d -> d.put("changedAt", "yesterday")));
    Map<String, Event> cancels = new LinkedHashMap<>();
    cancels.put("meetings.not_organizer", cancel("mm-nurse@minamiminowa", otherMeeting, d -> d));
    cancels.put("meetings.not_found", cancel("mm-nurse@minamiminowa", "no-such-meeting", d -> d));
    cancels.put("meetings.cancelled", cancel("mm-nurse@minamiminowa", changedMeeting, d -> d));
    cancels.put("meetings.ended", cancel("mm-nurse@minamiminowa", over, d -> d));
    cancels.put("sync.not_a_member", cancel("someone@minamiminowa", live, d -> d));
    cancels.put("sync.event_malformed", cancel("mm-nurse@minamiminowa", live, d -> d.put("cancelledAt", 7)));
    ina.feature(jp.tsunagu.node.meetings.MeetingsFeature.class).reminders().sendDue(ina.vertx(), Instant.now())
        .toCompletionStage().toCompletableFuture().join();
    Map<String, Long> before = rows();
    String meetingsBefore = meetingsState();
    List<Map.Entry<String, Event>> all = new java.util.ArrayList<>(twists.entrySet());
    all.addAll(cancels.entrySet());
    // Another board's meeting, named on the shared board: the same refusal as a meeting that is not there.
    all.add(Map.entry("meetings.not_found", changed("mm-nurse@minamiminowa", otherBoard, m -> m, d -> d)));
    all.add(Map.entry("meetings.not_found", cancel("mm-nurse@minamiminowa", otherBoard, d -> d)));
    for (Map.Entry<String, Event> twist : all) {
      FederationClient.Reply reply = submit(twist.getValue());
      assertThat(reply.status()).as(twist.getKey() + " " + twist.getValue().type()).isGreaterThanOrEqualTo(400);
      assertThat(ErrorResponse.parse(reply.body().toString()).code()).as(twist.getKey() + " "
          + twist.getValue().type()).isEqualTo(twist.getKey());
    }
    assertThat(rows()).isEqualTo(before);
    assertThat(meetingsState()).as("no meeting changed").isEqualTo(meetingsBefore);
  }

  @Test
  @Order(10)
  void a_change_or_set_up_the_home_node_refuses_shows_as_not_sent_with_the_reason_on_her_node() {
    String live = setUpFromHerNode("南箕輪の確かめる会議", partnerAtMm());
    // ina's operator allows only its own Jitsi Meet server from now on; her node still allows pasted links.
    bed.stopNode("ina");
    ina = bed.startNode("ina", json -> json.put("meetings", new JsonObject().put("otherProviders", "off")));
    inaDoctor = bed.login("ina", "ina-doctor", "ina-doctor");
    JsonObject zoom = form("Zoom に変えた会議", new JsonArray()).put("videoProvider", "link")
        .put("videoUrl", "https://zoom.us/j/98765");
    CareClient.Reply changed = mmNurse.put("/api/v1/meetings/" + live, zoom);
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    CareClient.Reply setUp = mmNurse.post("/api/v1/meetings", form("Zoom の会議", new JsonArray())
        .put("videoProvider", "link").put("videoUrl", "https://zoom.us/j/12345"));
    assertThat(setUp.status()).as(setUp.body()).isEqualTo(201);
    eventually("the home node's refusals reach her node", () -> mmNurse.get("/api/v1/meetings/boards/" + shared)
        .json().getJsonArray("submissions").stream().map(JsonObject.class::cast)
        .filter(x -> x.getString("syncState").equals("rejected")).count() == 2);
    for (Object entry : mmNurse.get("/api/v1/meetings/boards/" + shared).json().getJsonArray("submissions")) {
      JsonObject x = (JsonObject) entry;
      assertThat(x.getString("code")).isEqualTo("meetings.provider_not_allowed");
      assertThat(x.getString("reason")).isEqualTo("登録先の地域ではこのビデオ会議サービスを使えません。");
    }
    JsonObject mine = mmNurse.get("/api/v1/meetings/" + live).json();
    assertThat(mine.getString("title")).as("her copy as the home node has it").isEqualTo("南箕輪の確かめる会議");
    assertThat(mine.getJsonArray("submissions").getJsonObject(0).getString("syncState")).isEqualTo("rejected");
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from meetings where title like ?", "Zoom%")).isZero();
    assertThat(inaDoctor.get("/api/v1/meetings/" + live).json().getInteger("sequence")).isZero();
  }

  /** A meeting of a patient of the home node's alone (another board than the shared one). */
  String otherBoardMeeting;

  /** A meeting she set up that has started (its minutes recorded from her node). */
  String minutedMeeting;

  @Test
  @Order(11)
  void the_partner_organiser_records_minutes_from_her_node_once_started_and_every_node_follows() {
    String doctorAtMm = partnerAtMm();
    LocalDateTime start = LocalDateTime.ofInstant(bed.clock.instant(), ZoneId.of("Asia/Tokyo")).plusMinutes(2)
        .withSecond(0).withNano(0);
    CareClient.Reply sent = mmNurse.post("/api/v1/meetings", form("南箕輪で記録する会議", new JsonArray().add(doctorAtMm))
        .put("date", start.toLocalDate().toString()).put("time", start.toLocalTime().toString().substring(0, 5)));
    assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    String id = sent.json().getString("id");
    minutedMeeting = id;
    eventually("the meeting comes back to her node", () -> mmNurse.get("/api/v1/meetings/" + id).status() == 200);
    assertThat(mmNurse.get("/api/v1/meetings/" + id).json().getBoolean("mayMinute")).as("before the start").isFalse();
    CareClient.Reply early = mmNurse.put("/api/v1/meetings/" + id + "/minutes", new JsonObject().put("minutes", "早い"));
    assertThat(early.status()).isEqualTo(409);
    assertThat(early.code()).isEqualTo("meetings.not_started");

    bed.clock.moveTo(start.atZone(ZoneId.of("Asia/Tokyo")).toInstant());
    JsonObject mine = mmNurse.get("/api/v1/meetings/" + id).json();
    assertThat(mine.getBoolean("mayMinute")).as("her minutes go to the home node").isTrue();
    assertThat(mine.getBoolean("mayRecord")).as("documents stay at the home node").isFalse();
    CareClient.Reply recorded = mmNurse.put("/api/v1/meetings/" + id + "/minutes", new JsonObject()
        .put("minutes", "広域の訪問を隔週に調整した。").put("decisions", "南箕輪が第1・第3週")
        .put("attended", new JsonArray().add(doctorAtMm)));
    assertThat(recorded.status()).as(recorded.body()).isEqualTo(200);
    assertThat(recorded.json().getString("syncState")).isEqualTo("pending");
    eventually("the minutes are taken at the home node", () -> "広域の訪問を隔週に調整した。".equals(
        inaDoctor.get("/api/v1/meetings/" + id).json().getString("minutes")));
    JsonObject atHome = inaDoctor.get("/api/v1/meetings/" + id).json();
    assertThat(atHome.getString("decisions")).isEqualTo("南箕輪が第1・第3週");
    assertThat(atHome.getJsonArray("participants").stream().map(JsonObject.class::cast)
        .filter(p -> p.getBoolean("attended")).map(p -> p.getString("userId")).toList())
        .as("who attended, as her node's people are known here (the doctor, not she)")
        .hasSize(1).doesNotContain("mm-nurse@minamiminowa");
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from audit_log where action = 'meetings.minutes_recorded'"
        + " and actor = 'mm-nurse@minamiminowa' and target = ?", "meeting:" + id)).isEqualTo(1);
    eventually("her copy follows the sequenced minutes", () -> "広域の訪問を隔週に調整した。".equals(
        mmNurse.get("/api/v1/meetings/" + id).json().getString("minutes")));
    assertThat(mmNurse.get("/api/v1/meetings/" + id).json().getJsonArray("submissions"))
        .as("nothing waits once taken").isEmpty();
    for (CareClient member : List.of(inaDoctor, mmNurse)) {
      eventually("the minutes on every timeline", () -> CrossNodeTestbed.bodies(member, shared).stream()
          .filter(b -> b.startsWith("【議事録】") && b.contains("南箕輪が第1・第3週")).count() == 1);
    }
  }

  @Test
  @Order(12)
  void a_partner_twisting_minutes_is_refused_with_a_stable_code_and_nothing_changes_at_home() throws Exception {
    String later = setUpFromHerNode("南箕輪のまだの会議", partnerAtMm());
    String otherBoard = otherBoardMeeting;
    String her = "mm-nurse@minamiminowa";
    Map<String, Event> twists = new LinkedHashMap<>();
    twists.put("meetings.not_organizer", minutes(her, otherMeeting, d -> d));
    twists.put("meetings.not_found", minutes(her, "no-such-meeting", d -> d));
    twists.put("meetings.cancelled", minutes(her, changedMeeting, d -> d));
    twists.put("meetings.not_started", minutes(her, later, d -> d));
    twists.put("meetings.minutes_required", minutes(her, minutedMeeting, d -> d.put("minutes", " ")));
    twists.put("meetings.participant_not_member", minutes(her, minutedMeeting,
        d -> d.put("attended", new JsonArray().add(HostilePartnerTest.profile("stranger@minamiminowa", "南箕")))));
    twists.put("sync.not_a_member", minutes("someone@minamiminowa", minutedMeeting, d -> d));
    twists.put("sync.author_not_origin", minutes("ina-doctor@ina", minutedMeeting, d -> d));
    twists.put("sync.event_malformed", minutes(her, minutedMeeting, d -> d.put("recordedAt", "yesterday")));
    List<Map.Entry<String, Event>> all = new java.util.ArrayList<>(twists.entrySet());
    all.add(Map.entry("sync.event_malformed", minutes(her, minutedMeeting, d -> d.put("minutes", 7))));
    all.add(Map.entry("sync.event_malformed", minutes(her, minutedMeeting, d -> d.put("attended", "all"))));
    // Another board's meeting, named on the shared board: the same refusal as a meeting that is not there.
    all.add(Map.entry("meetings.not_found", minutes(her, otherBoard, d -> d)));
    Map<String, Long> before = rows();
    String minutesBefore = minutesState();
    for (Map.Entry<String, Event> twist : all) {
      FederationClient.Reply reply = submit(twist.getValue());
      assertThat(reply.status()).as(twist.getKey()).isGreaterThanOrEqualTo(400);
      assertThat(ErrorResponse.parse(reply.body().toString()).code()).as(twist.getKey()).isEqualTo(twist.getKey());
    }
    assertThat(rows()).isEqualTo(before);
    assertThat(minutesState()).as("no minutes changed").isEqualTo(minutesBefore);
  }

  private Event minutes(String author, String meetingId, java.util.function.UnaryOperator<JsonObject> twist) {
    JsonObject data = twist.apply(new JsonObject().put("author", HostilePartnerTest.profile(author, "南箕"))
        .put("meetingId", meetingId).put("minutes", "偽の議事録").put("decisions", "").put("attended", new JsonArray())
        .put("noticeId", jp.tsunagu.node.care.CareIds.next()).put("recordedAt", Instant.now().toString()));
    return new Event(UUID.randomUUID().toString(), "meetings.minutes.recorded", "minamiminowa", "ina",
        List.of(shared, meetingId), Instant.now(), Json.parseObject(data.encode()));
  }

  /** Every meeting's minutes and attendance at the home node (what refused minutes must leave as they were). */
  private String minutesState() {
    return ina.services().database().submitRead(c -> {
      try (var s = c.createStatement(); var rs = s.executeQuery("select (select group_concat(id || minutes || decisions"
          + " || coalesce(minutes_at, ''), '|') from (select * from meetings order by id)) || '#' || (select"
          + " group_concat(meeting_id || key || attended, '|') from (select * from meeting_participants"
          + " order by meeting_id, key))")) {
        rs.next();
        return rs.getString(1);
      }
    }).join();
  }

  private String partnerAtMm() {
    return mmNurse.get("/api/v1/meetings/boards/" + shared).json().getJsonArray("members").stream()
        .map(JsonObject.class::cast).filter(m -> m.getBoolean("partner")).findFirst().orElseThrow()
        .getString("userId");
  }

  /** A meeting she sets up on her node, once the home node has taken it and her node holds it. */
  private String setUpFromHerNode(String title, String participant) {
    CareClient.Reply sent = mmNurse.post("/api/v1/meetings", form(title, new JsonArray().add(participant)));
    assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    String id = sent.json().getString("id");
    eventually("the meeting comes back to her node", () -> mmNurse.get("/api/v1/meetings/" + id).status() == 200);
    return id;
  }

  private Event changed(String author, String meetingId, java.util.function.UnaryOperator<JsonObject> form,
      java.util.function.UnaryOperator<JsonObject> twist) {
    LocalDateTime start = LocalDateTime.now(ZoneId.of("Asia/Tokyo")).plusDays(4).withSecond(0).withNano(0);
    JsonObject meeting = form.apply(new JsonObject().put("id", meetingId).put("kind", "conference")
        .put("title", "偽の変更").put("date", start.toLocalDate().toString())
        .put("time", start.toLocalTime().toString().substring(0, 5)).put("durationMinutes", 30).put("online", true)
        .put("place", "").put("videoProvider", "jitsi").put("videoUrl", "https://meet.jit.si/tsunagu-0123")
        .put("agenda", ""));
    JsonObject data = twist.apply(new JsonObject().put("author", HostilePartnerTest.profile(author, "南箕"))
        .put("meeting", meeting).put("participants", new JsonArray())
        .put("noticeId", jp.tsunagu.node.care.CareIds.next()).put("changedAt", Instant.now().toString()));
    return new Event(UUID.randomUUID().toString(), "meetings.meeting.changed", "minamiminowa", "ina",
        List.of(shared, meetingId), Instant.now(), Json.parseObject(data.encode()));
  }

  private Event cancel(String author, String meetingId, java.util.function.UnaryOperator<JsonObject> twist) {
    JsonObject data = twist.apply(new JsonObject().put("author", HostilePartnerTest.profile(author, "南箕"))
        .put("meetingId", meetingId).put("noticeId", jp.tsunagu.node.care.CareIds.next())
        .put("cancelledAt", Instant.now().toString()));
    return new Event(UUID.randomUUID().toString(), "meetings.meeting.cancelled", "minamiminowa", "ina",
        List.of(shared, meetingId), Instant.now(), Json.parseObject(data.encode()));
  }

  /** Every meeting at the home node as it stands (what a refused change must leave as it was). */
  private String meetingsState() {
    return ina.services().database().submitRead(c -> {
      try (var s = c.createStatement(); var rs = s.executeQuery("select group_concat(id || status || sequence || title"
          + " || starts_at || ends_at || video_url, '|') from (select * from meetings order by id)")) {
        rs.next();
        return rs.getString(1);
      }
    }).join();
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
