package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.envelope.VerifiedEvent;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.wire.ErrorResponse;
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
import jp.tsunagu.node.care.replication.TeamEvents;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.CareClient;

/**
 * A partner node turned hostile: minamiminowa, with its own real keys and pinned certificate, sends
 * ina the exact events an attacker would, pushed as a home node and submitted as a member's node.
 * Every one is refused with its stable code, and ina's care tables are unchanged (row counts of every
 * table before and after); only the audit log and the bounded record of a refusal grow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostilePartnerTest {

  @TempDir
  static Path dir;
  @AutoClose
  CrossNodeTestbed bed;
  TsunaguNode ina;
  TsunaguNode hostile;
  TsunaguNode minowa;
  CareClient inaDoctor;
  CareClient inaKango;
  CareClient mmNurse;
  CareClient minowaIshi;
  /** Homed at ina, with minamiminowa's nurse in the team. */
  String shared;
  String sharedPost;
  /** Homed at ina, nobody of another node in the team; and one of its posts. */
  String localOnly;
  String localPost;
  /** Homed at minamiminowa, ina's doctor in the team: ina holds a replica. */
  String replica;
  String replicaPost;

  static final List<String> CARE_TABLES = List.of("care_boards", "patients", "board_members", "posts",
      "post_versions", "post_recipients", "post_reads", "comments", "attachments", "vitals", "team_events", "users",
      "sync_outbox", "invitation_deliveries");

  @BeforeAll
  void teams() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa", "minowa");
    ina = bed.node("ina");
    hostile = bed.node("minamiminowa");
    minowa = bed.node("minowa");
    inaDoctor = bed.inaDoctor();
    inaKango = bed.professional("ina", "ina-kango", "看護", "nurse", "伊那訪問看護ステーション", "home_nursing");
    mmNurse = bed.mmNurse();
    minowaIshi = bed.professional("minowa", "minowa-ishi", "箕輪", "doctor", "箕輪町クリニック", "clinic");
    shared = CrossNodeTestbed.sharedPatient(inaDoctor, mmNurse, "mm-nurse@minamiminowa", "唐木");
    sharedPost = inaDoctor.post("/api/v1/patients/" + shared + "/posts", CrossNodeTestbed.note("共有の記録")).json()
        .getString("id");
    localOnly = inaDoctor.post("/api/v1/patients", CrossNodeTestbed.patient("春日", "202096")).json().getString("id");
    localPost = inaDoctor.post("/api/v1/patients/" + localOnly + "/posts", CrossNodeTestbed.note("伊那だけの記録"))
        .json().getString("id");
    String replicaPatient = mmNurse.post("/api/v1/patients", CrossNodeTestbed.patient("有賀", "203858")).json()
        .getString("id");
    CrossNodeTestbed.join(mmNurse, inaDoctor, "ina-doctor@ina", replicaPatient);
    replica = replicaPatient;
    replicaPost = mmNurse.post("/api/v1/patients/" + replica + "/posts", CrossNodeTestbed.note("南箕輪の記録"))
        .json().getString("id");
    eventually("the replica at ina has the post", () -> CrossNodeTestbed.bodies(inaDoctor, replica)
        .contains("南箕輪の記録"));
  }

  // ----- making and sending events as the hostile node ---------------------------------------------

  private static NodeIdentity identity(TsunaguNode node) {
    return node.services().keys().identity();
  }

  static JsonObject profile(String federatedId, String family) {
    return new JsonObject().put("id", federatedId).put("familyName", family).put("givenName", "太郎")
        .put("familyKana", "ニセ").put("givenKana", "タロウ").put("profession", "doctor").put("facility", "偽クリニック");
  }

  private static Event event(String type, String origin, String home, List<String> targets, JsonObject data) {
    return new Event(UUID.randomUUID().toString(), type, origin, home, targets, Instant.now(),
        Json.parseObject(data.encode()));
  }

  /** A comment event from minamiminowa as home: on {@code board}, targeting {@code targetPost}, naming {@code postId}. */
  private static Event forgedComment(String board, String targetPost, String postId, String author) {
    return event(TeamEvents.COMMENT, "minamiminowa", "minamiminowa", List.of(board, targetPost), new JsonObject()
        .put("author", profile(author, "南箕")).put("comment", new JsonObject().put("id", CareIds.next())
            .put("postId", postId).put("body", "偽のコメント").put("createdAt", Instant.now().toString())));
  }

  private static JsonObject patientJson() {
    return new JsonObject().put("familyName", "偽").put("givenName", "患者").put("familyKana", "ニセ")
        .put("givenKana", "カンジャ").put("birthDate", "1940-01-01").put("sex", "female").put("address", "")
        .put("municipalityCode", "203840").put("phone", "").put("familyDoctor", "").put("careLevel", "")
        .put("emergencyContacts", "").put("acpNotes", "").put("remarks", "").put("status", "active");
  }

  /** How far ina's copy of a board has applied (its next pushed event must be one past it). */
  private long cursor(String boardId) {
    return CrossNodeTestbed.count(ina, "select max(coalesce((select max(seq) from team_events where board_id = ?1), 0),"
        + " coalesce((select max(seq) from replica_skipped_events where board_id = ?1), 0))", boardId);
  }

  /** Pushes events to ina as the home node {@code from}, numbered from ina's cursor; returns the results. */
  private List<JsonObject> push(TsunaguNode from, String pathBoard, List<Event> events) throws Exception {
    return push(from, pathBoard, sequenced(from, events, cursor(pathBoard) + 1));
  }

  /** The events signed and countersigned by {@code from} as their home node, numbered from {@code firstSeq}. */
  private static JsonArray sequenced(TsunaguNode from, List<Event> events, long firstSeq) {
    long seq = firstSeq;
    JsonArray envelopes = new JsonArray();
    for (Event e : events) {
      String compact = EventEnvelope.sign(e, identity(from));
      envelopes.add(EventEnvelope.countersign(new VerifiedEvent(e, identity(from).signingKeyId(), compact), seq++,
          Instant.now(), identity(from)));
    }
    return envelopes;
  }

  /** Pushes countersigned envelopes to ina as the home node {@code from}; returns the results. */
  private List<JsonObject> push(TsunaguNode from, String pathBoard, JsonArray envelopes) throws Exception {
    FederationClient.Reply reply = call(from, HttpMethod.POST, String.format(FederationV1.BOARD_EVENTS, pathBoard),
        new JsonObject().put("events", envelopes).toBuffer(), "application/json");
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    List<JsonObject> results = new ArrayList<>();
    new JsonObject(reply.body()).getJsonArray("results").forEach(r -> results.add((JsonObject) r));
    return results;
  }

  private FederationClient.Reply submit(String pathBoard, Event event) throws Exception {
    return call(hostile, HttpMethod.POST, String.format(FederationV1.SUBMISSION, pathBoard, event.id()),
        Buffer.buffer(EventEnvelope.sign(event, identity(hostile))), FederationV1.JOSE);
  }

  private FederationClient.Reply call(TsunaguNode from, HttpMethod method, String path, Buffer body, String type)
      throws Exception {
    FederationClient client = FederationClient.of(from.vertx(), TestNodes.federation(from));
    try {
      return client.call(identity(ina).card(), method, path, body, type).await(20, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  private static String code(FederationClient.Reply reply) {
    return ErrorResponse.parse(reply.body().toString()).code();
  }

  /** Row counts of every care table of ina. */
  private Map<String, Long> careRows() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : CARE_TABLES) {
      counts.put(table, ina.services().database().submitRead(c -> {
        try (var s = c.createStatement(); var rs = s.executeQuery("select count(*) from " + table)) {
          rs.next();
          return rs.getLong(1);
        }
      }).join());
    }
    return counts;
  }

  private static List<String> codes(List<JsonObject> results) {
    return results.stream().map(r -> r.getString("status") + ":" + r.getString("code")).toList();
  }

  // ----- every event type, twisted every way --------------------------------------------------------

  @Test
  void every_event_type_pushed_with_a_wrong_board_author_or_post_is_refused_and_changes_nothing() throws Exception {
    Map<String, Long> before = careRows();
    HostileEvents events = new HostileEvents("minamiminowa", "minamiminowa", "mm-nurse@minamiminowa");
    List<HostileEvents.Twisted> all = events.all(replica, replicaPost, localOnly, localPost, "ina-kango@ina");
    for (HostileEvents.Twisted t : all) {
      assertThat(codes(push(hostile, replica, List.of(t.event())))).as(t.type() + " with " + t.twist())
          .containsExactly("rejected:" + t.expectedCode());
    }
    HostileEvents fromMinowa = new HostileEvents("minowa", "minowa", "minowa-ishi@minowa");
    for (String type : TeamEvents.TYPES) {
      assertThat(codes(push(minowa, replica, List.of(fromMinowa.valid(type, replica, replicaPost,
          "minowa-ishi@minowa"))))).as(type + " pushed by a node that is not the board's home")
          .containsExactly("rejected:sync.not_home_node");
    }
    assertThat(all).hasSizeGreaterThan(2 * TeamEvents.TYPES.size());
    assertThat(careRows()).isEqualTo(before);
  }

  @Test
  void every_event_type_submitted_with_a_wrong_board_author_or_post_is_refused_and_changes_nothing()
      throws Exception {
    Map<String, Long> before = careRows();
    HostileEvents events = new HostileEvents("minamiminowa", "ina", "mm-nurse@minamiminowa");
    for (HostileEvents.Twisted t : events.all(shared, sharedPost, localOnly, localPost, "minowa-ishi@minowa")) {
      FederationClient.Reply reply = submit(shared, t.event());
      assertThat(reply.status()).as(t.type() + " with " + t.twist()).isEqualTo(422);
      assertThat(code(reply)).as(t.type() + " with " + t.twist()).isEqualTo(t.expectedCode());
    }
    for (String type : List.of(TeamEvents.OPENED, TeamEvents.PATIENT)) {
      FederationClient.Reply reply = submit(shared, events.valid(type, shared, sharedPost, "mm-nurse@minamiminowa"));
      assertThat(code(reply)).as(type + " from a member's node").isEqualTo("sync.type_not_allowed");
    }
    assertThat(careRows()).isEqualTo(before);
  }

  // ----- attack 1: forged comments ----------------------------------------------------------------------

  @Test
  void a_comment_forged_under_inas_own_nurse_on_a_made_up_board_is_refused_and_changes_nothing() throws Exception {
    Map<String, Long> before = careRows();
    String madeUp = CareIds.next();
    Event opened = event(TeamEvents.OPENED, "minamiminowa", "minamiminowa", List.of(madeUp), new JsonObject()
        .put("author", profile("mm-nurse@minamiminowa", "南箕")).put("patient", patientJson()));
    Event comment = forgedComment(madeUp, localPost, localPost, "ina-kango@ina");
    assertThat(codes(push(hostile, madeUp, List.of(opened, comment))))
        .containsOnly("rejected:sync.board_not_shared");
    assertThat(careRows()).isEqualTo(before);
  }

  @Test
  void on_a_real_replica_a_forged_author_a_post_of_another_board_and_a_mismatched_target_are_refused()
      throws Exception {
    Map<String, Long> before = careRows();
    Event forgedAuthor = forgedComment(replica, replicaPost, replicaPost, "ina-kango@ina");
    Event otherBoard = forgedComment(replica, localPost, localPost, "mm-nurse@minamiminowa");
    Event mismatched = forgedComment(replica, replicaPost, localPost, "mm-nurse@minamiminowa");
    assertThat(codes(push(hostile, replica, List.of(forgedAuthor)))).containsExactly("rejected:sync.author_not_origin");
    assertThat(codes(push(hostile, replica, List.of(otherBoard)))).containsExactly("rejected:sync.object_not_on_board");
    assertThat(codes(push(hostile, replica, List.of(mismatched)))).containsExactly("rejected:envelope.id_mismatch");
    assertThat(careRows()).isEqualTo(before);
  }

  @Test
  void a_page_pushed_again_is_answered_as_held_and_another_event_at_a_held_seq_as_a_seq_conflict() throws Exception {
    // a board of its own, its replica at ina caught up with the home before anything is pushed by hand
    String board = mmNurse.post("/api/v1/patients", CrossNodeTestbed.patient("宮坂", "203858")).json().getString("id");
    CrossNodeTestbed.join(mmNurse, inaDoctor, "ina-doctor@ina", board);
    eventually("ina's replica has what the home node logged", () -> cursor(board) > 0 && cursor(board)
        == CrossNodeTestbed.count(hostile, "select coalesce(max(seq), 0) from team_events where board_id = ?", board));
    HostileEvents events = new HostileEvents("minamiminowa", "minamiminowa", "mm-nurse@minamiminowa");
    long seq = cursor(board) + 1;
    JsonArray page = sequenced(hostile, List.of(events.valid(TeamEvents.POST, board, CareIds.next(),
        "mm-nurse@minamiminowa")), seq);
    assertThat(codes(push(hostile, board, page))).containsExactly("accepted:null");
    Map<String, Long> before = careRows();
    assertThat(codes(push(hostile, board, page))).containsExactly("held:null");
    JsonArray other = sequenced(hostile, List.of(events.valid(TeamEvents.POST, board, CareIds.next(),
        "mm-nurse@minamiminowa")), seq);
    assertThat(codes(push(hostile, board, other))).containsExactly("rejected:sync.seq_conflict");
    assertThat(careRows()).isEqualTo(before);
    assertThat(cursor(board)).isEqualTo(seq);
  }

  // ----- attack 2: unsolicited boards and forced membership -------------------------------------------

  @Test
  void a_board_pushed_unasked_with_inas_nurse_made_a_member_is_refused_and_she_sees_nothing() throws Exception {
    Map<String, Long> before = careRows();
    String fake = CareIds.next();
    Event opened = event(TeamEvents.OPENED, "minamiminowa", "minamiminowa", List.of(fake), new JsonObject()
        .put("author", profile("mm-nurse@minamiminowa", "南箕")).put("patient", patientJson()));
    Event invited = event(TeamEvents.INVITED, "minamiminowa", "minamiminowa", List.of(fake), new JsonObject()
        .put("author", profile("mm-nurse@minamiminowa", "南箕")).put("member", profile("ina-kango@ina", "看護"))
        .put("teamRole", "訪問看護"));
    Event active = event(TeamEvents.MEMBER, "minamiminowa", "minamiminowa", List.of(fake), new JsonObject()
        .put("author", profile("mm-nurse@minamiminowa", "南箕")).put("member", "ina-kango@ina").put("status", "active"));
    assertThat(codes(push(hostile, fake, List.of(opened, invited, active))))
        .containsOnly("rejected:sync.board_not_shared");
    assertThat(careRows()).isEqualTo(before);
    assertThat(inaKango.get("/api/v1/patients").body()).doesNotContain(fake);
    assertThat(inaKango.get("/api/v1/patients/" + fake).status()).isEqualTo(404);
  }

  @Test
  void on_a_real_replica_the_home_node_cannot_make_inas_professional_an_active_member() throws Exception {
    Map<String, Long> before = careRows();
    Event active = event(TeamEvents.MEMBER, "minamiminowa", "minamiminowa", List.of(replica), new JsonObject()
        .put("author", profile("mm-nurse@minamiminowa", "南箕")).put("member", "ina-kango@ina").put("status", "active"));
    assertThat(codes(push(hostile, replica, List.of(active)))).containsExactly("rejected:sync.consent_required");
    assertThat(careRows()).isEqualTo(before);
  }

  @Test
  void on_a_real_replica_the_home_node_cannot_edit_or_delete_inas_doctors_post_for_her() throws Exception {
    // a board of its own: the other tests' pushes moved the shared replica's cursor past the real home's
    String board = mmNurse.post("/api/v1/patients", CrossNodeTestbed.patient("小松", "203858")).json().getString("id");
    CrossNodeTestbed.join(mmNurse, inaDoctor, "ina-doctor@ina", board);
    String own = inaDoctor.post("/api/v1/patients/" + board + "/posts", CrossNodeTestbed.note("伊那の医師の所見"))
        .json().getString("id");
    eventually("her post is sequenced back to her replica", () -> CrossNodeTestbed.count(ina,
        "select count(*) from team_events where board_id = ? and type = 'care.post.created' and origin = 'ina'",
        board) > 0);
    Map<String, Long> before = careRows();
    HostileEvents events = new HostileEvents("minamiminowa", "minamiminowa", "mm-nurse@minamiminowa");
    for (String type : List.of(TeamEvents.EDITED, TeamEvents.DELETED)) {
      assertThat(codes(push(hostile, board, List.of(events.valid(type, board, own, "mm-nurse@minamiminowa")))))
          .as(type).containsExactly("rejected:care.not_author");
    }
    assertThat(careRows()).isEqualTo(before);
    assertThat(CrossNodeTestbed.bodies(inaDoctor, board)).contains("伊那の医師の所見");
  }

  @Test
  void an_invitation_arrives_as_one_she_can_decline_and_declining_leaves_nothing_behind() throws Exception {
    Map<String, Long> before = careRows();
    String board = CareIds.next();
    JsonObject data = new JsonObject().put("member", "ina-kango@ina").put("teamRole", "訪問看護")
        .put("invitedAt", Instant.now().toString()).put("invitedBy", profile("mm-nurse@minamiminowa", "南箕"))
        .put("patient", patientJson());
    Event offer = event(TeamInvitations.OFFERED, "minamiminowa", "minamiminowa", List.of(board), data);
    FederationClient.Reply reply = call(hostile, HttpMethod.POST, String.format(FederationV1.INVITATION, board),
        Buffer.buffer(EventEnvelope.sign(offer, identity(hostile))), FederationV1.JOSE);
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    assertThat(inaKango.get("/api/v1/invitations").body()).contains(board);
    assertThat(inaKango.get("/api/v1/patients").body()).doesNotContain(board);
    assertThat(inaKango.get("/api/v1/patients/" + board + "/posts").status()).isEqualTo(404);

    assertThat(inaKango.post("/api/v1/invitations/" + board + "/decline", new JsonObject()).status()).isEqualTo(204);
    eventually("the declined invitation's board is gone from ina", () -> CrossNodeTestbed.count(ina,
        "select count(*) from care_boards where id = ?", board) == 0);
    Map<String, Long> after = careRows();
    after.remove("users");
    Map<String, Long> expected = new LinkedHashMap<>(before);
    expected.remove("users"); // the inviter's shadow stays, as any partner professional's does
    assertThat(after).isEqualTo(expected);
  }

  @Test
  void an_invitation_of_someone_who_is_not_a_professional_of_ina_or_for_one_of_inas_boards_is_refused()
      throws Exception {
    Map<String, Long> before = careRows();
    for (String[] c : new String[][] {{"nobody@ina", CareIds.next(), "sync.user_unknown"},
        {"ina-kango@ina", localOnly, "sync.not_home_node"}}) {
      JsonObject data = new JsonObject().put("member", c[0]).put("teamRole", "訪問看護")
          .put("invitedAt", Instant.now().toString()).put("invitedBy", profile("mm-nurse@minamiminowa", "南箕"))
          .put("patient", patientJson());
      Event offer = event(TeamInvitations.OFFERED, "minamiminowa", "minamiminowa", List.of(c[1]), data);
      FederationClient.Reply reply = call(hostile, HttpMethod.POST, String.format(FederationV1.INVITATION, c[1]),
          Buffer.buffer(EventEnvelope.sign(offer, identity(hostile))), FederationV1.JOSE);
      assertThat(reply.status()).isEqualTo(422);
      assertThat(code(reply)).isEqualTo(c[2]);
    }
    assertThat(careRows()).isEqualTo(before);
  }

  // ----- attack 3: a third party's profile written by the inviter ----------------------------------------

  @Test
  void an_inviter_cannot_say_who_a_third_nodes_professional_is_and_history_waits_for_acceptance()
      throws Exception {
    String patient = inaDoctor.post("/api/v1/patients", CrossNodeTestbed.patient("竹松", "202096")).json()
        .getString("id");
    inaDoctor.post("/api/v1/patients/" + patient + "/posts", CrossNodeTestbed.note("竹松さんの経過"));
    CrossNodeTestbed.join(inaDoctor, mmNurse, "mm-nurse@minamiminowa", patient);
    Event invite = event(TeamEvents.INVITED, "minamiminowa", "ina", List.of(patient), new JsonObject()
        .put("author", profile("mm-nurse@minamiminowa", "南箕")).put("member", profile("minowa-ishi@minowa", "偽名"))
        .put("teamRole", "副主治医"));
    FederationClient.Reply reply = submit(patient, invite);
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from users where id = ? and family_name = '偽名'",
        "minowa-ishi@minowa")).isZero();

    eventually("the invitation reaches minowa", () -> minowaIshi.get("/api/v1/invitations").body().contains(patient));
    assertThat(CrossNodeTestbed.count(minowa, "select count(*) from team_events where board_id = ?", patient))
        .as("no history before acceptance").isZero();
    assertThat(CrossNodeTestbed.count(minowa, "select count(*) from posts where board_id = ?", patient)).isZero();
    assertThat(CrossNodeTestbed.count(minowa, "select count(*) from patients where id = ? and address = ''", patient))
        .as("the invitation holds the name, not the record").isEqualTo(1);

    minowaIshi.post("/api/v1/invitations/" + patient + "/accept", new JsonObject());
    eventually("the history arrives once she accepted", () -> CrossNodeTestbed.bodies(minowaIshi, patient)
        .contains("竹松さんの経過"));
    eventually("her own node's profile names her at ina", () -> CrossNodeTestbed.count(ina,
        "select count(*) from users where id = ? and family_name = '箕輪'", "minowa-ishi@minowa") == 1);
  }

  @Test
  void a_direct_post_a_partner_addresses_to_its_author_alone_is_refused_as_on_the_nodes_own_screen()
      throws Exception {
    Map<String, Long> before = careRows();
    Event post = post("mm-nurse@minamiminowa", "自分だけの特別便");
    JsonObject data = new JsonObject(post.data());
    data.getJsonObject("post").put("recipients", new JsonArray().add("mm-nurse@minamiminowa"));
    FederationClient.Reply reply = submit(shared, new Event(post.id(), post.type(), post.origin(), post.home(),
        post.targets(), post.issuedAt(), Json.parseObject(data.encode())));
    assertThat(reply.status()).isEqualTo(422);
    assertThat(code(reply)).isEqualTo("care.recipient_self_only");
    assertThat(careRows()).isEqualTo(before);
  }

  // ----- attack 4: the board in the path against the signed target ------------------------------------

  @Test
  void a_submission_whose_signed_board_differs_from_the_path_is_refused() throws Exception {
    Map<String, Long> before = careRows();
    String postId = CareIds.next();
    Event post = event(TeamEvents.POST, "minamiminowa", "ina", List.of(localOnly, shared, postId), new JsonObject()
        .put("author", profile("mm-nurse@minamiminowa", "南箕")).put("post", new JsonObject().put("id", postId)
            .put("category", "申し送り").put("kind", "note").put("body", "別の板への投稿")
            .put("createdAt", Instant.now().toString()).put("recipients", new JsonArray())
            .put("attachments", new JsonArray())));
    FederationClient.Reply reply = submit(shared, post);
    assertThat(reply.status()).isEqualTo(422);
    assertThat(code(reply)).isEqualTo("envelope.id_mismatch");
    assertThat(careRows()).isEqualTo(before);
  }

  // ----- attack 5: disk filling ------------------------------------------------------------------------------

  @Test
  void an_oversized_submission_is_refused_unread_and_a_refusal_keeps_only_id_hash_and_size() throws Exception {
    Map<String, Long> before = careRows();
    long refusedBefore = CrossNodeTestbed.count(ina, "select count(*) from refused_events where origin <> ?", "");
    Event huge = post("mm-nurse@minamiminowa", "あ".repeat(400_000));
    FederationClient.Reply reply = submit(shared, huge);
    assertThat(reply.status()).isEqualTo(422);
    assertThat(code(reply)).isEqualTo("envelope.too_large");
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from refused_events where origin <> ?", ""))
        .isEqualTo(refusedBefore);

    Event large = post("mm-helper@minamiminowa", "い".repeat(100_000));
    reply = submit(shared, large);
    assertThat(code(reply)).isEqualTo("sync.not_a_member");
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from refused_events where event_id = ? and size > 300000"
        + " and length(sha256) = 64 and length(message) <= 200", large.id())).isEqualTo(1);
    assertThat(careRows()).isEqualTo(before);
  }

  @Test
  void files_declared_too_many_or_too_large_are_refused_before_anything_is_fetched() throws Exception {
    Map<String, Long> before = careRows();
    JsonArray many = new JsonArray();
    for (int i = 0; i < Submissions.ATTACHMENTS_MAX + 1; i++) {
      many.add(attachment(100));
    }
    Event tooMany = postWith("mm-nurse@minamiminowa", many);
    assertThat(code(submit(shared, tooMany))).isEqualTo("sync.attachments_too_many");
    Event tooLarge = postWith("mm-nurse@minamiminowa", new JsonArray().add(attachment(10L * 1024 * 1024 * 1024)));
    assertThat(code(submit(shared, tooLarge))).isEqualTo("sync.attachment_too_large");
    // a non-member's file is never asked for: the answer is the membership refusal, not a failed fetch
    FederationClient.Reply nonMember = submit(shared, postWith("mm-helper@minamiminowa",
        new JsonArray().add(attachment(100))));
    assertThat(nonMember.status()).isEqualTo(422);
    assertThat(code(nonMember)).isEqualTo("sync.not_a_member");
    assertThat(careRows()).isEqualTo(before);
  }

  @Test
  void past_the_daily_cap_a_partners_refusals_are_answered_but_not_kept() throws Exception {
    long already = CrossNodeTestbed.count(ina, "select count(*) from refused_events where origin = ?", "minamiminowa");
    try {
      refusalsUpToTheCap(already);
      long kept = CrossNodeTestbed.count(ina, "select count(*) from refused_events where origin = ?", "minamiminowa");
      for (int i = 0; i < 3; i++) {
        assertThat(code(submit(shared, post("mm-helper@minamiminowa", "上限の後 " + i)))).isEqualTo("sync.not_a_member");
      }
      assertThat(CrossNodeTestbed.count(ina, "select count(*) from refused_events where origin = ?", "minamiminowa"))
          .as("one marker of the cap, nothing more").isEqualTo(kept + 1);
      assertThat(CrossNodeTestbed.count(ina, "select count(*) from audit_log where action = ?", "sync.refusals_capped"))
          .isEqualTo(1);
    } finally {
      ina.services().database().submitWrite(c -> {
        try (var s = c.prepareStatement("delete from refused_events where origin = 'minamiminowa'"
            + " and (event_id like 'filler-%' or code = 'sync.refusals_capped')")) {
          s.executeUpdate();
        }
        return null;
      }).join();
    }
  }

  /** Fills the day's refusals of minamiminowa up to the cap. */
  private void refusalsUpToTheCap(long already) {
    ina.services().database().submitWrite(c -> {
      try (var s = c.prepareStatement("insert into refused_events (event_id, origin, board_id, code, message,"
          + " sha256, size, refused_at) values (?, 'minamiminowa', ?, 'sync.not_a_member', '', null, 0, ?)")) {
        for (long i = already; i < Submissions.REFUSALS_KEPT_PER_DAY; i++) {
          s.setString(1, "filler-" + i);
          s.setString(2, shared);
          s.setString(3, Instant.now().toString());
          s.addBatch();
        }
        s.executeBatch();
      }
      return null;
    }).join();
  }

  // ----- attack 6: robustness ------------------------------------------------------------------------------------

  @Test
  void an_empty_submission_gets_a_stable_code_not_a_server_error() throws Exception {
    Map<String, Long> before = careRows();
    FederationClient.Reply reply = call(hostile, HttpMethod.POST, String.format(FederationV1.SUBMISSION, shared,
        UUID.randomUUID()), Buffer.buffer(), FederationV1.JOSE);
    assertThat(reply.status()).isEqualTo(422);
    assertThat(code(reply)).isEqualTo("envelope.malformed");
    reply = call(hostile, HttpMethod.POST, String.format(FederationV1.INVITATION, shared), Buffer.buffer(),
        FederationV1.JOSE);
    assertThat(code(reply)).isEqualTo("envelope.malformed");
    assertThat(careRows()).isEqualTo(before);
  }

  private Event post(String author, String body) {
    String postId = CareIds.next();
    return event(TeamEvents.POST, "minamiminowa", "ina", List.of(shared, postId), new JsonObject()
        .put("author", profile(author, "南箕")).put("post", new JsonObject().put("id", postId)
            .put("category", "申し送り").put("kind", "note").put("body", body)
            .put("createdAt", Instant.now().toString()).put("recipients", new JsonArray())
            .put("attachments", new JsonArray())));
  }

  private Event postWith(String author, JsonArray attachments) {
    Event plain = post(author, "添付つき");
    JsonObject data = new JsonObject(plain.data());
    data.getJsonObject("post").put("attachments", attachments);
    return new Event(plain.id(), plain.type(), plain.origin(), plain.home(), plain.targets(), plain.issuedAt(),
        Json.parseObject(data.encode()));
  }

  private static JsonObject attachment(long size) {
    return new JsonObject().put("id", CareIds.next()).put("sha256", "ab".repeat(32)).put("fileName", "a.png")
        .put("mediaType", "image/png").put("size", size);
  }
}
