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
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.CanonicalJson;
import jp.tsunagu.federation.jws.Base64Url;
import jp.tsunagu.federation.jws.JwsSignature;
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
 * Emergency access across municipal borders between real nodes over real mutual TLS: 伊那市's
 * responders open residents of 南箕輪村 under an agreement with the emergency-access scope; 箕輪町
 * shares only care-team with 伊那市. Hostile requests are sent with 伊那市's own federation client.
 */
class AcrossBordersTest {

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
  static Vertx vertx;

  @BeforeAll
  static void startNodes() throws Exception {
    ina = start("ina");
    minamiminowa = start("minamiminowa");
    minowa = start("minowa");
    vertx = Vertx.vertx();
    person(ina, "ina-kyukyu01", "救急", "一郎", "ems_crew", Role.EMERGENCY_RESPONDER, null);
    person(ina, "ina-kango01", "高遠", "花子", "nurse", Role.PROFESSIONAL, "伊那中央訪問看護ステーション");
    crew = WebSession.login(ina, "ina-kyukyu01", PASSWORD);
    minamiPatient = patient(minamiminowa, "mm-ishi", "203858", "星野", "ハナ", "ホシノ", "ハナ", "1938-04-02");
    WebSession minamiDoctor = WebSession.login(minamiminowa, "mm-ishi", PASSWORD);
    for (int i = 1; i <= 6; i++) {
      HttpResponse<String> created = minamiDoctor.post("/api/v1/patients", CareApiTest.patient("大芝", "住民" + i,
          "オオシバ", "ジュウミン", "1940-01-0" + i).put("address", "長野県上伊那郡南箕輪村大芝" + i)
          .put("municipalityCode", "203858").put("acpNotes", ""));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }
    minowaPatient = patient(minowa, "mw-ishi", "203831", "木下", "トメ", "キノシタ", "トメ", "1940-05-06");
    importInto(agreement("kamiina-emergency", List.of(ina, minamiminowa), Scopes.EMERGENCY_ACCESS), ina,
        minamiminowa);
    importInto(agreement("kamiina-care", List.of(ina, minowa), Scopes.CARE_TEAM), ina, minowa);
    // Signed by both but imported by ina alone: ina believes it may ask, minowa's agreements say no.
    importInto(agreement("kamiina-emergency-unsent", List.of(ina, minowa), Scopes.EMERGENCY_ACCESS), ina);
  }

