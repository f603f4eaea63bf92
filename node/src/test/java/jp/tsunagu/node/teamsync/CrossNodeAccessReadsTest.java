package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.wire.AccessReadsExchange;
import jp.tsunagu.federation.wire.ErrorResponse;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.family.FamilyLogins;
import jp.tsunagu.node.federation.FederationClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The patient's access report across two real nodes over real mutual TLS: ina (伊那市) is the home
 * node, minamiminowa's visiting nurse reads the patient's board on her own node's copy, and the report
 * the family reads at ina counts those reads, asked of minamiminowa with a signed request. A node
 * asking for a board it is not the home of, a request sent by another node than signed it, and a
 * request sent twice are each refused with a stable code, audited, and disclose no reader.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossNodeAccessReadsTest {

  private static final String PASSWORD = "takematsu-family-2026";

  @TempDir
  static Path dir;
  CrossNodeTestbed bed;
  TsunaguNode ina;
  TsunaguNode mm;
  CareClient inaDoctor;
  CareClient mmNurse;
  String shared;
  Vertx vertx;

  @BeforeAll
  void teams() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    ina = bed.node("ina");
    mm = bed.node("minamiminowa");
    inaDoctor = bed.inaDoctor();
    mmNurse = bed.mmNurse();
    shared = CrossNodeTestbed.sharedPatient(inaDoctor, mmNurse, "mm-nurse@minamiminowa", "竹松");
    vertx = Vertx.vertx();
  }

  @AfterAll
  void stop() {
    if (vertx != null) {
      vertx.close();
    }
    bed.close();
  }

  private CareClient family() {
    CareClient.Reply invited = inaDoctor.post("/api/v1/patients/" + shared + "/family/invitations", new JsonObject()
        .put("email", "reads-" + UUID.randomUUID().toString().substring(0, 8) + "@example.jp").put("name", "竹松 和子").put("relation", "子").put("consentBy", "本人")
        .put("consentAt", "2026-12-01"));
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

  private static String month() {
    return YearMonth.now(ZoneId.of("Asia/Tokyo")).toString();
  }

  private static long partnerCount(JsonObject report) {
    return report.getJsonArray("viewers").stream().map(JsonObject.class::cast)
        .filter(v -> "minamiminowa".equals(v.getString("node"))).mapToLong(v -> v.getInteger("count")).sum();
  }

  @Test
  @Order(1)
  void reads_on_the_partners_copy_are_in_the_home_nodes_access_report() {
    CareClient phone = family();
    eventually("the nurse's copy of the board is readable", () ->
        mmNurse.get("/api/v1/patients/" + shared + "/posts").status() == 200);
    JsonObject before = phone.get("/api/v1/family/access-report?month=" + month()).json();
    assertThat(before.getJsonArray("unanswered")).as(before.encode()).isEmpty();
    long readsBefore = partnerCount(before);
    for (int i = 0; i < 3; i++) {
      assertThat(mmNurse.get("/api/v1/patients/" + shared + "/posts").status()).isEqualTo(200);
    }

    JsonObject after = phone.get("/api/v1/family/access-report?month=" + month()).json();
    assertThat(after.getJsonArray("unanswered")).as(after.encode()).isEmpty();
    assertThat(partnerCount(after)).isGreaterThanOrEqualTo(readsBefore + 3);
    JsonObject nurse = after.getJsonArray("viewers").stream().map(JsonObject.class::cast)
        .filter(v -> "minamiminowa".equals(v.getString("node"))).findFirst().orElseThrow();
    assertThat(nurse.getBoolean("partner")).isTrue();
    assertThat(nurse.getString("name")).contains("南箕");
    assertThat(nurse.getJsonArray("days")).isNotEmpty();
    assertThat(nurse.containsKey("actor")).isFalse();
    assertThat(CrossNodeTestbed.count(mm, "select count(*) from audit_log where actor = ?"
        + " and action = 'family.access_reads.answered' and outcome = 'success'", "node:ina")).isGreaterThanOrEqualTo(2);
  }

  @Test
  @Order(2)
  void a_node_asking_for_a_board_it_is_not_the_home_of_is_refused_and_told_nothing() throws Exception {
    assertThat(mmNurse.get("/api/v1/patients/" + shared + "/posts").status()).isEqualTo(200);
    // minamiminowa holds only a copy: it asks the home node for the board's reads as if it were the home.
    AccessReadsExchange.Request notHome = request("minamiminowa");
    FederationClient.Reply refused = send(mm, ina, notHome.sign(identity(mm)));
    assertThat(refused.status()).isEqualTo(404);
    assertThat(ErrorResponse.parse(refused.body().toString()).code()).isEqualTo("family.access_reads_not_found");
    assertThat(refused.body().toString()).doesNotContain("南箕").doesNotContain("伊那");
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from audit_log where actor = ?"
        + " and action = 'family.access_reads.request' and outcome <> 'success'"
        + " and detail like '%family.access_reads_not_found%'", "node:minamiminowa")).isEqualTo(1);

    // A board unknown to the asked node answers the same.
    FederationClient.Reply unknown = send(ina, mm, new AccessReadsExchange.Request(UUID.randomUUID().toString(), "ina",
        "no-such-board", month(), Instant.now()).sign(identity(ina)));
    assertThat(ErrorResponse.parse(unknown.body().toString()).code()).isEqualTo("family.access_reads_not_found");

    // Signed by ina, sent by minamiminowa: the signer is not the caller.
    FederationClient.Reply relayed = send(mm, ina, request("ina").sign(identity(ina)));
    assertThat(ErrorResponse.parse(relayed.body().toString()).code()).isEqualTo("family.access_reads_signature_invalid");

    // The home node's own request, sent twice: the second copy is refused.
    String once = request("ina").sign(identity(ina));
    assertThat(send(ina, mm, once).status()).isEqualTo(200);
    FederationClient.Reply replay = send(ina, mm, once);
    assertThat(ErrorResponse.parse(replay.body().toString()).code()).isEqualTo("family.access_reads_replayed");
  }

  /** Runs last: it stops the partner. */
  @Test
  @Order(3)
  void a_partner_that_does_not_answer_is_named_in_the_report_with_the_reason() {
    CareClient phone = family();
    bed.stopNode("minamiminowa");
    JsonObject report = phone.get("/api/v1/family/access-report?month=" + month()).json();
    assertThat(report.getJsonArray("unanswered")).hasSize(1);
    assertThat(report.getJsonArray("unanswered").getJsonObject(0).getString("node")).isEqualTo("minamiminowa");
    assertThat(report.getJsonArray("unanswered").getJsonObject(0).getString("code"))
        .isEqualTo("family.partner_unavailable");
    assertThat(report.getJsonArray("replicaNodes").getList()).containsExactly("minamiminowa");
  }

  private AccessReadsExchange.Request request(String node) {
    return new AccessReadsExchange.Request(UUID.randomUUID().toString(), node, shared, month(), Instant.now());
  }

  private FederationClient.Reply send(TsunaguNode from, TsunaguNode to, String compact) throws Exception {
    NodeCard card = identity(to).card();
    try (FederationClient client = new FederationClient(vertx, identity(from), pin -> pin.equals(card.tlsPin()))) {
      return client.call(card, HttpMethod.POST, AccessReadsExchange.PATH, Buffer.buffer(compact), FederationV1.JOSE)
          .await(20, TimeUnit.SECONDS);
    }
  }

  private static NodeIdentity identity(TsunaguNode node) {
    return node.services().keys().identity();
  }
}
