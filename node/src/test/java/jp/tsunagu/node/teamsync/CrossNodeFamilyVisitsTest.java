package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.envelope.VerifiedEvent;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.wire.ErrorResponse;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.family.FamilyLogins;
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
 * 訪問予定 of a patient whose team spans two nodes: ina (伊那市) is the home node, its team takes in
 * minamiminowa's visiting nurse. The home team's visits reach the nurse's copy, those planned before
 * she joined too; she plans and cancels her own visits through the home node, where they show on the
 * team's tab and in the family's notebook; she cannot cancel someone else's. A hostile partner's
 * twisted visit events are each refused with a stable code and change nothing at home.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossNodeFamilyVisitsTest {

  private static final String PASSWORD = "takematsu-family-2026";

  @TempDir
  static Path dir;
  @AutoClose
  CrossNodeTestbed bed;
  TsunaguNode ina;
  TsunaguNode mm;
  CareClient inaDoctor;
  CareClient mmNurse;
  /** Homed at ina, a visit planned before minamiminowa's nurse joined. */
  String shared;
  /** Homed at ina, nobody of another node in the team. */
  String localOnly;
  String earlyVisit;
  String day;

  @BeforeAll
  void teams() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    ina = bed.node("ina");
    mm = bed.node("minamiminowa");
    inaDoctor = bed.inaDoctor();
    mmNurse = bed.mmNurse();
    day = LocalDate.now(ZoneId.of("Asia/Tokyo")).plusDays(7).toString();
    shared = inaDoctor.post("/api/v1/patients", CrossNodeTestbed.patient("竹松", "202096")).json().getString("id");
    earlyVisit = planned(inaDoctor, shared, "09:00", "10:00", "doctor").json().getString("id");
    CrossNodeTestbed.join(inaDoctor, mmNurse, "mm-nurse@minamiminowa", shared);
    localOnly = inaDoctor.post("/api/v1/patients", CrossNodeTestbed.patient("春日", "202096")).json().getString("id");
  }

  private CareClient.Reply planned(CareClient who, String patientId, String from, String to, String profession) {
    CareClient.Reply reply = who.post("/api/v1/patients/" + patientId + "/family/visits", new JsonObject()
        .put("date", day).put("from", from).put("to", to).put("profession", profession));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply;
  }

  private static List<String> visitIds(CareClient who, String patientId) {
    return who.get("/api/v1/patients/" + patientId + "/family/visits").json().getJsonArray("visits").stream()
        .map(JsonObject.class::cast).map(v -> v.getString("id")).toList();
  }

  private CareClient family() {
    CareClient.Reply invited = inaDoctor.post("/api/v1/patients/" + shared + "/family/invitations", new JsonObject()
        .put("email", "visits-" + UUID.randomUUID() + "@example.jp").put("name", "竹松 和子").put("relation", "子")
        .put("consentBy", "本人").put("consentAt", "2026-12-01"));
    assertThat(invited.status()).as(invited.body()).isEqualTo(201);
    CareClient phone = new CareClient(ina, "family").anonymous();
    JsonObject activated = phone.post("/api/v1/family/auth/activation", new JsonObject()
        .put("code", invited.json().getString("activationCode")).put("password", PASSWORD)).json();
    CareClient.Reply login = phone.post("/api/v1/family/auth/login", new JsonObject()
        .put("loginId", activated.getString("loginId")).put("password", PASSWORD)
        .put("code", FamilyLogins.code(activated.getString("totpSecret"), 0)));
    assertThat(login.status()).as(login.body()).isEqualTo(200);
    phone.useCsrf(login.json().getString("csrfToken"));
    return phone;
  }

  @Test
  @Order(1)
  void visits_planned_at_home_before_and_after_the_nurse_joined_reach_her_copy() {
    eventually("the visit planned before she joined reaches her copy", () ->
        visitIds(mmNurse, shared).contains(earlyVisit));
    String later = planned(inaDoctor, shared, "13:00", "14:00", "pharmacist").json().getString("id");
    eventually("the visit planned now reaches her copy", () -> visitIds(mmNurse, shared).contains(later));
    JsonObject copy = mmNurse.get("/api/v1/patients/" + shared + "/family/visits").json().getJsonArray("visits")
        .stream().map(JsonObject.class::cast).filter(v -> v.getString("id").equals(later)).findFirst().orElseThrow();
    assertThat(copy.getString("date")).isEqualTo(day);
    assertThat(copy.getString("professionLabel")).isEqualTo("薬剤師");
    assertThat(inaDoctor.delete("/api/v1/patients/" + shared + "/family/visits/" + later).status()).isEqualTo(204);
    eventually("the home team's cancellation reaches her copy", () -> !visitIds(mmNurse, shared).contains(later));
  }

  @Test
  @Order(2)
  void the_nurse_plans_and_cancels_her_own_visit_through_the_home_node_and_the_family_sees_it() {
    CareClient.Reply submitted = planned(mmNurse, shared, "15:00", "16:00", "visiting_nurse");
    assertThat(submitted.json().getString("syncState")).isEqualTo("pending");
    String hers = submitted.json().getString("id");
    eventually("the home node takes her visit", () -> visitIds(inaDoctor, shared).contains(hers));
    eventually("her visit comes back to her copy", () -> visitIds(mmNurse, shared).contains(hers));
    CareClient phone = family();
    assertThat(phone.get("/api/v1/family/notebook").json().getJsonArray("visits").stream()
        .map(JsonObject.class::cast).map(v -> v.getString("id")).toList()).contains(hers, earlyVisit);
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from audit_log where action = 'family.visit.planned'"
        + " and actor = 'mm-nurse@minamiminowa' and detail like ?", "%" + hers + "%")).isEqualTo(1);

    CareClient.Reply cancelled = mmNurse.delete("/api/v1/patients/" + shared + "/family/visits/" + hers);
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(202);
    eventually("the home node cancels her visit", () -> !visitIds(inaDoctor, shared).contains(hers));
    eventually("the cancellation comes back to her copy", () -> !visitIds(mmNurse, shared).contains(hers));
    assertThat(phone.get("/api/v1/family/notebook").json().getJsonArray("visits").stream()
        .map(JsonObject.class::cast).map(v -> v.getString("id")).toList()).doesNotContain(hers);
  }

  @Test
  @Order(3)
  void the_nurse_cannot_cancel_a_visit_someone_else_planned_and_nothing_changes() {
    long outbox = CrossNodeTestbed.count(mm, "select count(*) from sync_outbox where board_id = ?", shared);
    CareClient.Reply refused = mmNurse.delete("/api/v1/patients/" + shared + "/family/visits/" + earlyVisit);
    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    assertThat(refused.code()).isEqualTo("family.visit_not_own");
    assertThat(CrossNodeTestbed.count(mm, "select count(*) from sync_outbox where board_id = ?", shared))
        .isEqualTo(outbox);
    assertThat(visitIds(mmNurse, shared)).contains(earlyVisit);
    assertThat(visitIds(inaDoctor, shared)).contains(earlyVisit);
  }

  @Test
  @Order(4)
  void a_partner_twisting_the_visit_events_is_refused_with_a_stable_code_and_nothing_changes_at_home()
      throws Exception {
    String onlyHere = planned(inaDoctor, localOnly, "11:00", "12:00", "doctor").json().getString("id");
    String nurse = "mm-nurse@minamiminowa";
    Map<String, Event> twists = new LinkedHashMap<>();
    twists.put("sync.not_a_member", plan(localOnly, nurse, ok()).event());
    twists.put("sync.author_not_origin", plan(shared, "ina-doctor@ina", ok()).event());
    twists.put("family.visit_date_invalid", plan(shared, nurse, visit("2020-01-01", "10:00", "11:00", "nurse"))
        .event());
    twists.put("family.visit_date_invalid ", plan(shared, nurse, visit("来週", "10:00", "11:00", "nurse")).event());
    twists.put("family.visit_time_invalid", plan(shared, nurse, visit(day, "11:00", "10:00", "nurse")).event());
    twists.put("family.visit_profession_unknown", plan(shared, nurse, visit(day, "10:00", "11:00", "wizard"))
        .event());
    twists.put("sync.event_malformed", plan(shared, nurse, ok())
        .withData(d -> d.put("plannedAt", "yesterday")));
    twists.put("sync.object_exists", plan(shared, nurse, ok().put("id", earlyVisit)).event());
    twists.put("family.visit_not_own", cancel(shared, nurse, earlyVisit));
    twists.put("family.visit_not_found", cancel(shared, nurse, onlyHere));
    twists.put("family.visit_not_found ", cancel(shared, nurse, UUID.randomUUID().toString()));
    twists.put("sync.not_a_member ", cancel(localOnly, nurse, onlyHere));
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
    assertThat(visitIds(inaDoctor, shared)).contains(earlyVisit);
  }

  @Test
  @Order(5)
  void a_copy_that_never_had_the_visit_takes_its_cancellation_as_nothing() throws Exception {
    // The visit was planned and cancelled at home before its history reached the copy: the copy is sent
    // the cancellation of a visit it never held, which must be accepted (the feed goes on) and change nothing.
    String neverHeld = UUID.randomUUID().toString();
    Event cancellation = new Event(UUID.randomUUID().toString(), "family.visit.cancelled", "ina", "ina",
        List.of(shared, neverHeld), Instant.now(), Json.parseObject(new JsonObject()
            .put("author", HostilePartnerTest.profile("ina-doctor@ina", "伊那")).put("visitId", neverHeld)
            .put("cancelledAt", Instant.now().toString()).encode()));
    long visitsBefore = CrossNodeTestbed.count(mm, "select count(*) from family_visits where patient_id = ?", shared);
    long cancelledBefore = CrossNodeTestbed.count(mm, "select count(*) from family_visits where patient_id = ?"
        + " and cancelled_at is not null", shared);
    List<String> heldBefore = visitIds(mmNurse, shared);
    long cursor = CrossNodeTestbed.count(mm, "select max(coalesce((select max(seq) from team_events where board_id = ?1),"
        + " 0), coalesce((select max(seq) from replica_skipped_events where board_id = ?1), 0))", shared);
    var home = ina.services().keys().identity();
    String compact = EventEnvelope.sign(cancellation, home);
    String countersigned = EventEnvelope.countersign(new VerifiedEvent(cancellation, home.signingKeyId(), compact),
        cursor + 1, Instant.now(), home);
    FederationClient client = FederationClient.of(ina.vertx(), TestNodes.federation(ina));
    FederationClient.Reply reply;
    try {
      reply = client.call(mm.services().keys().identity().card(), HttpMethod.POST,
          String.format(FederationV1.BOARD_EVENTS, shared), new JsonObject().put("events",
              new JsonArray().add(countersigned)).toBuffer(), "application/json").await(20, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    JsonObject result = new JsonObject(reply.body()).getJsonArray("results").getJsonObject(0);
    assertThat(result.getString("status")).as(result.encode()).isEqualTo("accepted");
    assertThat(CrossNodeTestbed.count(mm, "select count(*) from team_events where board_id = ? and seq = "
        + (cursor + 1), shared)).isEqualTo(1);
    assertThat(CrossNodeTestbed.count(mm, "select count(*) from family_visits where patient_id = ?", shared))
        .isEqualTo(visitsBefore);
    assertThat(CrossNodeTestbed.count(mm, "select count(*) from family_visits where patient_id = ?"
        + " and cancelled_at is not null", shared))
        .isEqualTo(cancelledBefore);
    assertThat(CrossNodeTestbed.count(mm, "select count(*) from family_visits where id = ?", neverHeld)).isZero();
    assertThat(visitIds(mmNurse, shared)).containsExactlyInAnyOrderElementsOf(heldBefore);
  }

  // ----- the hostile partner's own signed submissions --------------------------------------------

  /** A well-formed visit of the nurse's, a week ahead. */
  private JsonObject ok() {
    return visit(day, "10:00", "11:00", "nurse");
  }

  private static JsonObject visit(String date, String from, String to, String profession) {
    return new JsonObject().put("id", UUID.randomUUID().toString()).put("date", date).put("from", from).put("to", to)
        .put("profession", profession);
  }

  /** A signed {@code family.visit.planned} for the board, as minamiminowa would make it. */
  private static Draft plan(String board, String author, JsonObject visit) {
    return new Draft("family.visit.planned", board, List.of(visit.getString("id")), new JsonObject()
        .put("author", HostilePartnerTest.profile(author, "南箕")).put("visit", visit)
        .put("plannedAt", Instant.now().toString()));
  }

  private static Event cancel(String board, String author, String visitId) {
    return new Draft("family.visit.cancelled", board, List.of(visitId), new JsonObject()
        .put("author", HostilePartnerTest.profile(author, "南箕")).put("visitId", visitId)
        .put("cancelledAt", Instant.now().toString())).event();
  }

  /** An event before it is made, so a twist can change its data. */
  private record Draft(String type, String board, List<String> named, JsonObject data) {
    Event withData(java.util.function.Consumer<JsonObject> change) {
      JsonObject changed = data.copy();
      change.accept(changed);
      return new Draft(type, board, named, changed).event();
    }

    Event event() {
      List<String> targets = new java.util.ArrayList<>(List.of(board));
      targets.addAll(named);
      return new Event(UUID.randomUUID().toString(), type, "minamiminowa", "ina", targets, Instant.now(),
          Json.parseObject(data.encode()));
    }
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
    for (String sql : List.of("select count(*) from family_visits", "select count(*) from family_visits"
        + " where cancelled_at is not null", "select count(*) from team_events", "select count(*) from users")) {
      counts.put(sql, ina.services().database().submitRead(c -> {
        try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
          rs.next();
          return rs.getLong(1);
        }
      }).join());
    }
    return counts;
  }
}
