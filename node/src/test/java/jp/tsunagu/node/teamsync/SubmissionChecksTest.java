package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.envelope.SequencedEvent;
import jp.tsunagu.federation.identity.MunicipalityCode;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.identity.NodeProfile;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.jws.TrustStore;
import jp.tsunagu.federation.wire.ErrorResponse;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.federation.AgreementDrafts;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.federation.FederationClient;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.CareClient;

/**
 * The home node's checks on a remote write, each driven over real mutual TLS with envelopes made
 * as a partner node would (or as a forger would): accepted ones are sequenced and countersigned
 * once; every refused one gets its stable code, changes nothing, and stays refused when resent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubmissionChecksTest {

  @TempDir
  static Path dir;
  @AutoClose
  CrossNodeTestbed bed;
  TsunaguNode ina;
  TsunaguNode minamiminowa;
  CareClient doctor;
  CareClient nurse;
  String patientId;

  @BeforeAll
  void sharedTeam() throws Exception {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    ina = bed.node("ina");
    minamiminowa = bed.node("minamiminowa");
    doctor = bed.inaDoctor();
    nurse = bed.mmNurse();
    patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "唐木");
  }

  private NodeIdentity identity(TsunaguNode node) {
    return node.services().keys().identity();
  }

  private JsonObject author(String loginId) {
    return new JsonObject().put("id", loginId + "@minamiminowa").put("familyName", "南箕").put("givenName", "花子")
        .put("familyKana", "ミナミ").put("givenKana", "ハナコ").put("profession", "nurse")
        .put("facility", "みなみみのわ訪問看護ステーション");
  }

  private Event post(String loginId, String body) {
    String postId = CareIds.next();
    JsonObject post = new JsonObject().put("id", postId).put("category", "申し送り").put("kind", "note")
        .put("body", body).put("createdAt", Instant.now().toString()).put("recipients", new JsonArray())
        .put("attachments", new JsonArray());
    return new Event(UUID.randomUUID().toString(), "care.post.created", "minamiminowa", "ina",
        List.of(patientId, postId), Instant.now(), Json.parseObject(new JsonObject().put("author", author(loginId))
            .put("post", post).encode()));
  }

  /** Sends an envelope to ina's listener as the node {@code from}, over mutual TLS. */
  private FederationClient.Reply submit(TsunaguNode from, String boardId, String eventId, String envelope)
      throws Exception {
    FederationClient client = FederationClient.of(from.vertx(), TestNodes.federation(from));
    try {
      return client.call(identity(ina).card(), HttpMethod.POST, String.format(FederationV1.SUBMISSION, boardId,
          eventId), Buffer.buffer(envelope), FederationV1.JOSE).await(20, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  private static String code(FederationClient.Reply reply) {
    return ErrorResponse.parse(reply.body().toString()).code();
  }

  private long eventsAtHome() {
    return ina.services().database().submitRead(c -> {
      try (var s = c.prepareStatement("select count(*) from team_events where board_id = ?")) {
        s.setString(1, patientId);
        try (var rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }).join();
  }

  @Test
  void a_remote_post_is_accepted_sequenced_and_countersigned_once() throws Exception {
    long before = eventsAtHome();
    Event event = post("mm-nurse", "体温37.2度。経過観察。");
    String envelope = EventEnvelope.sign(event, identity(minamiminowa));
    FederationClient.Reply reply = submit(minamiminowa, patientId, event.id(), envelope);
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    String countersigned = new JsonObject(reply.body()).getString("event");
    SequencedEvent sequenced = EventEnvelope.verifyCountersigned(countersigned,
        TrustStore.of(List.of(identity(ina).card(), identity(minamiminowa).card())));
    assertThat(sequenced.sequence()).isGreaterThan(before);
    assertThat(sequenced.origin().event().id()).isEqualTo(event.id());

    FederationClient.Reply again = submit(minamiminowa, patientId, event.id(), envelope);
    assertThat(new JsonObject(again.body()).getString("event")).isEqualTo(countersigned);
    assertThat(CrossNodeTestbed.bodies(doctor, patientId)).containsOnlyOnce("体温37.2度。経過観察。");
  }

  @Test
  void a_forged_origin_signature_is_refused_and_changes_nothing() throws Exception {
    long before = eventsAtHome();
    NodeIdentity forger = NodeIdentity.create(dir.resolve("forger"), new NodeProfile("minamiminowa", "偽",
        List.of(MunicipalityCode.parse("203858")), URI.create("https://127.0.0.1:1")));
    Event event = post("mm-nurse", "偽の投稿");
    assertThat(code(submit(minamiminowa, patientId, event.id(), EventEnvelope.sign(event, forger))))
        .isEqualTo("envelope.kid_unknown");
    String genuine = EventEnvelope.sign(event, identity(minamiminowa));
    String[] parts = genuine.split("\\.");
    String tampered = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? "B" : "A") + parts[2].substring(1);
    assertThat(code(submit(minamiminowa, patientId, event.id(), tampered))).isEqualTo("envelope.signature_invalid");
    assertThat(eventsAtHome()).isEqualTo(before);
    assertThat(CrossNodeTestbed.bodies(doctor, patientId)).doesNotContain("偽の投稿");
  }

  @Test
  void a_replay_of_an_accepted_event_id_with_other_content_is_refused() throws Exception {
    Event original = post("mm-nurse", "初回の内容");
    assertThat(submit(minamiminowa, patientId, original.id(), EventEnvelope.sign(original, identity(minamiminowa)))
        .status()).isEqualTo(200);
    long before = eventsAtHome();
    Event replay = new Event(original.id(), original.type(), original.origin(), original.home(), original.targets(),
        original.issuedAt(), Json.parseObject(new JsonObject(original.data()).copy().put("author",
            author("mm-nurse")).encode().replace("初回の内容", "書き換えた内容")));
    FederationClient.Reply reply = submit(minamiminowa, patientId, replay.id(),
        EventEnvelope.sign(replay, identity(minamiminowa)));
    assertThat(reply.status()).isEqualTo(409);
    assertThat(code(reply)).isEqualTo("sync.event_replayed");
    assertThat(eventsAtHome()).isEqualTo(before);
    assertThat(CrossNodeTestbed.bodies(doctor, patientId)).doesNotContain("書き換えた内容");
  }

  @Test
  void ids_in_the_path_must_equal_the_signed_ones() throws Exception {
    long before = eventsAtHome();
    Event event = post("mm-nurse", "パスの違う投稿");
    String envelope = EventEnvelope.sign(event, identity(minamiminowa));
    assertThat(code(submit(minamiminowa, "0000other-board", event.id(), envelope))).isEqualTo("envelope.id_mismatch");
    assertThat(code(submit(minamiminowa, patientId, UUID.randomUUID().toString(), envelope)))
        .isEqualTo("envelope.id_mismatch");
    assertThat(eventsAtHome()).isEqualTo(before);
  }

  @Test
  void a_non_members_submission_is_refused_and_stays_refused() throws Exception {
    long before = eventsAtHome();
    Event event = post("mm-helper", "メンバーでない人の投稿");
    String envelope = EventEnvelope.sign(event, identity(minamiminowa));
    FederationClient.Reply reply = submit(minamiminowa, patientId, event.id(), envelope);
    assertThat(reply.status()).isEqualTo(422);
    assertThat(code(reply)).isEqualTo("sync.not_a_member");
    assertThat(eventsAtHome()).isEqualTo(before);

    doctor.post("/api/v1/patients/" + patientId + "/team/invitations",
        new JsonObject().put("userId", "mm-helper@minamiminowa").put("teamRole", "訪問介護"));
    assertThat(code(submit(minamiminowa, patientId, event.id(), envelope))).isEqualTo("sync.not_a_member");
    assertThat(CrossNodeTestbed.bodies(doctor, patientId)).doesNotContain("メンバーでない人の投稿");
  }

  @Test
  void a_submission_from_a_partner_without_the_care_team_scope_is_refused() throws Exception {
    TsunaguNode inazawa = bed.startNode("inazawa");
    Instant now = Instant.now();
    var resourcesOnly = AgreementDrafts.signed("ina-inazawa", "地域資源の相互参照に関する協定",
        List.of(identity(ina), identity(inazawa)), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
        List.of(Scopes.RESOURCES_DIRECTORY), 30);
    for (TsunaguNode node : List.of(ina, inazawa)) {
      TestNodes.federation(node).agreements().importDocument(resourcesOnly.toCompactJson())
          .await(20, TimeUnit.SECONDS);
    }
    long before = eventsAtHome();
    Event event = new Event(UUID.randomUUID().toString(), "care.post.created", "inazawa", "ina",
        List.of(patientId), Instant.now(), Json.parseObject(new JsonObject().put("author", new JsonObject()
            .put("id", "someone@inazawa")).encode()));
    FederationClient.Reply reply = submit(inazawa, patientId, event.id(), EventEnvelope.sign(event, identity(inazawa)));
    assertThat(code(reply)).isEqualTo("sync.scope_missing");
    assertThat(eventsAtHome()).isEqualTo(before);
  }
}
