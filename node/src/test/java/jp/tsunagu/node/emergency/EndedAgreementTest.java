package jp.tsunagu.node.emergency;

import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.agreement.WithdrawalStatement;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.wire.EmergencyRequest;
import jp.tsunagu.federation.wire.ErrorResponse;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.federation.AgreementDrafts;
import jp.tsunagu.node.federation.FederationClient;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.testing.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Emergency access from a partner whose emergency-access agreement has ended, between real nodes over
 * real mutual TLS: 南箕輪村 withdrew from its agreement with 伊那市 (伊那市 has not heard yet), 箕輪町's
 * agreement with 伊那市 expired. Both keep a care-team agreement with 伊那市, so the federation listener
 * still admits 伊那市 and the home node's own check answers: {@code federation.scope_not_granted}, the
 * same for a person who exists and one who does not, nothing opened or noticed, the refusal audited on
 * both nodes, and the crew told in Japanese why.
 */
class EndedAgreementTest {

  private static final String PASSWORD = "Kamiina-renkei-2025";
  private static final String TITLE = "上伊那地域救急情報連携に関する協定";

  @TempDir
  static Path dir;
  static TsunaguNode ina;
  static TsunaguNode minamiminowa;
  static TsunaguNode minowa;
  static WebSession crew;
  static String minamiPatient;
  static String minowaPatient;
  static AgreementDocument withdrawn;
  static Vertx vertx;

  @BeforeAll
  static void startNodes() throws Exception {
    ina = start("ina");
    minamiminowa = start("minamiminowa");
    minowa = start("minowa");
    vertx = Vertx.vertx();
    new AccountSeeder(ina.services()).createUser(new AccountSeeder.Person("ina-kyukyu01", "ina-kyukyu01@example.jp",
        "救急", "一郎", "キュウキュウ", "イチロウ", "ems_crew", Role.EMERGENCY_RESPONDER, Optional.empty()), PASSWORD,
        "windows");
    crew = WebSession.login(ina, "ina-kyukyu01", PASSWORD);
    minamiPatient = patient(minamiminowa, "mm-ishi", "203858", "星野", "ハナ", "ホシノ", "ハナ", "1938-04-02");
    minowaPatient = patient(minowa, "mw-ishi", "203831", "木下", "トメ", "キノシタ", "トメ", "1940-05-06");
    importInto(agreement("kamiina-care", List.of(ina, minamiminowa, minowa), Scopes.CARE_TEAM,
        Instant.now().plus(Duration.ofDays(30))), ina, minamiminowa, minowa);
    withdrawn = agreement("kamiina-emergency", List.of(ina, minamiminowa), Scopes.EMERGENCY_ACCESS,
        Instant.now().plus(Duration.ofDays(30)));
    importInto(withdrawn, ina, minamiminowa);
  }

