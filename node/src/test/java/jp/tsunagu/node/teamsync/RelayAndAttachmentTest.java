package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.bodies;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.envelope.VerifiedEvent;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.federation.FederationClient;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.care.attachments.AttachmentTest;
import jp.tsunagu.node.care.timeline.PostSql;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareActor;

/**
 * Three Kamiina nodes in one team (伊那市 home, a 南箕輪村 nurse, a 箕輪町 pharmacist): what the home
 * node relays is checked against the key of the node that signed it, and attachments travel by hash.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayAndAttachmentTest {

  @TempDir
  static Path dir;
  @AutoClose
  CrossNodeTestbed bed;
  CareClient doctor;
  CareClient nurse;
  CareClient pharmacist;
  String patientId;

  @BeforeAll
  void teamOfThreeNodes() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa", "minowa");
    doctor = bed.inaDoctor();
    nurse = bed.mmNurse();
    pharmacist = bed.professional("minowa", "mw-pharm", "箕輪", "pharmacist", "みのわ薬局", "pharmacy");
    patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "竹松");
    CrossNodeTestbed.join(doctor, pharmacist, "mw-pharm@minowa", patientId);
  }

  private NodeIdentity identity(String node) {
    return bed.node(node).services().keys().identity();
  }

  @Test
  void a_post_signed_by_one_partner_reaches_another_through_the_home_node() {
    nurse.post("/api/v1/patients/" + patientId + "/posts", CrossNodeTestbed.note("南箕輪村から：疼痛増強なし。"));
    eventually("the nurse's post reaches the pharmacist's node", () ->
        bodies(pharmacist, patientId).contains("南箕輪村から：疼痛増強なし。"));
  }

  @Test
  void a_relayed_event_whose_origin_signature_does_not_verify_is_refused_by_the_receiving_node() throws Exception {
    String postId = CareIds.next();
    Event event = new Event(UUID.randomUUID().toString(), "care.post.created", "minamiminowa", "ina",
        List.of(patientId, postId), Instant.now(), Json.parseObject(new JsonObject()
            .put("author", new JsonObject().put("id", "mm-nurse@minamiminowa").put("familyName", "南箕"))
            .put("post", new JsonObject().put("id", postId).put("category", "連絡").put("kind", "note")
                .put("body", "中継で書き換えられた投稿").put("createdAt", Instant.now().toString())
                .put("recipients", new JsonArray()).put("attachments", new JsonArray())).encode()));
    String genuine = EventEnvelope.sign(event, identity("minamiminowa"));
    String[] parts = genuine.split("\\.");
    String forged = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? "B" : "A") + parts[2].substring(1);
    long latest = bed.node("ina").services().database().submitRead(c -> TeamLogSql.latestSeq(c, patientId)).join();
    String countersigned = EventEnvelope.countersign(new VerifiedEvent(event, identity("minamiminowa").signingKeyId(),
        forged), latest + 1000, Instant.now(), identity("ina"));

    TsunaguNode ina = bed.node("ina");
    FederationClient client = FederationClient.of(ina.vertx(), TestNodes.federation(ina));
    try {
      FederationClient.Reply reply = client.call(identity("minowa").card(), HttpMethod.POST,
          String.format(FederationV1.BOARD_EVENTS, patientId), new JsonObject().put("events",
              new JsonArray().add(countersigned)).toBuffer(), "application/json").await(20, TimeUnit.SECONDS);
      assertThat(reply.status()).isEqualTo(200);
      JsonObject result = new JsonObject(reply.body()).getJsonArray("results").getJsonObject(0);
      assertThat(result.getString("status")).isEqualTo("rejected");
      assertThat(result.getString("code")).isEqualTo("envelope.signature_invalid");
    } finally {
      client.close();
    }
    assertThat(bodies(pharmacist, patientId)).doesNotContain("中継で書き換えられた投稿");
  }

  @Test
  void one_bad_event_in_a_pushed_batch_is_rejected_alone_and_the_home_node_keeps_the_rejection() {
    TsunaguNode ina = bed.node("ina");
    TeamSync sync = ina.feature(TeamSyncFeature.class).team();
    String[] bodies = {"一括の1件目", "一括の2件目（壊れた署名）", "一括の3件目"};
    CareActor author = CrossNodeTestbed.actor(ina, doctor.userId);
    EventSigner signer = sync.log().signer();
    signer.hold();
    ina.services().database().submitWrite(c -> {
      for (String body : bodies) {
        String postId = CareIds.next();
        PostSql.insert(c, new PostSql.NewPost(postId, patientId, author, "連絡", "note", body, null, null,
            List.of(), List.of()), Instant.now().toString());
        sync.log().record(c, patientId, sync.log().events().post(c, postId));
      }
      return null;
    }).join();
    // signed as the signer signs them, the middle event's countersignature broken, as a damaged log would send it
    ina.services().database().submitWrite(c -> {
      long middle = TeamLogSql.latestSeq(c, patientId) - 1;
      List<TeamLogSql.Signed> signed = new java.util.ArrayList<>();
      for (TeamLogSql.Unsigned event : TeamLogSql.unsigned(c, EventSigner.PAGE)) {
        String envelope = signer.sign(event);
        signed.add(new TeamLogSql.Signed(event.boardId(), event.seq(), event.seq() == middle
            ? envelope.substring(0, envelope.length() - 4) + "AAAA" : envelope));
      }
      TeamLogSql.signed(c, signed);
      return null;
    }).join();
    signer.release();
    ina.vertx().eventBus().publish(jp.tsunagu.node.care.replication.TeamReplication.BOARD_CHANGED, patientId);

    for (CareClient member : List.of(nurse, pharmacist)) {
      eventually("the events around the bad one arrive", () -> bodies(member, patientId).contains("一括の3件目"));
      assertThat(bodies(member, patientId)).contains("一括の1件目").doesNotContain("一括の2件目（壊れた署名）");
    }
    List<String> partners = List.of("minamiminowa", "minowa");
    for (String partner : partners) {
      assertThat(CrossNodeTestbed.count(bed.node(partner), "select count(*) from replica_skipped_events where code = ?",
          "envelope.signature_invalid")).as("skipped on " + partner).isEqualTo(1);
    }
    // The home node hears of a rejection from the answer to its push. A partner that pulled the page first
    // (it pulls every second after a failed call, as a heavily loaded machine makes them, and at once when
    // the home is heard from again) skipped the event on its own and answers the push of it as held, by design:
    // no news to the home node. The test assumed the push came first and failed now and then at load 50+.
    // Once every partner acknowledged the board, what the home node keeps is final: the rejection of each
    // partner its push reached first, kept once and audited once.
    eventually("every partner acknowledged the board", () -> partners.stream()
        .allMatch(partner -> CrossNodeTestbed.peer(ina, partner).getLong("backlog") == 0));
    long kept = 0;
    for (String partner : partners) {
      long rejected = CrossNodeTestbed.peer(ina, partner).getLong("rejected");
      assertThat(rejected).as("rejections kept of " + partner).isBetween(0L, 1L);
      kept += rejected;
    }
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from audit_log where action = ?", "sync.push.rejected"))
        .isEqualTo(kept);
    nurse.post("/api/v1/patients/" + patientId + "/posts", CrossNodeTestbed.note("その後の訪問記録"));
    eventually("later events still flow", () -> bodies(pharmacist, patientId).contains("その後の訪問記録"));
  }

  @Test
  void a_photo_posted_on_a_replica_travels_by_hash_to_the_home_node_and_the_other_partner() {
    byte[] photo = AttachmentTest.image(320, 240, "jpg");
    String uploaded = nurse.upload(photo, "sacrum.jpg", "image/jpeg").json().getString("id");
    JsonObject post = CrossNodeTestbed.note("仙骨部の写真です。").put("attachments", new JsonArray().add(uploaded));
    assertThat(nurse.post("/api/v1/patients/" + patientId + "/posts", post).status()).isEqualTo(201);
    for (CareClient reader : List.of(doctor, pharmacist)) {
      eventually("the photo's post arrives", () -> bodies(reader, patientId).contains("仙骨部の写真です。"));
      JsonObject arrived = reader.get("/api/v1/patients/" + patientId + "/posts").json().getJsonArray("posts")
          .stream().map(JsonObject.class::cast).filter(p -> p.getString("body").equals("仙骨部の写真です。"))
          .findFirst().orElseThrow();
      String attachment = arrived.getJsonArray("attachments").getJsonObject(0).getString("id");
      assertThat(reader.download("/api/v1/attachments/" + attachment).body()).isEqualTo(photo);
    }
  }
}