  @AfterAll
  static void stopNodes() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    for (TsunaguNode node : List.of(ina, minamiminowa, minowa)) {
      node.close();
    }
  }

  @Test
  @DisplayName("a responder of ina finds and opens a minamiminowa patient: the limited view arrives marked with"
      + " the home municipality, both nodes audit, and the team on the home node reads the notice")
  void opensAPartnersPatient() {
    HttpResponse<String> searched = crew.post("/api/v1/emergency/partner-searches", new JsonObject()
        .put("name", "星野ハナ").put("birthDate", "1938-04-02").put("reason", "意識障害、既往歴の確認")
        .put("dispatchNumber", "R7-01234"));
    assertThat(searched.statusCode()).as(searched.body()).isEqualTo(200);
    JsonObject found = new JsonObject(searched.body());
    assertThat(found.getJsonArray("patients")).hasSize(1);
    JsonObject person = found.getJsonArray("patients").getJsonObject(0);
    assertThat(person.getString("id")).isEqualTo(minamiPatient);
    assertThat(person.getString("node")).isEqualTo("minamiminowa");
    assertThat(person.getJsonObject("home").getString("municipalities")).isEqualTo("南箕輪村");

    int noticesBefore = notices(minamiminowa, minamiPatient);
    HttpResponse<String> opened = crew.post("/api/v1/emergency/partner-accesses", new JsonObject()
        .put("node", "minamiminowa").put("patientId", minamiPatient).put("reason", "意識障害、既往歴の確認")
        .put("dispatchNumber", "R7-01234"));

    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
    JsonObject view = new JsonObject(opened.body());
    assertThat(view.getJsonObject("patient").getString("name")).isEqualTo("星野 ハナ");
    assertThat(view.getJsonObject("home").getString("municipalities")).isEqualTo("南箕輪村");
    assertThat(view.getJsonObject("access").getString("node")).isEqualTo("minamiminowa");
    assertThat(view.getJsonObject("access").getString("expiresAt")).isNotBlank();
    assertThat(view.fieldNames()).doesNotContain("timeline", "posts");
    assertThat(audit(ina, "emergency.partner.access.opened")).hasSize(1);
    List<JsonObject> home = audit(minamiminowa, "emergency.partner.access.opened");
    assertThat(home).hasSize(1);
    assertThat(home.get(0).getString("actor")).isEqualTo("ina-kyukyu01@ina");
    assertThat(home.get(0).getJsonObject("detail").getString("dispatchNumber")).isEqualTo("R7-01234");
    assertThat(notices(minamiminowa, minamiPatient)).isEqualTo(noticesBefore + 1);

    String accessId = view.getJsonObject("access").getString("id");
    HttpResponse<String> again = crew.get("/api/v1/emergency/partner-accesses/" + accessId);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(new JsonObject(again.body()).getJsonObject("home").getString("node")).isEqualTo("minamiminowa");
    assertThat(audit(minamiminowa, "emergency.partner.access.viewed")).hasSize(1);
    ina.services().database().submitWrite(c -> {
      try (PreparedStatement s = c.prepareStatement("update emergency_partner_accesses set expires_at = ?"
          + " where id = ?")) {
        s.setString(1, EmergencyContext.stamp(Instant.now().minusSeconds(1)));
        s.setString(2, accessId);
        return s.executeUpdate();
      }
    }).join();
    HttpResponse<String> expired = crew.get("/api/v1/emergency/partner-accesses/" + accessId);
    assertThat(expired.statusCode()).isEqualTo(404);
    assertThat(code(expired.body())).isEqualTo("emergency.access_expired");
    assertThat(audit(minamiminowa, "emergency.partner.access.viewed")).hasSize(1);
  }

  @Test
  @DisplayName("without the emergency-access scope on the home node the responder is refused with one stable code,"
      + " the same for an existing and a non-existing person, and a node with no agreement is never asked")
  void refusedWithoutTheScope() throws Exception {
    HttpResponse<String> existing = crew.post("/api/v1/emergency/partner-accesses", open("minowa", minowaPatient));
    HttpResponse<String> missing = crew.post("/api/v1/emergency/partner-accesses", open("minowa", "no-such-id"));
    assertThat(existing.statusCode()).as(existing.body()).isEqualTo(403);
    assertThat(code(existing.body())).isEqualTo("federation.scope_not_granted");
    assertThat(sameAnswer(existing, missing)).isTrue();
    HttpResponse<String> searched = crew.post("/api/v1/emergency/partner-searches", new JsonObject()
        .put("node", "minowa").put("name", "木下トメ").put("birthDate", "1940-05-06").put("reason", "意識障害")
        .put("dispatchNumber", "R7-555"));
    assertThat(new JsonObject(searched.body()).getJsonArray("patients")).isEmpty();
    assertThat(new JsonObject(searched.body()).getJsonArray("unanswered").getJsonObject(0).getString("problem"))
        .isEqualTo("federation.scope_not_granted");
    HttpResponse<String> nowhere = crew.post("/api/v1/emergency/partner-accesses", open("suwa", minowaPatient));
    assertThat(nowhere.statusCode()).isEqualTo(403);
    assertThat(code(nowhere.body())).isEqualTo("emergency.partner_not_allowed");

    int before = notices(minowa, minowaPatient);
    FederationClient.Reply there = call(minowa, request("ina-kyukyu01", EmergencyRequest.OPEN, minowaPatient), null);
    FederationClient.Reply nobody = call(minowa, request("ina-kyukyu01", EmergencyRequest.OPEN, "no-such-id"), null);
    assertThat(there.status()).isEqualTo(403);
    assertThat(nobody.status()).isEqualTo(403);
    assertThat(ErrorResponse.parse(there.body().toString()).code()).isEqualTo("federation.scope_not_granted");
    assertThat(ErrorResponse.parse(there.body().toString()).message())
        .isEqualTo(ErrorResponse.parse(nobody.body().toString()).message());
    assertThat(notices(minowa, minowaPatient)).isEqualTo(before);
    assertThat(audit(minowa, "emergency.partner.request")).extracting(row -> row.getString("outcome"))
        .containsOnly("refused");
  }

  @Test
  @DisplayName("a hostile partner is refused with stable codes and nothing but the audit log changes: another"
      + " key, a body naming another responder or patient than the path and headers, a role that is not"
      + " 救急・消防, a request signed too long ago, and a replayed request")
  void hostileRequestsAreRefused() throws Exception {
    int notices = notices(minamiminowa, minamiPatient);
    int accesses = count(minamiminowa, "emergency_accesses");
    EmergencyRequest good = request("ina-kyukyu02", EmergencyRequest.OPEN, minamiPatient);
    String path = EmergencyRequest.ACCESS_PATH.formatted(minamiPatient);

    String otherKey = signedWith(identity(minowa), good);
    assertThat(refusal(send(minamiminowa, path, otherKey, good.responder().toString())))
        .isEqualTo("emergency.request_signature_invalid");
    String tampered = good.sign(identity(ina));
    String[] parts = tampered.split("\\.");
    EmergencyRequest otherReason = new EmergencyRequest(good.requestId(), "ina", good.responder(), good.role(),
        good.responderName(), "別の理由", good.dispatchNumber(), good.action(), good.patientId(), Map.of(),
        good.issuedAt(), "");
    String forged = parts[0] + "." + Base64Url.encode(CanonicalJson.bytes(otherReason.toJson())) + "." + parts[2];
    assertThat(refusal(send(minamiminowa, path, forged, good.responder().toString())))
        .isEqualTo("emergency.request_signature_invalid");
    assertThat(refusal(call(minamiminowa, good, "ina-someone@ina"))).isEqualTo("emergency.request_mismatch");
    assertThat(refusal(send(minamiminowa, EmergencyRequest.ACCESS_PATH.formatted("another-patient"),
        good.sign(identity(ina)), good.responder().toString()))).isEqualTo("emergency.request_mismatch");
    assertThat(refusal(call(minamiminowa, withRole(request("ina-kango01", EmergencyRequest.OPEN, minamiPatient),
        "professional"), null))).isEqualTo("emergency.responder_role_refused");
    EmergencyRequest old = new EmergencyRequest(UUID.randomUUID().toString(), "ina", good.responder(), good.role(),
        good.responderName(), good.reason(), good.dispatchNumber(), good.action(), good.patientId(), Map.of(),
        Instant.now().minus(Duration.ofMinutes(20)), "");
    assertThat(refusal(call(minamiminowa, old, null))).isEqualTo("emergency.request_stale");
    assertThat(count(minamiminowa, "emergency_accesses")).isEqualTo(accesses);
    assertThat(notices(minamiminowa, minamiPatient)).isEqualTo(notices);

    String once = good.sign(identity(ina));
    assertThat(send(minamiminowa, path, once, good.responder().toString()).status()).isEqualTo(201);
    FederationClient.Reply replay = send(minamiminowa, path, once, good.responder().toString());
    assertThat(replay.status()).isEqualTo(409);
    assertThat(refusal(replay)).isEqualTo("emergency.request_replayed");
    assertThat(count(minamiminowa, "emergency_accesses")).isEqualTo(accesses + 1);
    assertThat(notices(minamiminowa, minamiPatient)).isEqualTo(notices + 1);
    assertThat(audit(minamiminowa, "emergency.partner.request")).extracting(row -> row.getString("actor"))
        .contains("node:ina");
  }

  @Test
  @DisplayName("a partner's responder who opens too many records in an hour is refused and flagged on the home node,"
      + " like a local account")
  void aPartnersResponderIsRateLimited() throws Exception {
    int flags = count(minamiminowa, "emergency_access_flags");
    for (int i = 0; i < 10; i++) {
      assertThat(call(minamiminowa, request("ina-kyukyu09", EmergencyRequest.OPEN, minamiPatient), null).status())
          .isEqualTo(201);
    }
    FederationClient.Reply refused = call(minamiminowa, request("ina-kyukyu09", EmergencyRequest.OPEN, minamiPatient),
        null);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refusal(refused)).isEqualTo("emergency.too_many_accesses");
    assertThat(count(minamiminowa, "emergency_access_flags")).isEqualTo(flags + 1);
  }

  @Test
  @DisplayName("a search the home node finds too many people for lists none of them, as a local one does")
  void aVagueSearchListsNobody() {
    HttpResponse<String> searched = crew.post("/api/v1/emergency/partner-searches", new JsonObject()
        .put("node", "minamiminowa").put("address", "南箕輪村大芝").put("reason", "住所のみ判明")
        .put("dispatchNumber", "R7-9"));
    assertThat(searched.statusCode()).as(searched.body()).isEqualTo(200);
    JsonObject answer = new JsonObject(searched.body());
    assertThat(answer.getJsonArray("patients")).isEmpty();
    assertThat(answer.getJsonArray("unanswered").getJsonObject(0).getString("problem"))
        .isEqualTo("emergency.search_too_broad");
    assertThat(audit(minamiminowa, "emergency.partner.search")).extracting(row -> row.getString("outcome"))
        .contains("refused");
  }


  @Test
  @DisplayName("request ids are pruned by the node's clock only once past the replay window and its margin:"
      + " a replay inside the window is still refused, and a request that old fails the clock check anyway")
  void requestIdsArePrunedPastTheWindow() throws Exception {
    EmergencyRequest kept = request("ina-kyukyu03", EmergencyRequest.OPEN, minamiPatient);
    String once = kept.sign(identity(ina));
    String path = EmergencyRequest.ACCESS_PATH.formatted(minamiPatient);
    assertThat(send(minamiminowa, path, once, kept.responder().toString()).status()).isEqualTo(201);

    MovableClock clock = new MovableClock(Instant.now());
    RequestPruning pruning = new RequestPruning(EmergencyContext.of(withClock(minamiminowa, clock), null,
        SharingConsents.NONE));
    clock.advance(EmergencyRequest.MAX_SKEW);
    pruning.prune().await(10, TimeUnit.SECONDS);
    assertThat(kept(minamiminowa, kept.requestId())).isTrue();
    assertThat(refusal(send(minamiminowa, path, once, kept.responder().toString())))
        .isEqualTo("emergency.request_replayed");
    clock.advance(RequestPruning.KEEP.minus(EmergencyRequest.MAX_SKEW).minusSeconds(5));
    pruning.prune().await(10, TimeUnit.SECONDS);
    assertThat(kept(minamiminowa, kept.requestId())).isTrue();

    clock.advance(Duration.ofMinutes(1));
    assertThat(pruning.prune().await(10, TimeUnit.SECONDS)).isPositive();
    assertThat(kept(minamiminowa, kept.requestId())).isFalse();
    assertThat(count(minamiminowa, "emergency_partner_requests")).isZero();
    // What a pruned id let through now is refused by the clock check alone, as the window promises.
    EmergencyRequest late = new EmergencyRequest(UUID.randomUUID().toString(), "ina", kept.responder(), kept.role(),
        kept.responderName(), kept.reason(), kept.dispatchNumber(), kept.action(), kept.patientId(), Map.of(),
        Instant.now().minus(RequestPruning.KEEP), "");
    assertThat(refusal(call(minamiminowa, late, null))).isEqualTo("emergency.request_stale");
  }

  // ---- helpers

  /** A clock a test moves on by hand. */
  private static final class MovableClock extends java.time.Clock {
    private Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** The node's services, read by another clock. */
  private static jp.tsunagu.node.feature.NodeServices withClock(TsunaguNode node, java.time.Clock clock) {
    jp.tsunagu.node.feature.NodeServices s = node.services();
    return new jp.tsunagu.node.feature.NodeServices(s.config(), s.keys(), s.database(), s.metrics(), clock,
        s.idempotency());
  }

  private static TsunaguNode start(String name) {
    JsonObject json = TestNodes.json(name);
    json.getJsonObject("federation").put("port", freePort());
    return TsunaguNode.start(new ConfigLoader(key -> null).fromJson(json, dir.resolve(name)).asDemo());
  }


  private static NodeIdentity identity(TsunaguNode node) {
    return node.services().keys().identity();
  }

  private static String person(TsunaguNode node, String loginId, String family, String given, String profession,
      Role role, String facilityName) {
    AccountSeeder seeder = new AccountSeeder(node.services());
    Optional<String> facility = facilityName == null ? Optional.empty()
        : Optional.of(seeder.createFacility(facilityName, "202096", "長野県", "clinic"));
    return seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@example.jp", family, given, "テスト", "タロウ",
        profession, role, facility), PASSWORD, "windows").userId();
  }

  /** A patient registered by a doctor of the node, who is then on the patient's team. */
  private static String patient(TsunaguNode node, String doctor, String municipality, String family, String given,
      String familyKana, String givenKana, String birth) {
    AccountSeeder seeder = new AccountSeeder(node.services());
    String clinic = seeder.createFacility(family + "クリニック", municipality, "長野県", "clinic");
    seeder.createUser(new AccountSeeder.Person(doctor, doctor + "@example.jp", "医師", "太郎", "イシ", "タロウ", "doctor",
        Role.PROFESSIONAL, Optional.of(clinic)), PASSWORD, "windows");
    WebSession session = WebSession.login(node, doctor, PASSWORD);
    HttpResponse<String> created = session.post("/api/v1/patients", CareApiTest.patient(family, given, familyKana,
        givenKana, birth).put("address", "長野県上伊那郡1-2-3").put("phone", "0265-11-2222").put("acpNotes", "").put("municipalityCode", municipality));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return new JsonObject(created.body()).getString("id");
  }

  private static AgreementDocument agreement(String id, List<TsunaguNode> nodes, String scope) {
    List<NodeIdentity> parties = nodes.stream().map(AcrossBordersTest::identity).toList();
    return AgreementDrafts.signed(id, TITLE, parties, Instant.now().minus(Duration.ofDays(1)),
        Instant.now().plus(Duration.ofDays(30)), parties, List.of(scope));
  }

  private static void importInto(AgreementDocument document, TsunaguNode... nodes) throws Exception {
    for (TsunaguNode node : nodes) {
      TestNodes.federation(node).agreements().importDocument(document.toCompactJson()).await(20, TimeUnit.SECONDS);
    }
  }

  private static JsonObject open(String node, String patientId) {
    return new JsonObject().put("node", node).put("patientId", patientId).put("reason", "意識障害")
        .put("dispatchNumber", "R7-555");
  }

  private static EmergencyRequest request(String loginId, String action, String patientId) {
    return new EmergencyRequest(UUID.randomUUID().toString(), "ina", new FederatedId(loginId, "ina"),
        EmergencyRequest.RESPONDER_ROLE, "救急 次郎", "呼吸困難", "R7-777", action, patientId, Map.of(), Instant.now(), "");
  }

  private static EmergencyRequest withRole(EmergencyRequest r, String role) {
    return new EmergencyRequest(r.requestId(), r.node(), r.responder(), role, r.responderName(), r.reason(),
        r.dispatchNumber(), r.action(), r.patientId(), r.search(), r.issuedAt(), r.accessId());
  }

  /** The request body signed with another node's key, the header naming ina's key id as its own would not. */
  private static String signedWith(NodeIdentity other, EmergencyRequest request) {
    String payload = Base64Url.encode(CanonicalJson.bytes(request.toJson()));
    JwsSignature signature = JwsSignature.sign(other.signingKey(), EmergencyRequest.TYP, Map.of(), payload);
    return signature.protectedHeader() + "." + payload + "." + signature.signature();
  }

  /** ina's node sending the request signed by ina, with the responder header given or the body's. */
  private static FederationClient.Reply call(TsunaguNode to, EmergencyRequest request, String responderHeader)
      throws Exception {
    String path = EmergencyRequest.OPEN.equals(request.action())
        ? EmergencyRequest.ACCESS_PATH.formatted(request.patientId()) : EmergencyRequest.SEARCH_PATH;
    return send(to, path, request.sign(identity(ina)),
        responderHeader == null ? request.responder().toString() : responderHeader);
  }

  private static FederationClient.Reply send(TsunaguNode to, String path, String compact, String responder)
      throws Exception {
    NodeCard card = identity(to).card();
    try (FederationClient client = new FederationClient(vertx, identity(ina), pin -> pin.equals(card.tlsPin()))) {
      return client.call(card, HttpMethod.POST, path, Buffer.buffer(compact), FederationV1.JOSE,
          Map.of(EmergencyRequest.RESPONDER_HEADER, responder)).await(20, TimeUnit.SECONDS);
    }
  }

  private static String refusal(FederationClient.Reply reply) {
    assertThat(reply.status()).as(reply.body().toString()).isBetween(400, 499);
    return ErrorResponse.parse(reply.body().toString()).code();
  }

  private static String code(String body) {
    return new JsonObject(body).getString("code");
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

  private static boolean kept(TsunaguNode node, String requestId) {
    return node.services().database().submitRead(c -> {
      try (PreparedStatement s = c.prepareStatement("select 1 from emergency_partner_requests where request_id = ?")) {
        s.setString(1, requestId);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next();
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
