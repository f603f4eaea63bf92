package jp.tsunagu.node.sensors;

import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.envelope.VerifiedEvent;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.federation.DemoAgreement;
import jp.tsunagu.node.federation.FederationClient;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A home node turned hostile: 伊那市's node, whose resident's care manager works in 南箕輪村, pushes the
 * partner twisted sensor status summaries (team event {@value StatusSummaries#TYPE}) for the board the
 * partner holds a copy of, through the real team sync over mutual TLS, each signed with ina's own key and
 * countersigned as the board's home. The partner refuses each with its code (the summary's own check,
 * and team sync's checks of the author and of the board), and stores nothing: no summary for the
 * センサー tab, no mail queued for its care managers, no team event, no audit entry of a received
 * summary. A well-formed summary sent last over the same path is kept: the refusals are the twists'.
 */
class HostileHomeSummaryTest {

  static final String PASSWORD = "Kamiina-mimamori-2026!";
  static final List<String> PARTNER_TABLES = List.of("sensor_partner_status", "sensor_partner_mails", "team_events",
      "posts", "board_members", "patients");

  @TempDir
  static Path dir;
  static TsunaguNode ina;
  static TsunaguNode mm;
  static CareClient inaNurse;
  static CareClient mmCareManager;
  /** Homed at ina, minamiminowa's care manager in the team: minamiminowa holds a copy. */
  static String shared;
  /** Homed at ina, nobody of minamiminowa in the team. */
  static String inaOnly;
  /** Homed at minamiminowa, ina's nurse in the team. */
  static String homedAtPartner;

  @BeforeAll
  static void start() {
    ina = node("ina");
    mm = node("minamiminowa");
    // The real home node's timer must not send summaries of its own between the pushes below.
    ina.feature(SensorsFeature.class).stopTimer();
    DemoAgreement.establish(List.of(TestNodes.federation(ina), TestNodes.federation(mm)), "kamiina",
        "上伊那地域在宅医療・介護連携に関する広域連携協定");
    inaNurse = person(ina, "ina-kango", "nurse", "伊那訪問看護ステーション");
    mmCareManager = person(mm, "mm-caremane", "care_manager", "みなみみのわ居宅介護支援事業所");
    shared = patient(ina, inaNurse, "唐木", "トメ");
    join(inaNurse, mmCareManager, "mm-caremane@minamiminowa", shared);
    inaOnly = patient(ina, inaNurse, "春日", "八重");
    homedAtPartner = patient(mm, mmCareManager, "有賀", "キヨ");
    join(mmCareManager, inaNurse, "ina-kango@ina", homedAtPartner);
  }

  @AfterAll
  static void stop() {
    ina.close();
    mm.close();
  }

  @Test
  void every_twisted_summary_pushed_by_the_home_node_is_refused_on_the_partner_and_nothing_is_stored() {
    Map<String, Long> before = partnerRows();
    long receivedBefore = received();
    Map<String, UnaryOperator<JsonObject>> twists = StatusSummaryTwists.all();
    for (Map.Entry<String, UnaryOperator<JsonObject>> twist : twists.entrySet()) {
      Event event = summary(shared, twist.getValue().apply(valid("ina-kango@ina")));
      assertThat(push(shared, event)).as(twist.getKey()).containsExactly("rejected:sensors.status_malformed");
    }
    Map<String, Event> sync = new LinkedHashMap<>();
    sync.put("an author of another node", summary(shared, valid("mm-caremane@minamiminowa")));
    JsonObject hidden = valid("ina-kango@ina");
    hidden.getJsonObject("author").put("familyName", "伊\u202E那");
    sync.put("an author's name with a right-to-left override", summary(shared, hidden));
    Map<String, String> codes = Map.of("an author of another node", "sync.author_not_origin",
        "an author's name with a right-to-left override", "sync.text_invalid");
    sync.forEach((twist, event) -> assertThat(push(shared, event)).as(twist)
        .containsExactly("rejected:" + codes.get(twist)));
    assertThat(twists).hasSizeGreaterThanOrEqualTo(16);
    assertThat(partnerRows()).isEqualTo(before);
    assertThat(received()).isEqualTo(receivedBefore);
    assertThat(mmCareManager.get("/api/v1/sensors/patients/" + shared + "?range=7d").json().getBoolean("monitored"))
        .isNotEqualTo(Boolean.TRUE);

    // The same path takes a well-formed summary: what was refused above was the twists.
    assertThat(push(shared, summary(shared, valid("ina-kango@ina")))).containsExactly("accepted:null");
    assertThat(TestSql.count(mm, "select count(*) from sensor_partner_status where patient_id = ?", shared))
        .isEqualTo(1);
    assertThat(TestSql.count(mm, "select count(*) from sensor_partner_mails where patient_id = ?", shared))
        .isEqualTo(1);
  }

  @Test
  void a_summary_for_a_board_the_partner_has_no_copy_of_or_homes_itself_is_refused_and_nothing_is_stored() {
    Map<String, Long> before = partnerRows();
    assertThat(push(inaOnly, summary(inaOnly, valid("ina-kango@ina")))).as("a board not shared with the partner")
        .containsExactly("rejected:sync.board_not_shared");
    assertThat(push(homedAtPartner, summary(homedAtPartner, valid("ina-kango@ina"))))
        .as("a board homed at the partner").containsExactly("rejected:sync.not_home_node");
    assertThat(partnerRows()).isEqualTo(before);
  }

  // ----- the hostile home node's side ------------------------------------------------------------------

  private static JsonObject valid(String author) {
    return StatusSummaryTwists.valid(new JsonObject().put("id", author).put("familyName", "上伊那")
        .put("givenName", "花子").put("familyKana", "カミイナ").put("givenKana", "ハナコ").put("profession", "nurse")
        .put("facility", "伊那訪問看護ステーション"), Instant.now().toString());
  }

  private static Event summary(String board, JsonObject data) {
    return new Event(UUID.randomUUID().toString(), StatusSummaries.TYPE, "ina", "ina", List.of(board), Instant.now(),
        Json.parseObject(data.encode()));
  }

  /**
   * Pushes one event to minamiminowa as ina, the board's home: signed with ina's key, countersigned with
   * the next number of minamiminowa's copy. Answers "status:code".
   */
  private static List<String> push(String board, Event event) {
    NodeIdentity home = ina.services().keys().identity();
    String compact = EventEnvelope.sign(event, home);
    JsonArray envelopes = new JsonArray().add(EventEnvelope.countersign(new VerifiedEvent(event,
        home.signingKeyId(), compact), cursor(board) + 1, Instant.now(), home));
    FederationClient client = FederationClient.of(ina.vertx(), TestNodes.federation(ina));
    try {
      FederationClient.Reply reply = client.call(mm.services().keys().identity().card(), HttpMethod.POST,
          String.format(FederationV1.BOARD_EVENTS, board), new JsonObject().put("events", envelopes).toBuffer(),
          "application/json").await(20, TimeUnit.SECONDS);
      assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
      return new JsonObject(reply.body()).getJsonArray("results").stream().map(JsonObject.class::cast)
          .map(r -> r.getString("status") + ":" + r.getString("code")).toList();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    } finally {
      client.close();
    }
  }

  /** How far minamiminowa's copy of a board has applied (a pushed event must be one past it). */
  private static long cursor(String board) {
    return TestSql.count(mm, "select max(coalesce((select max(seq) from team_events where board_id = ?1), 0),"
        + " coalesce((select max(seq) from replica_skipped_events where board_id = ?1), 0))", board);
  }

  private static Map<String, Long> partnerRows() {
    Map<String, Long> counts = new LinkedHashMap<>();
    PARTNER_TABLES.forEach(table -> counts.put(table, TestSql.count(mm, "select count(*) from " + table)));
    return counts;
  }

  private static long received() {
    return TestSql.count(mm, "select count(*) from audit_log where action = 'sensors.status.received'");
  }

  // ----- two real nodes ------------------------------------------------------------------------------

  private static String patient(TsunaguNode node, CareClient professional, String family, String given) {
    CareClient.Reply created = professional.post("/api/v1/patients", CallCentreBed.patient(family, given)
        .put("municipalityCode", node.services().config().node().municipalities().get(0)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().getString("id");
  }

  /** {@code home} invites {@code remote} (of the other node) into the team; she accepts on her node. */
  private static void join(CareClient home, CareClient remote, String remoteId, String patientId) {
    CareClient.Reply invited = home.post("/api/v1/patients/" + patientId + "/team/invitations", new JsonObject()
        .put("userId", remoteId).put("teamRole", "ケアマネジャー"));
    assertThat(invited.status()).as(invited.body()).isEqualTo(201);
    eventually("the invitation reaches the other node", () -> remote.get("/api/v1/invitations").json()
        .getJsonArray("invitations").stream().map(JsonObject.class::cast)
        .anyMatch(i -> i.getString("boardId").equals(patientId)));
    remote.post("/api/v1/invitations/" + patientId + "/accept", new JsonObject());
    eventually("the home node sees her as an active member", () -> home.get("/api/v1/patients/" + patientId
        + "/team").json().getJsonArray("members").stream().map(JsonObject.class::cast)
        .anyMatch(m -> m.getString("userId").equals(remoteId) && m.getString("status").equals("active")));
    // Pushes below are numbered from the copy's cursor: the home's own events must have arrived first.
    eventually("the copy has caught up", () -> active(remote, patientId) == active(home, patientId));
  }

  private static long active(CareClient client, String patientId) {
    return client.get("/api/v1/patients/" + patientId + "/team").json().getJsonArray("members", new JsonArray())
        .stream().map(JsonObject.class::cast).filter(m -> "active".equals(m.getString("status"))).count();
  }

  private static TsunaguNode node(String name) {
    JsonObject json = TestNodes.json(name);
    json.getJsonObject("federation").put("port", freePort());
    return TsunaguNode.start(new ConfigLoader(n -> null).fromJson(json, dir.resolve(name)).asDemo());
  }

  private static CareClient person(TsunaguNode node, String loginId, String profession, String facility) {
    AccountSeeder seeder = new AccountSeeder(node.services());
    String facilityId = seeder.createFacility(facility, node.services().config().node().municipalities().get(0),
        "長野県", "home_nursing");
    String userId = seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@example.jp", "上伊那", "花子",
        "カミイナ", "ハナコ", profession, Role.PROFESSIONAL, Optional.of(facilityId)), PASSWORD, "windows").userId();
    CareClient client = new CareClient(node, userId);
    client.login(loginId, PASSWORD);
    return client;
  }


  private static void eventually(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still not true after 30 s: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
