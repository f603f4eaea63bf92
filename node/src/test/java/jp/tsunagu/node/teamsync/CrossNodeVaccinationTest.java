package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
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
import java.util.Optional;
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
 * Vaccination across a wide-area team: ina (伊那市) is the home node of a patient whose team takes in
 * minamiminowa's visiting nurse. A dose recorded at ina reaches the nurse's node (the dose for her
 * 予防接種 tab and icons, the notice on her timeline); the nurse's dose travels to ina as team event
 * {@code vaccination.dose.recorded}, is checked and stored there, noticed on ina's timeline and counted
 * in ina's report. A partner twisting the event is refused with a stable code and changes nothing at ina.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossNodeVaccinationTest {

  static final String TYPE = "vaccination.dose.recorded";

  @TempDir
  static Path dir;
  @AutoClose
  CrossNodeTestbed bed;
  TsunaguNode ina;
  TsunaguNode mm;
  CareClient inaDoctor;
  CareClient mmNurse;
  /** Homed at ina, minamiminowa's nurse in the team. */
  String shared;
  /** Homed at ina, nobody of another node in the team. */
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
    shared = CrossNodeTestbed.sharedPatient(inaDoctor, mmNurse, "mm-nurse@minamiminowa", "唐木");
    localOnly = inaDoctor.post("/api/v1/patients", CrossNodeTestbed.patient("春日", "202096")).json().getString("id");
    partners = mmNurse.post("/api/v1/patients", CrossNodeTestbed.patient("有賀", "203858")).json().getString("id");
    CrossNodeTestbed.join(mmNurse, inaDoctor, "ina-doctor@ina", partners);
  }

  static JsonObject dose(String vaccine, int number, Instant given) {
    return new JsonObject().put("vaccine", vaccine).put("doseNumber", number).put("givenAt", given.toString())
        .put("place", "home").put("manufacturer", "第一三共").put("lotNumber", "FK1234").put("vaccinator", "伊那 医師")
        .put("ticketNumber", "2020961234")
        .put("screening", new JsonObject().put("temperature", 36.5).put("answers", new JsonObject()
            .put("unwell", false).put("acuteIllness", false).put("anaphylaxis", false).put("recentVaccine", false)
            .put("anticoagulant", false)))
        .put("observation", new JsonObject().put("minutes", 15).put("startedAt", given.toString())
            .put("endedAt", given.plus(Duration.ofMinutes(15)).toString()).put("observer", "南箕 花子"))
        .put("ticketPhotos", new JsonArray()).put("screeningPhotos", new JsonArray());
  }

  @Test
  @Order(1)
  void a_dose_recorded_at_the_home_node_reaches_the_partners_copy_with_its_notice() {
    CareClient.Reply recorded = inaDoctor.post("/api/v1/patients/" + shared + "/vaccinations",
        dose("influenza", 1, Instant.now().minus(Duration.ofDays(10))));
    assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
    eventually("the dose reaches the nurse's node", () -> mmNurse.get("/api/v1/patients/" + shared + "/vaccinations")
        .json().getJsonArray("doses").size() == 1);
    assertThat(CrossNodeTestbed.bodies(mmNurse, shared)).anyMatch(b -> b.startsWith("【予防接種】インフルエンザ 1回目（訪問）"));
    JsonObject statuses = mmNurse.get("/api/v1/vaccination/statuses?patients=" + shared).json()
        .getJsonObject("patients");
    assertThat(statuses.getJsonArray(shared).stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("vaccine").equals("influenza")).findFirst().orElseThrow().getString("label"))
        .isEqualTo("接種済み 1回");
  }

  @Test
  @Order(2)
  void a_partner_members_dose_is_checked_and_stored_at_the_home_node_and_noticed_on_both_timelines() {
    CareClient.Reply submitted = mmNurse.post("/api/v1/patients/" + shared + "/vaccinations",
        dose("influenza", 2, Instant.now().minus(Duration.ofHours(2))));
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
    assertThat(submitted.json().getString("syncState")).isEqualTo("pending");
    eventually("the home node stores it", () -> CrossNodeTestbed.count(ina,
        "select count(*) from vaccination_doses where recorded_by = ?", "mm-nurse@minamiminowa") == 1);
    assertThat(CrossNodeTestbed.bodies(inaDoctor, shared)).anyMatch(b -> b.startsWith("【予防接種】インフルエンザ 2回目")
        && b.contains("南箕輪村 看護師 南箕"));
    assertThat(inaDoctor.get("/api/v1/patients/" + shared + "/vaccinations").json().getJsonArray("doses")).hasSize(2);
    eventually("the home node's sequenced event settles the nurse's outbox", () -> CrossNodeTestbed.count(mm,
        "select count(*) from sync_outbox where board_id = ? and state = 'pending'", shared) == 0);
    assertThat(CrossNodeTestbed.bodies(mmNurse, shared).stream().filter(b -> b.startsWith("【予防接種】インフルエンザ 2回目")))
        .hasSize(1);
    assertThat(CrossNodeTestbed.count(mm, "select count(*) from vaccination_doses where patient_id = ?", shared))
        .isEqualTo(2);
  }

  @Test
  @Order(3)
  void a_partner_twisting_the_dose_event_is_refused_with_a_stable_code_and_nothing_changes_at_home() throws Exception {
    Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
    Map<String, Event> twists = new LinkedHashMap<>();
    twists.put("sync.not_a_member", event(localOnly, "mm-nurse@minamiminowa", d -> d));
    twists.put("sync.board_unknown", event(partners, "mm-nurse@minamiminowa", d -> d));
    twists.put("sync.author_not_origin", event(shared, "ina-doctor@ina", d -> d));
    twists.put("sync.not_a_member ", event(shared, "someone@minamiminowa", d -> d));
    twists.put("vaccination.bad_lot_number", event(shared, "mm-nurse@minamiminowa", d -> d.put("lotNumber", "#1")));
    twists.put("vaccination.unknown_vaccine", event(shared, "mm-nurse@minamiminowa", d -> d.put("vaccine", "smallpox")));
    twists.put("vaccination.dose_out_of_order", event(shared, "mm-nurse@minamiminowa", d -> d.put("doseNumber", 5)));
    twists.put("vaccination.date_in_future", event(shared, "mm-nurse@minamiminowa",
        d -> d.put("givenAt", Instant.now().plus(Duration.ofDays(3)).toString())));
    twists.put("vaccination.date_before_birth", event(shared, "mm-nurse@minamiminowa", d -> d
        .put("givenAt", "1930-01-01T01:00:00Z").put("observation", d.getJsonObject("observation").copy()
            .put("startedAt", "1930-01-01T01:00:00Z").put("endedAt", "1930-01-01T01:15:00Z"))));
    twists.put("vaccination.observation_ended_before_start", event(shared, "mm-nurse@minamiminowa", d -> d
        .put("observation", d.getJsonObject("observation").copy().put("endedAt",
            hourAgo.minus(Duration.ofMinutes(5)).toString()))));
    twists.put("sync.event_malformed", event(shared, "mm-nurse@minamiminowa", d -> d.put("patientId", localOnly)));
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
  }

  @Test
  @Order(4)
  void a_correction_at_the_home_node_reaches_the_partners_copy_and_a_partner_may_not_send_one() throws Exception {
    JsonObject first = inaDoctor.get("/api/v1/patients/" + shared + "/vaccinations").json().getJsonArray("doses")
        .stream().map(JsonObject.class::cast).filter(d -> d.getInteger("doseNumber") == 1).findFirst().orElseThrow();
    CareClient.Reply corrected = inaDoctor.put("/api/v1/vaccinations/" + first.getString("id"),
        dose("influenza", 1, java.time.Instant.parse(first.getString("givenAt"))).put("lotNumber", "FK9999"));
    assertThat(corrected.status()).as(corrected.body()).isEqualTo(200);
    eventually("the correction reaches the nurse's node", () -> mmNurse.get("/api/v1/patients/" + shared
        + "/vaccinations").json().getJsonArray("doses").stream().map(JsonObject.class::cast)
        .anyMatch(d -> d.getString("lotNumber").equals("FK9999") && d.getInteger("version") == 2
            && d.getJsonArray("versions").size() == 2));
    assertThat(CrossNodeTestbed.bodies(mmNurse, shared)).anyMatch(b -> b.startsWith("【予防接種の記録を修正】"));

    Event correction = event(shared, "mm-nurse@minamiminowa", d -> d);
    Event twisted = new Event(correction.id(), "vaccination.dose.corrected", correction.origin(), correction.home(),
        correction.targets(), correction.issuedAt(), correction.data());
    Map<String, Long> before = rows();
    assertThat(code(submit(twisted))).isEqualTo("sync.type_not_allowed");
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  @Order(6)
  void an_adverse_reaction_added_at_either_node_reaches_the_other() {
    List<JsonObject> doses = inaDoctor.get("/api/v1/patients/" + shared + "/vaccinations").json()
        .getJsonArray("doses").stream().map(JsonObject.class::cast).toList();
    String first = doses.stream().filter(d -> d.getInteger("doseNumber") == 1).findFirst().orElseThrow().getString("id");
    String second = doses.stream().filter(d -> d.getInteger("doseNumber") == 2).findFirst().orElseThrow()
        .getString("id");
    CareClient.Reply atHome = inaDoctor.post("/api/v1/vaccinations/" + first + "/reactions",
        new JsonObject().put("kind", "none"));
    assertThat(atHome.status()).as(atHome.body()).isEqualTo(201);
    eventually("the home node's reaction reaches the nurse's node", () -> reactions(mmNurse, first).size() == 1);
    assertThat(reactions(mmNurse, first).getJsonObject(0).getString("kind")).isEqualTo("none");

    Instant onset = Instant.now().minus(Duration.ofMinutes(30));
    CareClient.Reply atPartner = mmNurse.post("/api/v1/vaccinations/" + second + "/reactions",
        new JsonObject().put("kind", "発熱").put("onsetAt", onset.toString()).put("outcome", "回復"));
    assertThat(atPartner.status()).as(atPartner.body()).isEqualTo(201);
    eventually("the nurse's reaction is checked and stored at the home node", () -> reactions(inaDoctor, second)
        .size() == 1);
    JsonObject stored = reactions(inaDoctor, second).getJsonObject(0);
    assertThat(stored.getString("kind")).isEqualTo("発熱");
    assertThat(stored.getString("outcome")).isEqualTo("回復");
    assertThat(stored.getString("id")).isEqualTo(atPartner.json().getString("id"));
    eventually("the home node's sequenced event settles the nurse's outbox", () -> CrossNodeTestbed.count(mm,
        "select count(*) from sync_outbox where board_id = ? and state = 'pending'", shared) == 0);
    assertThat(reactions(mmNurse, second)).hasSize(1);
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from audit_log where action = 'vaccination.reaction.recorded'"
        + " and outcome = 'success' and actor = ?", "mm-nurse@minamiminowa")).isEqualTo(1);
  }

  @Test
  @Order(7)
  void a_partner_twisting_the_reaction_event_is_refused_with_a_stable_code_and_nothing_changes_at_home()
      throws Exception {
    List<JsonObject> doses = inaDoctor.get("/api/v1/patients/" + shared + "/vaccinations").json()
        .getJsonArray("doses").stream().map(JsonObject.class::cast).toList();
    JsonObject dose = doses.get(0);
    String doseId = dose.getString("id");
    String otherBoardDose = inaDoctor.post("/api/v1/patients/" + localOnly + "/vaccinations",
        dose("influenza", 1, Instant.now().minus(Duration.ofDays(3)))).json().getString("id");
    String held = reactions(inaDoctor, doseId).getJsonObject(0).getString("id");
    Map<String, Event> twists = new LinkedHashMap<>();
    twists.put("sync.not_a_member", reaction(shared, "someone@minamiminowa", doseId, CareIds.next(), r -> r));
    twists.put("sync.author_not_origin", reaction(shared, "ina-doctor@ina", doseId, CareIds.next(), r -> r));
    twists.put("sync.object_not_on_board", reaction(shared, "mm-nurse@minamiminowa", otherBoardDose, CareIds.next(),
        r -> r));
    twists.put("sync.object_not_on_board ", reaction(shared, "mm-nurse@minamiminowa", CareIds.next(), CareIds.next(),
        r -> r));
    twists.put("sync.object_exists", reaction(shared, "mm-nurse@minamiminowa", doseId, held, r -> r));
    twists.put("vaccination.reaction_before_dose", reaction(shared, "mm-nurse@minamiminowa", doseId, CareIds.next(),
        r -> r.put("onsetAt", Instant.parse(dose.getString("givenAt")).minus(Duration.ofDays(1)).toString())));
    twists.put("vaccination.reaction_incomplete", reaction(shared, "mm-nurse@minamiminowa", doseId, CareIds.next(),
        r -> r.put("outcome", "")));
    twists.put("validation.required", reaction(shared, "mm-nurse@minamiminowa", doseId, CareIds.next(),
        r -> r.put("kind", "")));
    twists.put("sync.event_malformed", reaction(shared, "mm-nurse@minamiminowa", doseId, CareIds.next(),
        r -> r.put("recordedAt", "yesterday")));
    Map<String, Long> before = rows();
    for (Map.Entry<String, Event> twist : twists.entrySet()) {
      FederationClient.Reply reply = submit(twist.getValue());
      assertThat(reply.status()).as(twist.getKey()).isGreaterThanOrEqualTo(400);
      assertThat(code(reply)).as(twist.getKey()).isEqualTo(twist.getKey().strip());
    }
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  @Order(8)
  void a_dose_of_a_vaccine_on_the_partners_list_only_is_kept_at_home_under_the_partners_name() {
    AccountSeeder.Created created = new AccountSeeder(mm.services()).createUser(new AccountSeeder.Person("mm-gyosei",
        "mm-gyosei@example.jp", "南箕", "輪子", "ミナミミノ", "ワコ", "municipal_staff", Role.MUNICIPAL_STAFF,
        Optional.empty()), CrossNodeTestbed.PASSWORD, "windows");
    CareClient mmStaff = new CareClient(mm, created.userId());
    mmStaff.login("mm-gyosei", CrossNodeTestbed.PASSWORD);
    java.net.http.HttpResponse<String> added = mmStaff.postWith("/api/v1/vaccination/vaccines",
        new JsonObject().put("name", "RSウイルス").encode().getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "application/json", Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    String rsv = new JsonObject(added.body()).getString("code");

    CareClient.Reply given = mmNurse.post("/api/v1/patients/" + shared + "/vaccinations",
        dose(rsv, 1, Instant.now().minus(Duration.ofMinutes(90))));
    assertThat(given.status()).as(given.body()).isEqualTo(201);
    String doseId = given.json().getString("id");
    eventually("the home node keeps the dose", () -> CrossNodeTestbed.count(ina,
        "select count(*) from vaccination_doses where id = ?", doseId) == 1);
    JsonObject atHome = inaDoctor.get("/api/v1/patients/" + shared + "/vaccinations").json().getJsonArray("doses")
        .stream().map(JsonObject.class::cast).filter(d -> d.getString("id").equals(doseId)).findFirst().orElseThrow();
    assertThat(atHome.getString("vaccineName")).isEqualTo("RSウイルス");
    JsonObject statuses = inaDoctor.get("/api/v1/vaccination/statuses?patients=" + shared).json()
        .getJsonObject("patients");
    assertThat(statuses.getJsonArray(shared).stream().map(JsonObject.class::cast)
        .filter(v -> v.getString("vaccine").equals(rsv)).findFirst().orElseThrow().getString("label"))
        .isEqualTo("接種済み 1回");
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from vaccination_vaccines where code = ?"
        + " and defined_by = 'minamiminowa'", rsv)).isEqualTo(1);
    assertThat(inaDoctor.get("/api/v1/vaccination/vaccines").json().getJsonArray("vaccines").stream()
        .map(JsonObject.class::cast).map(v -> v.getString("code"))).as("not offered to ina's own staff")
        .doesNotContain(rsv);
    CareClient.Reply own = inaDoctor.post("/api/v1/patients/" + localOnly + "/vaccinations",
        dose(rsv, 1, Instant.now().minus(Duration.ofMinutes(30))));
    assertThat(own.status()).isEqualTo(400);
    assertThat(own.code()).isEqualTo("vaccination.unknown_vaccine");
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from audit_log where action ="
        + " 'vaccination.vaccine.partner_defined' and target = ?", "vaccination:vaccine:" + rsv)).isEqualTo(1);

    eventually("the nurse's outbox is settled", () -> CrossNodeTestbed.count(mm,
        "select count(*) from sync_outbox where board_id = ? and state = 'pending'", shared) == 0);
    assertThat(CrossNodeTestbed.count(mm, "select count(*) from vaccination_doses where id = ?", doseId)).isEqualTo(1);
    assertThat(mmNurse.get("/api/v1/vaccination/vaccines").json().getJsonArray("vaccines").stream()
        .map(JsonObject.class::cast).map(v -> v.getString("code"))).as("still on the partner's own list").contains(rsv);
    assertThat(CrossNodeTestbed.count(mm, "select count(*) from refused_events where board_id = ?", shared)).isZero();
  }

  /** The reactions a member's node shows for a dose of the shared patient. */
  private JsonArray reactions(CareClient client, String doseId) {
    return client.get("/api/v1/patients/" + shared + "/vaccinations")
        .json().getJsonArray("doses").stream().map(JsonObject.class::cast).filter(d -> d.getString("id").equals(doseId))
        .findFirst().map(d -> d.getJsonArray("reactions")).orElse(new JsonArray());
  }

  @Test
  @Order(5)
  void the_report_to_gyosei_counts_only_the_patients_registered_on_its_own_node() {
    CareClient.Reply recorded = inaDoctor.post("/api/v1/patients/" + partners + "/vaccinations",
        dose("covid19", 1, Instant.now().minus(Duration.ofHours(3))));
    assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
    eventually("the dose reaches the partner patient's home node", () -> CrossNodeTestbed.count(mm,
        "select count(*) from vaccination_doses where patient_id = ?", partners) == 1);
    AccountSeeder.Created created = new AccountSeeder(ina.services()).createUser(new AccountSeeder.Person("ina-gyosei",
        "ina-gyosei@example.jp", "山田", "花子", "ヤマダ", "ハナコ", "municipal_staff", Role.MUNICIPAL_STAFF,
        Optional.empty()), CrossNodeTestbed.PASSWORD, "windows");
    CareClient staff = new CareClient(ina, created.userId());
    staff.login("ina-gyosei", CrossNodeTestbed.PASSWORD);
    String today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Tokyo")).toString();
    String period = "?from=" + java.time.LocalDate.now().minusDays(30) + "&to=" + today;
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from vaccination_doses where patient_id = ?", partners))
        .isEqualTo(1); // ina holds the dose on its copy of the partner's patient ...
    JsonObject counts = staff.get("/api/v1/vaccination/report" + period).json().getJsonObject("counts");
    assertThat(counts.getInteger("total")).isEqualTo(2); // ... but counts only its own patient's two doses
    assertThat(counts.getJsonArray("byVaccine").stream().map(JsonObject.class::cast).map(c -> c.getString("key")))
        .containsExactly("influenza");
  }

  // ----- the hostile partner's own signed submissions --------------------------------------------

  private static Event event(String board, String author, UnaryOperator<JsonObject> twist) {
    String doseId = CareIds.next();
    JsonObject dose = twist.apply(dose("influenza", 3, Instant.now().minus(Duration.ofHours(1)))
        .put("id", doseId).put("patientId", board));
    JsonObject data = new JsonObject().put("author", HostilePartnerTest.profile(author, "南箕")).put("dose", dose)
        .put("noticeId", CareIds.next()).put("recordedAt", Instant.now().toString());
    return new Event(UUID.randomUUID().toString(), TYPE, "minamiminowa", "ina", List.of(board, doseId),
        Instant.now(), Json.parseObject(data.encode()));
  }

  private static Event reaction(String board, String author, String doseId, String reactionId,
      UnaryOperator<JsonObject> twist) {
    JsonObject reaction = twist.apply(new JsonObject().put("id", reactionId).put("doseId", doseId).put("kind", "発熱")
        .put("onsetAt", Instant.now().minus(Duration.ofMinutes(10)).toString()).put("outcome", "回復")
        .put("recordedAt", Instant.now().toString()));
    JsonObject data = new JsonObject().put("author", HostilePartnerTest.profile(author, "南箕")).put("reaction", reaction);
    return new Event(UUID.randomUUID().toString(), "vaccination.reaction.recorded", "minamiminowa", "ina",
        List.of(board, reactionId, doseId), Instant.now(), Json.parseObject(data.encode()));
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
    for (String table : List.of("vaccination_doses", "vaccination_dose_versions", "vaccination_reactions", "posts",
        "team_events",
        "board_members", "users")) {
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
