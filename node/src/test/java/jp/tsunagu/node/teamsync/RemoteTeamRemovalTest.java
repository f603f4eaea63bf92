package jp.tsunagu.node.teamsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
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
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.federation.FederationClient;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.care.replication.TeamEvents;
import jp.tsunagu.node.care.CareClient;

/**
 * The team permission (issue 15, item 10) holds for a partner's member too: a remote visiting nurse
 * removing the home node's pharmacist is refused on her own node's screen, and a removal her node
 * signs and submits anyway is refused by the home node with {@code care.not_allowed}, over real
 * mutual TLS, and changes nothing but the record of the refusal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteTeamRemovalTest {

  @TempDir
  static Path dir;
  @AutoClose
  CrossNodeTestbed bed;
  TsunaguNode ina;
  TsunaguNode minamiminowa;
  CareClient doctor;
  CareClient pharmacist;
  CareClient nurse;
  String patientId;

  @BeforeAll
  void sharedTeam() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    ina = bed.node("ina");
    minamiminowa = bed.node("minamiminowa");
    doctor = bed.inaDoctor();
    pharmacist = bed.professional("ina", "ina-pharm", "竹内", "pharmacist", "伊那薬局", "pharmacy");
    nurse = bed.mmNurse();
    patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "唐木");
    assertThat(doctor.post("/api/v1/patients/" + patientId + "/team/invitations",
        new JsonObject().put("userId", pharmacist.userId).put("teamRole", "薬剤師")).status()).isEqualTo(201);
    assertThat(pharmacist.post("/api/v1/invitations/" + patientId + "/accept", new JsonObject()).status())
        .isEqualTo(204);
  }

  @Test
  void a_partners_nurse_is_refused_on_her_own_node_when_removing_the_pharmacist() {
    CrossNodeTestbed.eventually("the pharmacist is on the nurse's replica", () -> nurse.get("/api/v1/patients/"
        + patientId + "/team").body().contains("ina-pharm@ina"));
    Map<String, Long> home = TestSql.rowCounts(ina);
    Map<String, Long> replica = TestSql.rowCounts(minamiminowa);
    CareClient.Reply reply = nurse.post("/api/v1/patients/" + patientId + "/team/members/ina-pharm@ina/remove",
        new JsonObject());
    assertThat(reply.status()).as(reply.body()).isEqualTo(403);
    assertThat(reply.code()).isEqualTo("care.not_allowed");
    assertThat(reply.json().fieldNames()).containsExactlyInAnyOrder("code", "message", "requestId");
    assertThat(TestSql.rowCounts(minamiminowa)).isEqualTo(replica);
    assertThat(TestSql.rowCounts(ina)).isEqualTo(home);
  }

  @Test
  void a_removal_signed_by_the_partner_is_refused_by_the_home_node_and_the_pharmacist_stays() throws Exception {
    Map<String, Long> before = TestSql.rowCounts(ina);
    JsonObject author = new JsonObject().put("id", "mm-nurse@minamiminowa").put("familyName", "南箕")
        .put("givenName", "花子").put("familyKana", "ミナミ").put("givenKana", "ハナコ").put("profession", "nurse")
        .put("facility", "みなみみのわ訪問看護ステーション");
    Event event = new Event(UUID.randomUUID().toString(), TeamEvents.MEMBER, "minamiminowa", "ina", List.of(patientId),
        Instant.now(), Json.parseObject(new JsonObject().put("author", author).put("member", "ina-pharm@ina")
            .put("status", "removed").encode()));
    FederationClient client = FederationClient.of(minamiminowa.vertx(), TestNodes.federation(minamiminowa));
    FederationClient.Reply reply;
    try {
      reply = client.call(ina.services().keys().identity().card(), HttpMethod.POST,
          String.format(FederationV1.SUBMISSION, patientId, event.id()),
          Buffer.buffer(EventEnvelope.sign(event, minamiminowa.services().keys().identity())), FederationV1.JOSE)
          .await(20, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(422);
    assertThat(ErrorResponse.parse(reply.body().toString()).code()).isEqualTo("care.not_allowed");
    assertThat(pharmacist.get("/api/v1/patients/" + patientId).status()).isEqualTo(200);
    Map<String, Long> after = TestSql.rowCounts(ina);
    assertThat(after.get("refused_events")).as("a refused event stays refused")
        .isEqualTo(before.get("refused_events") + 1);
    after.remove("refused_events");
    before.remove("refused_events");
    // The partner's acknowledgements of the events it pulled before this test arrive on their own
    // schedule; the refused submission writes none, so they are no part of "nothing changed".
    after.remove("sync_acks");
    before.remove("sync_acks");
    assertThat(after).isEqualTo(before);
  }
}
