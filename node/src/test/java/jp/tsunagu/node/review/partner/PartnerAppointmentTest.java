package jp.tsunagu.node.review.partner;

import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.federation.AgreementDrafts;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appointing a partner node's professional as 審査委員, between real nodes of the Kamiina pact over real
 * mutual TLS: 伊那市 and 南箕輪村 share {@code certification-review} (the wide-area union), 箕輪町 shares only
 * care-team with 伊那市. 伊那市's secretariat appoints 南箕輪村's doctor and seats her on a panel; the same
 * for 箕輪町's nurse is refused with {@code federation.scope_not_granted}, audited, and nothing is stored.
 */
class PartnerAppointmentTest {

  private static final String PASSWORD = "Kamiina-shinsa-2026!";

  @TempDir
  static Path dir;
  static TsunaguNode ina;
  static TsunaguNode minamiminowa;
  static TsunaguNode minowa;
  static CareClient secretariat;
  static String partnerDoctor;
  static String minowaNurse;

  @BeforeAll
  static void startNodes() throws Exception {
    ina = start("ina");
    minamiminowa = start("minamiminowa");
    minowa = start("minowa");
    String userId = person(ina, "ina-shinsa", Role.REVIEW_SECRETARIAT, "municipal_staff", Optional.empty());
    secretariat = new CareClient(ina, userId);
    secretariat.login("ina-shinsa", PASSWORD);
    String clinic = new AccountSeeder(minamiminowa.services()).createFacility("大芝クリニック", "203858", "長野県",
        "clinic");
    partnerDoctor = person(minamiminowa, "mm-ishi", Role.PROFESSIONAL, "doctor", Optional.of(clinic));
    String station = new AccountSeeder(minowa.services()).createFacility("箕輪訪問看護ステーション", "203831", "長野県",
        "visiting_nurse_station");
    minowaNurse = person(minowa, "mw-kango", Role.PROFESSIONAL, "nurse", Optional.of(station));
    importInto(agreement("kamiina-shinsa", List.of(ina, minamiminowa), Scopes.CERTIFICATION_REVIEW), ina,
        minamiminowa);
    importInto(agreement("kamiina-care", List.of(ina, minowa), Scopes.CARE_TEAM), ina, minowa);
  }

  @AfterAll
  static void stopNodes() {
    for (TsunaguNode node : List.of(ina, minamiminowa, minowa)) {
      node.close();
    }
  }

