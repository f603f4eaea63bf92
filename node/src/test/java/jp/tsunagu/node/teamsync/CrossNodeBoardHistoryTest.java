package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a partner's professional receives of the records made before she joined a team: ina (伊那市)
 * records doses (one corrected, with a reaction) and schedules a meeting with a document for a
 * patient of its own, then invites minamiminowa's visiting nurse. Once she has accepted, her node
 * holds the doses at their current version with every version and the reaction, each notice once,
 * and the meeting with its document; the same history logged again changes nothing there; and a
 * partner cannot use the doses or the meeting of the history to write at the home node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossNodeBoardHistoryTest {

  @TempDir
  static Path dir;
  @AutoClose
  CrossNodeTestbed bed;
  TsunaguNode ina;
  TsunaguNode mm;
  CareClient inaDoctor;
  CareClient mmNurse;
  String patient;
  String corrected;
  String second;
  String meeting;
  byte[] pdf = "%PDF-1.4\n% 参加前の資料\n%%EOF\n".getBytes(StandardCharsets.UTF_8);

  @BeforeAll
  void history() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    ina = bed.node("ina");
    mm = bed.node("minamiminowa");
    inaDoctor = bed.inaDoctor();
    mmNurse = bed.mmNurse();
    patient = inaDoctor.post("/api/v1/patients", CrossNodeTestbed.patient("唐木", "202096")).json().getString("id");
    Instant tenDaysAgo = Instant.now().minus(Duration.ofDays(10));
    corrected = created(inaDoctor.post("/api/v1/patients/" + patient + "/vaccinations",
        CrossNodeVaccinationTest.dose("influenza", 1, tenDaysAgo)));
    CareClient.Reply fixed = inaDoctor.put("/api/v1/vaccinations/" + corrected,
        CrossNodeVaccinationTest.dose("influenza", 1, tenDaysAgo).put("lotNumber", "FK9999"));
    assertThat(fixed.status()).as(fixed.body()).isEqualTo(200);
    CareClient.Reply reaction = inaDoctor.post("/api/v1/vaccinations/" + corrected + "/reactions",
        new JsonObject().put("kind", "none"));
    assertThat(reaction.status()).as(reaction.body()).isEqualTo(201);
    second = created(inaDoctor.post("/api/v1/patients/" + patient + "/vaccinations",
        CrossNodeVaccinationTest.dose("covid19", 1, Instant.now().minus(Duration.ofDays(2)))));
    LocalDateTime start = LocalDateTime.now(ZoneId.of("Asia/Tokyo")).plusDays(2).withSecond(0).withNano(0);
    meeting = created(inaDoctor.post("/api/v1/meetings", new JsonObject().put("boardId", patient)
        .put("kind", "conference").put("title", "参加前に決めた会議").put("date", start.toLocalDate().toString())
        .put("time", start.toLocalTime().toString().substring(0, 5)).put("durationMinutes", 30).put("online", true)
        .put("videoProvider", "jitsi").put("place", "").put("agenda", "退院後の訪問").put("participants", new JsonArray())));
    java.net.http.HttpResponse<String> added = inaDoctor.postWith("/api/v1/meetings/" + meeting + "/documents", pdf,
        "application/pdf", Map.of("X-File-Name", "summary.pdf"));
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    CrossNodeTestbed.join(inaDoctor, mmNurse, "mm-nurse@minamiminowa", patient);
  }

  private static String created(CareClient.Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  @Test
  @Order(1)
  void the_doses_and_the_meeting_recorded_before_she_joined_reach_her_node_at_their_current_state() {
    eventually("the doses reach the nurse's node", () -> doses(mmNurse).size() == 2);
    JsonObject influenza = dose(mmNurse, corrected);
    assertThat(influenza.getString("lotNumber")).isEqualTo("FK9999");
    assertThat(influenza.getInteger("version")).isEqualTo(2);
    assertThat(influenza.getJsonArray("versions")).hasSize(2);
    assertThat(influenza.getJsonArray("reactions")).hasSize(1);
    assertThat(influenza.getString("noticeId")).isEqualTo(dose(inaDoctor, corrected).getString("noticeId"));
    assertThat(dose(mmNurse, second).getString("vaccine")).isEqualTo("covid19");
    List<String> bodies = CrossNodeTestbed.bodies(mmNurse, patient);
    assertThat(bodies.stream().filter(b -> b.startsWith("【予防接種】インフルエンザ 1回目"))).hasSize(1);
    assertThat(bodies.stream().filter(b -> b.startsWith("【予防接種の記録を修正】"))).hasSize(1);
    assertThat(bodies.stream().filter(b -> b.startsWith("【予防接種】COVID-19 1回目"))).hasSize(1);
    JsonObject statuses = mmNurse.get("/api/v1/vaccination/statuses?patients=" + patient).json()
        .getJsonObject("patients");
    assertThat(statuses.getJsonArray(patient).stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("vaccine").equals("influenza")).findFirst().orElseThrow().getString("label"))
        .isEqualTo("接種済み 1回");

    eventually("the meeting reaches the nurse's node", () -> CrossNodeTestbed.count(mm,
        "select count(*) from meetings where id = ?", meeting) == 1);
    assertThat(text(mm, "select title from meetings where id = ?", meeting)).isEqualTo("参加前に決めた会議");
    assertThat(CrossNodeTestbed.count(mm, "select count(*) from meeting_documents where meeting_id = ?", meeting))
        .isEqualTo(1);
    eventually("the history is complete at ina", () -> CrossNodeTestbed.count(ina,
        "select count(*) from board_sharing where board_id = ?", patient) == 0);
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from board_history_records where board_id = ?", patient))
        .isZero();
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from team_events where board_id = ?"
        + " and type = 'vaccination.dose.recorded'", patient)).as("each dose logged once").isEqualTo(2);
    assertThat(refusedAt(mm)).as("the nurse's node refused nothing of the history").isZero();
  }

  @Test
  @Order(2)
  void the_history_logged_again_changes_nothing_on_her_node() {
    // Her node's invitation mail for the meeting, sent now (the job looks every minute).
    mm.feature(jp.tsunagu.node.meetings.MeetingsFeature.class).reminders().sendDue(mm.vertx(), Instant.now())
        .toCompletionStage().toCompletableFuture().join();
    Map<String, Long> before = rows(mm);
    long acked = latestSeq();
    // As after a restore of the home node taken while the history was being written: the records are
    // listed again and their events logged a second time, under new numbers.
    ina.services().database().submitWrite(c -> {
      long posts;
      try (var s = c.prepareStatement("select coalesce(max(seq), 0) from posts where board_id = ?")) {
        s.setString(1, patient);
        try (var rs = s.executeQuery()) {
          rs.next();
          posts = rs.getLong(1);
        }
      }
      try (var s = c.prepareStatement("insert into board_sharing (board_id, done_post_seq) values (?, ?)")) {
        s.setString(1, patient);
        s.setLong(2, posts);
        s.executeUpdate();
      }
      TeamLogSql.listRecords(c, patient, List.of(new TeamLogSql.HistoryRecord(1, "vaccination.doses", corrected),
          new TeamLogSql.HistoryRecord(2, "vaccination.doses", second),
          new TeamLogSql.HistoryRecord(3, "meetings.scheduled", meeting)));
      return null;
    }).join();
    eventually("the history is logged again", () -> CrossNodeTestbed.count(ina,
        "select count(*) from board_sharing where board_id = ?", patient) == 0);
    long latest = latestSeq();
    assertThat(latest).as("dose, correction, reaction, dose, meeting").isEqualTo(acked + 5);
    eventually("the nurse's node has taken every event", () -> CrossNodeTestbed.count(ina,
        "select count(*) from sync_acks where board_id = ? and peer = 'minamiminowa' and acked_seq >= " + latest,
        patient) == 1);
    assertThat(rows(mm)).isEqualTo(before);
    assertThat(dose(mmNurse, corrected).getInteger("version")).isEqualTo(2);
    assertThat(refusedAt(mm)).isZero();
  }

  @Test
  @Order(3)
  void a_partner_cannot_use_the_history_s_records_to_write_at_the_home_node() throws Exception {
    JsonObject held = dose(inaDoctor, corrected);
    JsonObject fields = CrossNodeVaccinationTest.dose("influenza", 1, Instant.parse(held.getString("givenAt")))
        .put("id", corrected).put("patientId", patient).put("lotNumber", "EVIL01");
    JsonObject author = HostilePartnerTest.profile("mm-nurse@minamiminowa", "南箕");
    Map<String, Event> twists = new LinkedHashMap<>();
    twists.put("sync.object_exists", event("vaccination.dose.recorded", List.of(patient, corrected), new JsonObject()
        .put("author", author).put("dose", fields).put("vaccineName", "インフルエンザ")
        .put("noticeId", held.getString("noticeId")).put("recordedAt", Instant.now().toString())));
    twists.put("sync.type_not_allowed", event("vaccination.dose.corrected", List.of(patient, corrected),
        new JsonObject().put("author", author).put("dose", fields).put("version", 3)
            .put("correctedAt", Instant.now().toString())));
    twists.put("sync.type_not_allowed ", event("meetings.meeting.published", List.of(patient, meeting),
        new JsonObject().put("author", author).put("meeting", new JsonObject().put("id", meeting))));
    Map<String, Long> before = rows(ina);
    for (Map.Entry<String, Event> twist : twists.entrySet()) {
      FederationClient.Reply reply = submit(twist.getValue());
      assertThat(reply.status()).as(twist.getKey()).isGreaterThanOrEqualTo(400);
      assertThat(ErrorResponse.parse(reply.body().toString()).code()).as(twist.getKey())
          .isEqualTo(twist.getKey().strip());
    }
    assertThat(rows(ina)).isEqualTo(before);
    assertThat(dose(inaDoctor, corrected).getString("lotNumber")).isEqualTo("FK9999");
  }

  @Test
  @Order(4)
  void a_board_shared_before_its_records_went_along_gets_them_sent_once_at_start_and_never_again() {
    String old = inaDoctor.post("/api/v1/patients", CrossNodeTestbed.patient("征矢", "202096")).json().getString("id");
    CrossNodeTestbed.join(inaDoctor, mmNurse, "mm-nurse@minamiminowa", old);
    eventually("the board's first sharing is done", () -> CrossNodeTestbed.count(ina,
        "select count(*) from board_histories_sent where board_id = ?", old) == 1);
    // As a board shared before the doses and meetings went along: records of the board the nurse's node
    // never received (made on another patient, moved here), and no mark that its records were sent.
    String scratch = inaDoctor.post("/api/v1/patients", CrossNodeTestbed.patient("小松", "202096")).json()
        .getString("id");
    String dose = created(inaDoctor.post("/api/v1/patients/" + scratch + "/vaccinations",
        CrossNodeVaccinationTest.dose("zoster", 1, Instant.now().minus(Duration.ofDays(30)))));
    LocalDateTime start = LocalDateTime.now(ZoneId.of("Asia/Tokyo")).plusDays(5).withSecond(0).withNano(0);
    String oldMeeting = created(inaDoctor.post("/api/v1/meetings", new JsonObject().put("boardId", scratch)
        .put("kind", "service_meeting").put("title", "以前からの担当者会議").put("date", start.toLocalDate().toString())
        .put("time", start.toLocalTime().toString().substring(0, 5)).put("durationMinutes", 30).put("online", true)
        .put("videoProvider", "jitsi").put("place", "").put("agenda", "").put("participants", new JsonArray())));
    ina.services().database().submitWrite(c -> {
      for (String sql : List.of("update vaccination_doses set patient_id = ?1 where id = ?2",
          "update vaccination_dose_versions set data = json_set(data, '$.patientId', ?1) where dose_id = ?2",
          "update meetings set board_id = ?1 where id = ?3", "delete from board_histories_sent where board_id = ?1")) {
        try (var s = c.prepareStatement(sql)) {
          s.setString(1, old);
          if (sql.contains("?2")) {
            s.setString(2, dose);
          }
          if (sql.contains("?3")) {
            s.setString(3, oldMeeting);
          }
          s.executeUpdate();
        }
      }
      return null;
    }).join();
    assertThat(CrossNodeTestbed.count(mm, "select count(*) from meetings where id = ?", oldMeeting)).isZero();
    String historyEvents = "select count(*) from team_events where board_id = ? and type in"
        + " ('vaccination.dose.recorded', 'meetings.meeting.published')";
    long firstBoard = CrossNodeTestbed.count(ina, historyEvents, patient);

    restartIna();
    eventually("the meeting reaches the nurse's node", () -> CrossNodeTestbed.count(mm,
        "select count(*) from meetings where id = ?", oldMeeting) == 1);
    eventually("the dose reaches the nurse's node", () -> CrossNodeTestbed.count(mm,
        "select count(*) from vaccination_doses where id = ?", dose) == 1);
    eventually("the pass is done at ina", () -> CrossNodeTestbed.count(ina,
        "select count(*) from board_histories_sent where board_id = ?", old) == 1);
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from board_sharing where board_id = ?", old)).isZero();
    assertThat(CrossNodeTestbed.count(ina, historyEvents, old)).isEqualTo(2);
    assertThat(CrossNodeTestbed.count(ina, historyEvents, patient))
        .as("a board whose records went with its first sharing is not sent again").isEqualTo(firstBoard);
    long logged = CrossNodeTestbed.count(ina, "select count(*) from team_events where board_id <> ?", "");

    restartIna();
    CareClient.Reply note = inaDoctor.post("/api/v1/patients/" + old + "/posts", CrossNodeTestbed.note("再起動後の連絡"));
    assertThat(note.status()).as(note.body()).isEqualTo(201);
    eventually("the note reaches the nurse's node", () -> CrossNodeTestbed.bodies(mmNurse, old)
        .contains("再起動後の連絡"));
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from team_events where board_id <> ?", ""))
        .as("the second start sent nothing but the note").isEqualTo(logged + 1);
    assertThat(refusedAt(mm)).isZero();
  }

  private void restartIna() {
    bed.stopNode("ina");
    ina = bed.startNode("ina");
    inaDoctor = bed.login("ina", "ina-doctor", "ina-doctor");
  }

  // ----- helpers --------------------------------------------------------------------------------

  private List<JsonObject> doses(CareClient client) {
    CareClient.Reply reply = client.get("/api/v1/patients/" + patient + "/vaccinations");
    return reply.status() != 200 ? List.of() : reply.json().getJsonArray("doses").stream()
        .map(JsonObject.class::cast).toList();
  }

  private JsonObject dose(CareClient client, String id) {
    return doses(client).stream().filter(d -> d.getString("id").equals(id)).findFirst().orElseThrow();
  }

  private long latestSeq() {
    return CrossNodeTestbed.count(ina, "select coalesce(max(seq), 0) from team_events where board_id = ?", patient);
  }

  private long refusedAt(TsunaguNode node) {
    return CrossNodeTestbed.count(node, "select count(*) from replica_skipped_events where board_id = ?", patient)
        + CrossNodeTestbed.count(node, "select count(*) from refused_events where board_id = ?", patient);
  }

  private static String text(TsunaguNode node, String sql, String param) {
    return node.services().database().submitRead(c -> {
      try (var s = c.prepareStatement(sql)) {
        s.setString(1, param);
        try (var rs = s.executeQuery()) {
          return rs.next() ? rs.getString(1) : null;
        }
      }
    }).join();
  }

  private static Event event(String type, List<String> targets, JsonObject data) {
    return new Event(UUID.randomUUID().toString(), type, "minamiminowa", "ina", targets, Instant.now(),
        Json.parseObject(data.encode()));
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

  /** What must stay as it was: the dose, meeting and post tables and what is queued to mail. */
  private static Map<String, Long> rows(TsunaguNode node) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : List.of("vaccination_doses", "vaccination_dose_versions", "vaccination_reactions",
        "vaccination_vaccines", "posts", "meetings", "meeting_participants", "meeting_documents",
        "meeting_mail_queue", "users")) {
      counts.put(table, node.services().database().submitRead(c -> {
        try (var s = c.createStatement(); var rs = s.executeQuery("select count(*) from " + table)) {
          rs.next();
          return rs.getLong(1);
        }
      }).join());
    }
    return counts;
  }
}