  @AfterAll
  static void stopNodes() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    for (TsunaguNode node : List.of(ina, minamiminowa, minowa)) {
      node.close();
    }
  }

  @Test
  @DisplayName("after 南箕輪村 withdrew (伊那市 not yet told), a search and an access from 伊那市 are refused with"
      + " federation.scope_not_granted, the same for anyone, nothing opened, audited on both nodes, the crew told"
      + " in Japanese; once 伊那市 is told it no longer asks")
  void aWithdrawnPartyIsRefused() throws Exception {
    HttpResponse<String> before = crew.post("/api/v1/emergency/partner-searches", search("minamiminowa", "星野ハナ",
        "1938-04-02"));
    assertThat(new JsonObject(before.body()).getJsonArray("patients")).as(before.body()).hasSize(1);
    int accesses = count(minamiminowa, "emergency_accesses");
    int notices = notices(minamiminowa, minamiPatient);
    int refusals = refused(minamiminowa).size();
    int opens = audit(ina, "emergency.partner.access.open").size();

    String leave = Json.write(WithdrawalStatement.sign(withdrawn, identity(minamiminowa), Instant.now()).toJson());
    TestNodes.federation(minamiminowa).agreements().withdraw(leave).await(20, TimeUnit.SECONDS);

    HttpResponse<String> searched = crew.post("/api/v1/emergency/partner-searches", search("minamiminowa",
        "星野ハナ", "1938-04-02"));
    assertThat(searched.statusCode()).as(searched.body()).isEqualTo(200);
    assertThat(new JsonObject(searched.body()).getJsonArray("patients")).isEmpty();
    assertThat(new JsonObject(searched.body()).getJsonArray("unanswered").getJsonObject(0).getString("problem"))
        .isEqualTo("federation.scope_not_granted");
    HttpResponse<String> existing = crew.post("/api/v1/emergency/partner-accesses", open("minamiminowa", minamiPatient));
    HttpResponse<String> missing = crew.post("/api/v1/emergency/partner-accesses", open("minamiminowa", "no-such-id"));
    assertThat(existing.statusCode()).as(existing.body()).isEqualTo(403);
    JsonObject refusal = new JsonObject(existing.body());
    assertThat(refusal.getString("code")).isEqualTo("federation.scope_not_granted");
    assertThat(refusal.getString("message")).startsWith("南箕輪村との救急情報連携の協定").contains("電話で確認");
    assertThat(refusal.fieldNames()).containsOnly("code", "message", "requestId");
    assertThat(sameAnswer(existing, missing)).isTrue();

    assertThat(count(minamiminowa, "emergency_accesses")).isEqualTo(accesses);
    assertThat(notices(minamiminowa, minamiPatient)).isEqualTo(notices);
    List<JsonObject> atHome = refused(minamiminowa);
    assertThat(atHome).hasSize(refusals + 3);
    assertThat(atHome.subList(refusals, atHome.size())).allSatisfy(row -> {
      assertThat(row.getString("actor")).isEqualTo("node:ina");
      assertThat(row.getJsonObject("detail").getString("reason")).isEqualTo("federation.scope_not_granted");
    });
    List<JsonObject> atIna = audit(ina, "emergency.partner.access.open");
    assertThat(atIna.subList(opens, atIna.size())).extracting(row -> row.getString("outcome"))
        .containsExactly("refused", "refused");

    TestNodes.federation(ina).agreements().withdraw(leave).await(20, TimeUnit.SECONDS);
    HttpResponse<String> told = crew.post("/api/v1/emergency/partner-accesses", open("minamiminowa", minamiPatient));
    assertThat(told.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(told.body()).getString("code")).isEqualTo("emergency.partner_not_allowed");
    assertThat(new JsonObject(told.body()).getString("message")).contains("協定");
    assertThat(refused(minamiminowa)).as("伊那市 no longer asks").hasSize(refusals + 3);
  }

  @Test
  @DisplayName("after the agreement with 箕輪町 expired, 伊那市 no longer asks, and a request signed by 伊那市 anyway"
      + " is refused by 箕輪町 with federation.scope_not_granted, nothing opened, audited")
  void anExpiredAgreementIsRefused() throws Exception {
    Instant end = Instant.now().plusSeconds(3);
    importInto(agreement("kamiina-emergency-short", List.of(ina, minowa), Scopes.EMERGENCY_ACCESS, end), ina,
        minowa);
    HttpResponse<String> during = crew.post("/api/v1/emergency/partner-searches", search("minowa", "木下トメ",
        "1940-05-06"));
    assertThat(new JsonObject(during.body()).getJsonArray("patients")).as(during.body()).hasSize(1);
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), end).toMillis()) + 300);
    int accesses = count(minowa, "emergency_accesses");
    int refusals = refused(minowa).size();

    HttpResponse<String> after = crew.post("/api/v1/emergency/partner-accesses", open("minowa", minowaPatient));
    assertThat(after.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(after.body()).getString("code")).isEqualTo("emergency.partner_not_allowed");
    assertThat(refused(minowa)).hasSize(refusals);

    EmergencyRequest request = new EmergencyRequest(UUID.randomUUID().toString(), "ina",
        new FederatedId("ina-kyukyu01", "ina"), EmergencyRequest.RESPONDER_ROLE, "救急 一郎", "呼吸困難", "R7-777",
        EmergencyRequest.OPEN, minowaPatient, Map.of(), Instant.now(), "");
    FederationClient.Reply reply = send(minowa, EmergencyRequest.ACCESS_PATH.formatted(minowaPatient),
        request.sign(identity(ina)), request.responder().toString());
    assertThat(reply.status()).isEqualTo(403);
    assertThat(ErrorResponse.parse(reply.body().toString()).code()).isEqualTo("federation.scope_not_granted");
    assertThat(reply.body().toString()).doesNotContain("木下");
    assertThat(count(minowa, "emergency_accesses")).isEqualTo(accesses);
    assertThat(refused(minowa)).hasSize(refusals + 1);
  }

  // ---- helpers

  private static TsunaguNode start(String name) {
    JsonObject json = TestNodes.json(name);
    json.getJsonObject("federation").put("port", freePort());
    return TsunaguNode.start(new ConfigLoader(key -> null).fromJson(json, dir.resolve(name)).asDemo());
  }


  private static NodeIdentity identity(TsunaguNode node) {
    return node.services().keys().identity();
  }

  /** A patient registered by a doctor of the node. */
  private static String patient(TsunaguNode node, String doctor, String municipality, String family, String given,
      String familyKana, String givenKana, String birth) {
    AccountSeeder seeder = new AccountSeeder(node.services());
    String clinic = seeder.createFacility(family + "クリニック", municipality, "長野県", "clinic");
    seeder.createUser(new AccountSeeder.Person(doctor, doctor + "@example.jp", "医師", "太郎", "イシ", "タロウ", "doctor",
        Role.PROFESSIONAL, Optional.of(clinic)), PASSWORD, "windows");
    WebSession session = WebSession.login(node, doctor, PASSWORD);
    HttpResponse<String> created = session.post("/api/v1/patients", CareApiTest.patient(family, given, familyKana,
        givenKana, birth).put("address", "長野県上伊那郡1-2-3").put("phone", "0265-11-2222").put("acpNotes", "")
        .put("municipalityCode", municipality));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return new JsonObject(created.body()).getString("id");
  }

  private static AgreementDocument agreement(String id, List<TsunaguNode> nodes, String scope, Instant notAfter) {
    List<NodeIdentity> parties = nodes.stream().map(EndedAgreementTest::identity).toList();
    return AgreementDrafts.signed(id, TITLE, parties, Instant.now().minus(Duration.ofDays(1)), notAfter, parties,
        List.of(scope));
  }

  private static void importInto(AgreementDocument document, TsunaguNode... nodes) throws Exception {
    for (TsunaguNode node : nodes) {
      TestNodes.federation(node).agreements().importDocument(document.toCompactJson()).await(20, TimeUnit.SECONDS);
    }
  }

  private static JsonObject search(String node, String name, String birthDate) {
    return new JsonObject().put("node", node).put("name", name).put("birthDate", birthDate).put("reason", "意識障害")
        .put("dispatchNumber", "R7-555");
  }

  private static JsonObject open(String node, String patientId) {
    return new JsonObject().put("node", node).put("patientId", patientId).put("reason", "意識障害")
        .put("dispatchNumber", "R7-555");
  }

  private static FederationClient.Reply send(TsunaguNode to, String path, String compact, String responder)
      throws Exception {
    NodeCard card = identity(to).card();
    try (FederationClient client = new FederationClient(vertx, identity(ina), pin -> pin.equals(card.tlsPin()))) {
      return client.call(card, HttpMethod.POST, path, Buffer.buffer(compact), FederationV1.JOSE,
          Map.of(EmergencyRequest.RESPONDER_HEADER, responder)).await(20, TimeUnit.SECONDS);
    }
  }

  private static boolean sameAnswer(HttpResponse<String> a, HttpResponse<String> b) {
    JsonObject x = new JsonObject(a.body());
    JsonObject y = new JsonObject(b.body());
    x.remove("requestId");
    y.remove("requestId");
    return a.statusCode() == b.statusCode() && x.equals(y);
  }

  private static int notices(TsunaguNode node, String patientId) {
    return node.services().database().submitRead(c -> {
      try (PreparedStatement s = c.prepareStatement("select count(*) from posts where board_id = ?"
          + " and body like '救急隊が緊急閲覧しました%'")) {
        s.setString(1, patientId);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    }).join();
  }

  private static int count(TsunaguNode node, String table) {
    return node.services().database().submitRead(c -> {
      try (PreparedStatement s = c.prepareStatement("select count(*) from " + table);
          ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }).join();
  }

  /** The home node's audited refusals of partners' emergency requests. */
  private static List<JsonObject> refused(TsunaguNode node) {
    return audit(node, "emergency.partner.request").stream().filter(row -> row.getString("outcome").equals("refused"))
        .toList();
  }

  private static List<JsonObject> audit(TsunaguNode node, String action) {
    return node.services().database().submitRead(c -> {
      List<JsonObject> rows = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("select actor, outcome, detail from audit_log where action = ?"
          + " order by seq")) {
        s.setString(1, action);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            rows.add(new JsonObject().put("actor", rs.getString(1)).put("outcome", rs.getString(2))
                .put("detail", rs.getString(3) == null ? new JsonObject() : new JsonObject(rs.getString(3))));
          }
        }
      }
      return rows;
    }).join();
  }
}
