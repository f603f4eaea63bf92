package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.wire.ErrorResponse;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.federation.FederationClient;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
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
 * 安否確認 across a wide-area team: ina (伊那市) is the home node of a patient in its 要援護者台帳, whose
 * team takes in minamiminowa's visiting nurse. A record made at ina reaches the nurse's timeline as a
 * team post; the nurse's record travels to ina as team event {@code disaster.safety.recorded}, is
 * recorded there, counted on ina's board per 地区 and noticed on both timelines. A partner twisting the
 * event is refused with a stable code and changes nothing at ina but the audit log and the refusals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossNodeSafetyTest {

  static final String TYPE = "disaster.safety.recorded";
  static final String HEADER = "氏名,ふりがな,生年月日,性別,住所,地区,電話,支援が必要な理由,避難支援者,避難支援者連絡先,"
      + "情報提供への同意,個別避難計画,避難先\n";

  @TempDir
  static Path dir;
  @AutoClose
  CrossNodeTestbed bed;
  TsunaguNode ina;
  TsunaguNode mm;
  CareClient inaDoctor;
  CareClient inaStaff;
  CareClient mmNurse;
  /** Homed at ina, in the register (confirmed), minamiminowa's nurse in the team. */
  String shared;
  /** Homed at ina, in the register (confirmed), nobody of another node in the team. */
  String localOnly;
  /** Homed at minamiminowa, ina's doctor in the team. */
  String partners;

  @BeforeAll
  void teams() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    ina = bed.node("ina");
    mm = bed.node("minamiminowa");
    inaDoctor = bed.inaDoctor();
    mmNurse = bed.mmNurse();
    AccountSeeder.Created staff = new AccountSeeder(ina.services()).createUser(new AccountSeeder.Person("ina-gyosei",
        "ina-gyosei@example.jp", "山田", "花子", "ヤマダ", "ハナコ", "municipal_staff", Role.MUNICIPAL_STAFF,
        Optional.empty()), CrossNodeTestbed.PASSWORD, "windows");
    inaStaff = new CareClient(ina, staff.userId());
    inaStaff.login("ina-gyosei", CrossNodeTestbed.PASSWORD);
    shared = CrossNodeTestbed.sharedPatient(inaDoctor, mmNurse, "mm-nurse@minamiminowa", "唐木");
    localOnly = inaDoctor.post("/api/v1/patients", CrossNodeTestbed.patient("春日", "202096")
        .put("familyKana", "カスガ")).json().getString("id");
    partners = mmNurse.post("/api/v1/patients", CrossNodeTestbed.patient("有賀", "203858")).json().getString("id");
    CrossNodeTestbed.join(mmNurse, inaDoctor, "ina-doctor@ina", partners);

    byte[] csv = (HEADER + "唐木 トメ,てすと とめ,1931/5/12,女,長野県伊那市荒井1-1,西箕輪,0265-00-0001,要介護3,,,有,無,\n"
        + "春日 トメ,かすが とめ,1931/5/12,女,長野県伊那市荒井1-2,西箕輪,0265-00-0002,独居,,,有,無,\n")
        .getBytes(StandardCharsets.UTF_8);
    CareClient.Reply uploaded = inaStaff.postBytes("/api/v1/disaster/register/imports", csv, "text/csv");
    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
    assertThat(inaStaff.post("/api/v1/disaster/register/imports/" + uploaded.json().getString("id") + "/confirm",
        new JsonObject()).status()).isEqualTo(200);
    inaStaff.get("/api/v1/disaster/register/matches").json().getJsonArray("matches").stream()
        .map(JsonObject.class::cast).forEach(m -> assertThat(inaStaff.post("/api/v1/disaster/register/matches/"
            + m.getString("id") + "/confirm", new JsonObject()).status()).isEqualTo(200));
    assertThat(inaStaff.post("/api/v1/disaster/declarations", new JsonObject().put("kind", "地震")
        .put("districts", new io.vertx.core.json.JsonArray())).status()).isEqualTo(201);
  }

  @Test
  @Order(1)
  void a_record_at_the_home_node_is_noticed_on_its_timeline_and_reaches_the_partners_copy_as_a_team_post() {
    CareClient.Reply recorded = inaStaff.post("/api/v1/disaster/safety-checks", new JsonObject()
        .put("patientId", shared).put("status", "shelter").put("shelter", "西箕輪小学校").put("note", ""));
    assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
    String notice = "安否確認: 避難所（西箕輪小学校）— 記録: 伊那市 行政職員 山田 花子";
    assertThat(CrossNodeTestbed.bodies(inaDoctor, shared)).anyMatch(b -> b.startsWith(notice));
    eventually("the notice reaches the nurse's node", () -> CrossNodeTestbed.bodies(mmNurse, shared).stream()
        .anyMatch(b -> b.startsWith(notice)));
  }

  @Test
  @Order(2)
  void a_partner_members_record_is_recorded_at_the_home_node_counted_on_its_board_and_noticed_on_both_timelines()
      throws Exception {
    java.util.concurrent.CompletableFuture<String> told = java.util.concurrent.CompletableFuture.supplyAsync(() ->
        inaStaff.stream("/api/v1/disaster/safety-board/live").body().filter(line -> line.startsWith("data:"))
            .findFirst().orElse(""));
    Thread.sleep(500); // the stream is open before the record is made
    CareClient.Reply submitted = mmNurse.post("/api/v1/disaster/safety-checks", new JsonObject()
        .put("patientId", shared).put("status", "injured").put("shelter", "").put("note", "右手に切り傷"));
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
    assertThat(submitted.json().getString("syncState")).isEqualTo("pending");
    String notice = "安否確認: 負傷 — 記録: 南箕輪村 看護師 南箕 花子";
    assertThat(CrossNodeTestbed.bodies(mmNurse, shared)).anyMatch(b -> b.startsWith(notice));

    eventually("the home node records it", () -> CrossNodeTestbed.count(ina,
        "select count(*) from disaster_safety_checks where recorded_by = ?", "mm-nurse@minamiminowa") == 1);
    assertThat(CrossNodeTestbed.bodies(inaDoctor, shared)).anyMatch(b -> b.startsWith(notice) && b.endsWith(
        "メモ: 右手に切り傷"));
    JsonObject nishiminowa = inaStaff.get("/api/v1/disaster/safety-board").json().getJsonArray("districts").stream()
        .map(JsonObject.class::cast).filter(d -> d.getString("district").equals("西箕輪")).findFirst().orElseThrow();
    assertThat(nishiminowa.getInteger("checked")).isEqualTo(1);
    assertThat(told.get(15, TimeUnit.SECONDS)).contains("西箕輪"); // the live board is told, naming only the 地区
    assertThat(nishiminowa.getJsonObject("statuses").getInteger("injured")).isEqualTo(1);
    eventually("the home node's sequenced event settles the nurse's outbox", () -> CrossNodeTestbed.count(mm,
        "select count(*) from sync_outbox where board_id = ? and state = 'pending'", shared) == 0);
    assertThat(CrossNodeTestbed.bodies(mmNurse, shared).stream().filter(b -> b.startsWith(notice))).hasSize(1);
    eventually("the nurse's notice, 送信待ち until then, shows as sent", () ->
        syncState(mmNurse, shared, notice).isEmpty());
  }

  @Test
  @Order(3)
  void a_partner_members_record_the_home_node_refuses_shows_as_refused_on_her_timeline_not_as_recorded() {
    // In the team, but not a person of ina's register: ina refuses with disaster.person_not_found.
    String unregistered = CrossNodeTestbed.sharedPatient(inaDoctor, mmNurse, "mm-nurse@minamiminowa", "平出");
    long checks = CrossNodeTestbed.count(ina, "select count(*) from disaster_safety_checks where recorded_by = ?",
        "mm-nurse@minamiminowa");
    CareClient.Reply submitted = mmNurse.post("/api/v1/disaster/safety-checks", new JsonObject()
        .put("patientId", unregistered).put("status", "safe").put("shelter", "").put("note", "自宅で無事"));
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
    String notice = "安否確認: 無事 — 記録: 南箕輪村 看護師 南箕 花子";
    // 送信待ち until the home answers; the refusal may already be back (the write goes from memory at once).
    assertThat(syncState(mmNurse, unregistered, notice)).hasValueSatisfying(state ->
        assertThat(state).isIn("pending", "rejected"));

    eventually("the home node's refusal settles the nurse's outbox", () -> CrossNodeTestbed.count(mm,
        "select count(*) from sync_outbox where board_id = ? and state = 'rejected' and code ="
            + " 'disaster.person_not_found'", unregistered) == 1);
    assertThat(syncState(mmNurse, unregistered, notice)).contains("rejected");
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from disaster_safety_checks where recorded_by = ?",
        "mm-nurse@minamiminowa")).isEqualTo(checks);
    assertThat(CrossNodeTestbed.bodies(inaDoctor, unregistered)).noneMatch(b -> b.startsWith(notice));
    // the accepted record of the registered patient stays as it was
    assertThat(syncState(mmNurse, shared, "安否確認: 負傷 — 記録: 南箕輪村 看護師 南箕 花子")).isEmpty();
  }

  @Test
  @Order(4)
  void a_partner_twisting_the_safety_event_is_refused_with_a_stable_code_and_nothing_changes_at_home()
      throws Exception {
    Map<String, Event> twists = new LinkedHashMap<>();
    twists.put("sync.not_a_member", event(localOnly, "mm-nurse@minamiminowa", data("safe")));
    twists.put("sync.board_unknown", event(partners, "mm-nurse@minamiminowa", data("safe")));
    twists.put("sync.author_not_origin", event(shared, "ina-doctor@ina", data("safe")));
    twists.put("disaster.invalid_safety_status", event(shared, "mm-nurse@minamiminowa", data("fine")));
    twists.put("disaster.shelter_required", event(shared, "mm-nurse@minamiminowa", data("shelter")));
    twists.put("sync.not_a_member ", event(shared, "someone@minamiminowa", data("safe")));
    Map<String, Long> before = rows();
    long refusedBefore = CrossNodeTestbed.count(ina, "select count(*) from refused_events where origin = ?",
        "minamiminowa");
    for (Map.Entry<String, Event> twist : twists.entrySet()) {
      FederationClient.Reply reply = submit(twist.getValue());
      assertThat(reply.status()).as(twist.getKey()).isGreaterThanOrEqualTo(400);
      assertThat(code(reply)).as(twist.getKey()).isEqualTo(twist.getKey().strip());
    }
    assertThat(rows()).isEqualTo(before);
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from refused_events where origin = ?", "minamiminowa"))
        .isEqualTo(refusedBefore + twists.size());

    // and no disaster declared on the home node: the well-formed event is refused the same way
    assertThat(inaStaff.post("/api/v1/disaster/declarations/current/end", new JsonObject()).status()).isEqualTo(200);
    Map<String, Long> undeclared = rows();
    FederationClient.Reply reply = submit(event(shared, "mm-nurse@minamiminowa", data("safe")));
    assertThat(code(reply)).isEqualTo("disaster.not_declared");
    assertThat(rows()).isEqualTo(undeclared);
  }

  @Test
  @Order(5)
  void a_partner_members_record_after_the_home_node_ended_the_disaster_shows_as_refused_the_earlier_stays_sent() {
    CareClient.Reply submitted = mmNurse.post("/api/v1/disaster/safety-checks", new JsonObject()
        .put("patientId", shared).put("status", "hospital").put("shelter", "").put("note", ""));
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
    eventually("the home node's refusal settles the nurse's outbox", () -> CrossNodeTestbed.count(mm,
        "select count(*) from sync_outbox where board_id = ? and state = 'rejected' and code = 'disaster.not_declared'",
        shared) == 1);
    assertThat(syncState(mmNurse, shared, "安否確認: 入院 — 記録: 南箕輪村 看護師 南箕 花子")).contains("rejected");
    assertThat(syncState(mmNurse, shared, "安否確認: 負傷 — 記録: 南箕輪村 看護師 南箕 花子")).isEmpty();
    assertThat(CrossNodeTestbed.bodies(inaDoctor, shared)).noneMatch(b -> b.startsWith("安否確認: 入院"));
  }

  /**
   * The sync state of the one post starting with the text on the client's timeline: empty when sent
   * (or sequenced), {@code pending}, or {@code rejected}.
   */
  private static Optional<String> syncState(CareClient client, String patientId, String start) {
    List<JsonObject> found = client.get("/api/v1/patients/" + patientId + "/posts").json().getJsonArray("posts")
        .stream().map(JsonObject.class::cast).filter(p -> p.getString("body").startsWith(start)).toList();
    assertThat(found).as("posts starting with " + start).hasSize(1);
    return Optional.ofNullable(found.get(0).getString("syncState"));
  }

  // ----- the hostile partner's own signed submissions --------------------------------------------

  private static JsonObject data(String status) {
    return new JsonObject().put("status", status).put("shelter", "").put("note", "")
        .put("recordedAt", Instant.now().toString()).put("noticeId", CareIds.next());
  }

  private static Event event(String board, String author, JsonObject data) {
    data.put("author", HostilePartnerTest.profile(author, "南箕"));
    return new Event(UUID.randomUUID().toString(), TYPE, "minamiminowa", "ina", List.of(board,
        data.getString("noticeId")), Instant.now(), Json.parseObject(data.encode()));
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

  private static String code(FederationClient.Reply reply) {
    return ErrorResponse.parse(reply.body().toString()).code();
  }

  /** What a refused event must leave as it was at the home node. */
  private Map<String, Long> rows() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : List.of("disaster_safety_checks", "posts", "team_events", "board_members", "users")) {
      counts.put(table, ina.services().database().submitRead(c -> {
        try (var s = c.createStatement(); var rs = s.executeQuery("select count(*) from " + table)) {
          rs.next();
          return rs.getLong(1);
        }
      }).join());
    }
    return counts;
  }
}