  @Test
  void a_partner_professional_under_the_scope_is_appointed_and_seated_as_her_node_and_user_id() {
    CareClient.Reply appointed = secretariat.post("/api/v1/review/appointments", partner("minamiminowa", partnerDoctor,
        "大芝 花子", "doctor"));
    assertThat(appointed.status()).as(appointed.body()).isEqualTo(201);
    JsonObject a = appointed.json();
    assertThat(a.getString("nodeId")).isEqualTo("minamiminowa");
    assertThat(a.getString("userId")).isEqualTo(partnerDoctor);
    assertThat(a.getString("name")).isEqualTo("大芝 花子");
    CareClient.Reply again = secretariat.post("/api/v1/review/appointments", partner("minamiminowa", partnerDoctor,
        "大芝 花子", "doctor"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("review.already_appointed");

    String panel = secretariat.post("/api/v1/review/panels", new JsonObject().put("number", 7).put("quorum", 2))
        .json().getString("id");
    String local = localReviewer();
    CareClient.Reply seated = secretariat.put("/api/v1/review/panels/" + panel + "/members", new JsonObject()
        .put("members", new JsonArray().add(new JsonObject().put("appointmentId", local).put("position", "chair"))
            .add(new JsonObject().put("appointmentId", a.getString("id")).put("position", "member"))));
    assertThat(seated.status()).as(seated.body()).isEqualTo(200);
    assertThat(seated.body()).contains("minamiminowa", "大芝 花子");
    assertThat(TestSql.count(ina, "select count(*) from review_appointments where node_id = 'minamiminowa'"
        + " and user_id = '" + partnerDoctor + "' and ended_at is null")).isEqualTo(1);
    assertThat(TestSql.count(ina, "select count(*) from audit_log where action = 'review.appointed'"
        + " and outcome = 'success' and detail like '%minamiminowa%'")).isEqualTo(1);
  }

  @Test
  void a_partner_without_the_scope_is_refused_audited_and_nothing_stored() {
    long before = TestSql.count(ina, "select count(*) from review_appointments");
    CareClient.Reply refused = secretariat.post("/api/v1/review/appointments", partner("minowa", minowaNurse,
        "三日町 和子", "nurse"));
    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    assertThat(refused.code()).isEqualTo("federation.scope_not_granted");
    // A node that is no party of any agreement is refused the same way.
    CareClient.Reply stranger = secretariat.post("/api/v1/review/appointments", partner("suwa", "u-1", "諏訪 一郎",
        "nurse"));
    assertThat(stranger.code()).isEqualTo("federation.scope_not_granted");
    assertThat(TestSql.count(ina, "select count(*) from review_appointments")).isEqualTo(before);
    assertThat(TestSql.count(ina, "select count(*) from audit_log where action = 'review.appointed'"
        + " and outcome = 'refused' and target = 'partner_node:minowa'")).isEqualTo(1);
  }

  @Test
  void a_malformed_partner_reviewer_is_refused_with_its_code_and_nothing_stored() {
    long before = TestSql.count(ina, "select count(*) from review_appointments");
    for (JsonObject bad : List.of(partner("minamiminowa", "", "大芝 花子", "doctor"),
        partner("minamiminowa", "x' or 1=1", "大芝 花子", "doctor"), partner("Minami Minowa", "u1", "大芝", "doctor"),
        partner("minamiminowa", "u2", "", "doctor"))) {
      CareClient.Reply reply = secretariat.post("/api/v1/review/appointments", bad);
      assertThat(reply.status()).as(bad.encode()).isEqualTo(400);
      assertThat(reply.code()).as(bad.encode()).isEqualTo("review.invalid_partner_reviewer");
    }
    // A name past its 60 characters is refused by the node's text rules before the review board sees it.
    CareClient.Reply tooLong = secretariat.post("/api/v1/review/appointments",
        partner("minamiminowa", "u3", "長".repeat(61), "doctor"));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.code()).isEqualTo("validation.too_long");
    assertThat(TestSql.count(ina, "select count(*) from review_appointments")).isEqualTo(before);
  }

  private static String localReviewer() {
    String id = person(ina, "ina-ishi-" + System.nanoTime() % 100000, Role.PROFESSIONAL, "doctor",
        Optional.of(new AccountSeeder(ina.services()).createFacility("伊那審査テスト医院" + System.nanoTime() % 1000,
            "202096", "長野県", "clinic")));
    return secretariat.post("/api/v1/review/appointments", new JsonObject().put("userId", id)
        .put("qualification", "doctor").put("termFrom", "2026-04-01").put("termTo", "2028-03-31")).json()
        .getString("id");
  }

  private static JsonObject partner(String node, String userId, String name, String qualification) {
    return new JsonObject().put("nodeId", node).put("userId", userId).put("displayName", name)
        .put("qualification", qualification).put("termFrom", "2026-04-01").put("termTo", "2028-03-31");
  }

  private static TsunaguNode start(String name) {
    JsonObject json = TestNodes.json(name);
    json.getJsonObject("federation").put("port", freePort());
    return TsunaguNode.start(new ConfigLoader(key -> null).fromJson(json, dir.resolve(name)).asDemo());
  }


  private static NodeIdentity identity(TsunaguNode node) {
    return node.services().keys().identity();
  }

  private static String person(TsunaguNode node, String loginId, Role role, String profession,
      Optional<String> facility) {
    return new AccountSeeder(node.services()).createUser(new AccountSeeder.Person(loginId, loginId + "@example.jp",
        "審査", "花子", "シンサ", "ハナコ", profession, role, facility), PASSWORD, "windows").userId();
  }

  private static AgreementDocument agreement(String id, List<TsunaguNode> nodes, String scope) {
    List<NodeIdentity> parties = nodes.stream().map(PartnerAppointmentTest::identity).toList();
    return AgreementDrafts.signed(id, "上伊那広域連合の介護認定審査会に関する協定", parties,
        Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), parties, List.of(scope));
  }

  private static void importInto(AgreementDocument document, TsunaguNode... nodes) throws Exception {
    for (TsunaguNode node : nodes) {
      TestNodes.federation(node).agreements().importDocument(document.toCompactJson()).await(20, TimeUnit.SECONDS);
    }
  }
}
