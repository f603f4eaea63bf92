package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.bodies;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.note;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.care.timeline.PostSql;
import jp.tsunagu.node.care.forms.FormSamples;
import jp.tsunagu.node.care.categories.CategorySql;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareActor;

/**
 * One care team across two real nodes over real mutual TLS: a 伊那市 patient (home node ina) with a
 * 南箕輪村 visiting nurse (node minamiminowa) logged in to her own node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossNodeTeamTest {

  @TempDir
  static Path dir;
  @AutoClose
  CrossNodeTestbed bed;
  CareClient doctor;
  CareClient nurse;
  CareClient careManager;
  CareClient therapist;
  String patientId;

  @BeforeAll
  void teamAcrossTwoNodes() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    doctor = bed.inaDoctor();
    nurse = bed.mmNurse();
    careManager = bed.professional("ina", "ina-cm", "伊那", "care_manager", "伊那居宅介護支援事業所", "care_management");
    therapist = bed.professional("minamiminowa", "mm-pt", "南箕", "pt", "みなみみのわ訪問リハビリ",
        "home_nursing");
    patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "春日");
    CrossNodeTestbed.join(doctor, therapist, "mm-pt@minamiminowa", patientId);
    doctor.post("/api/v1/patients/" + patientId + "/team/invitations",
        new JsonObject().put("userId", careManager.userId).put("teamRole", "ケアマネジャー"));
    careManager.post("/api/v1/invitations/" + patientId + "/accept", new JsonObject());
    doctor.post("/api/v1/patients/" + patientId + "/posts", note("退院前カンファレンスの結果です。"));
  }

  @Test
  void the_remote_nurse_sees_the_patient_in_her_own_list_marked_with_the_home_municipality() {
    JsonObject listed = nurse.get("/api/v1/patients").json().getJsonArray("patients").stream()
        .map(JsonObject.class::cast).filter(p -> p.getString("id").equals(patientId)).findFirst().orElseThrow();
    assertThat(listed.getString("homeMunicipality")).isEqualTo("伊那市");
    assertThat(listed.getString("homeNode")).isEqualTo("ina");
    assertThat(bodies(nurse, patientId)).contains("退院前カンファレンスの結果です。");
  }

  @Test
  void the_first_exchanges_after_the_agreement_import_do_not_wait_out_a_connection_timeout() {
    // the team was formed right after the import, so both directions have exchanged already
    for (var node : bed.nodes.values()) {
      assertThat(node.feature(TeamSyncFeature.class).sync().timedOutCalls(partnerOf(node))).as("calls of "
          + node.services().config().node().name() + " that timed out").isZero();
    }
  }

  private static String partnerOf(jp.tsunagu.node.TsunaguNode node) {
    return node.services().config().node().name().equals("ina") ? "minamiminowa" : "ina";
  }

  @Test
  void the_timeline_names_a_partners_author_by_her_facility_and_node_and_a_local_author_by_her_facilitys_municipality() {
    String body = "訪問しました。褥瘡なし。";
    nurse.post("/api/v1/patients/" + patientId + "/posts", note(body));
    eventually("the nurse's post reaches the home node", () -> bodies(doctor, patientId).contains(body));
    JsonObject fromPartner = post(doctor, body);
    doctor.post("/api/v1/posts/" + fromPartner.getString("id") + "/comments", new JsonObject().put("body", "了解です。"));
    nurse.post("/api/v1/posts/" + fromPartner.getString("id") + "/comments", new JsonObject().put("body", "次回も見ます。"));
    eventually("the nurse's comment reaches the home node", () -> post(doctor, body).getJsonArray("comments").size() == 2);
    JsonObject nurseHere = doctor.get("/api/v1/patients/" + patientId + "/team").json().getJsonArray("members").stream()
        .map(JsonObject.class::cast).filter(m -> m.getBoolean("partner") && "みなみみのわ訪問看護ステーション".equals(m.getString("facility")))
        .findFirst().orElseThrow();
    assertThat(nurseHere.getBoolean("partner")).isTrue();
    // Read twice: the second page comes from the timeline cache and names the authors alike.
    for (int read = 0; read < 2; read++) {
      JsonObject seen = post(doctor, body);
      assertThat(seen.getString("authorFacility")).isEqualTo("みなみみのわ訪問看護ステーション");
      assertThat(seen.getString("authorHomeNode")).as("the page names her node, as the team's members do")
          .isEqualTo(nurseHere.getString("homeNode")).isNotBlank();
      JsonObject local = post(doctor, "退院前カンファレンスの結果です。");
      assertThat(local.getString("authorMunicipality")).isEqualTo("伊那市");
      assertThat(local.getString("authorHomeNode")).isNull();
      JsonObject localComment = seen.getJsonArray("comments").getJsonObject(0);
      assertThat(localComment.getString("authorName")).isEqualTo("伊那 花子");
      assertThat(localComment.getString("authorMunicipality")).isEqualTo("伊那市");
      assertThat(localComment.getString("authorHomeNode")).isNull();
      JsonObject partnerComment = seen.getJsonArray("comments").getJsonObject(1);
      assertThat(partnerComment.getString("authorFacility")).isEqualTo("みなみみのわ訪問看護ステーション");
      assertThat(partnerComment.getString("authorHomeNode")).isEqualTo(nurseHere.getString("homeNode"));
    }
    // On her own node the nurse is local: her facility's municipality; the doctor is the partner there.
    eventually("the comments reach the replica", () -> post(nurse, body).getJsonArray("comments").size() == 2);
    JsonObject onReplica = post(nurse, body);
    assertThat(onReplica.getString("authorMunicipality")).isEqualTo("南箕輪村");
    assertThat(onReplica.getString("authorHomeNode")).isNull();
    assertThat(onReplica.getJsonArray("comments").getJsonObject(0).getString("authorHomeNode")).isNotBlank();
  }

  private JsonObject post(CareClient client, String body) {
    return client.get("/api/v1/patients/" + patientId + "/posts").json().getJsonArray("posts").stream()
        .map(JsonObject.class::cast).filter(p -> body.equals(p.getString("body"))).findFirst().orElseThrow();
  }

  @Test
  void a_post_on_either_side_appears_on_the_other_in_the_home_nodes_order() {
    assertThat(nurse.post("/api/v1/patients/" + patientId + "/posts", note("訪問しました。表情良好。")).status())
        .isEqualTo(201);
    assertThat(doctor.post("/api/v1/patients/" + patientId + "/posts", note("内服は現行どおり。")).status())
        .isEqualTo(201);
    eventually("the nurse's post reaches the home node", () -> bodies(doctor, patientId).contains("訪問しました。表情良好。"));
    eventually("the doctor's post reaches the replica", () -> bodies(nurse, patientId).contains("内服は現行どおり。"));
    eventually("the nurse's post is sequenced on her node too", () -> nurse.get("/api/v1/patients/" + patientId
        + "/posts").json().getJsonArray("posts").stream().map(JsonObject.class::cast)
        .noneMatch(p -> p.getString("syncState") != null));
    assertThat(seqs(nurse)).isEqualTo(seqs(doctor));
  }

  @Test
  void vitals_the_remote_nurse_records_and_corrects_reach_the_home_nodes_chart_with_their_versions() {
    JsonObject measured = new JsonObject().put("measuredAt", "2025-03-04T00:30:00Z").put("systolic", 186)
        .put("diastolic", 88).put("pulse", 80).put("spo2", 95);
    CareClient.Reply recorded = nurse.post("/api/v1/patients/" + patientId + "/vitals", measured);
    assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
    String id = recorded.json().getString("id");
    eventually("the record reaches the home node's chart", () -> systolic(doctor, id) == 186);
    assertThat(nurse.put("/api/v1/posts/" + id, note("血圧 120/80 mmHg").put("category", "バイタル")).code())
        .isEqualTo("care.vitals_post");
    CareClient.Reply corrected = nurse.put("/api/v1/posts/" + id + "/vitals", measured.copy().put("systolic", 136));
    assertThat(corrected.status()).as(corrected.body()).isEqualTo(200);
    assertThat(systolic(nurse, id)).as("her own chart at once").isEqualTo(136);
    eventually("the correction reaches the home node's chart", () -> systolic(doctor, id) == 136);
    assertThat(doctor.get("/api/v1/posts/" + id + "/versions").json().getJsonArray("versions").stream()
        .map(v -> ((JsonObject) v).getJsonObject("vitals").getInteger("systolic"))).containsExactly(186, 136);
    eventually("the home node's sequencing reaches her node", () -> nurse.get("/api/v1/posts/" + id).json()
        .getString("syncState") == null);
    assertThat(systolic(nurse, id)).isEqualTo(136);
  }

  private int systolic(CareClient who, String postId) {
    return who.get("/api/v1/patients/" + patientId + "/vitals").json().getJsonArray("vitals").stream()
        .map(JsonObject.class::cast).filter(v -> postId.equals(v.getString("postId")))
        .mapToInt(v -> v.getInteger("systolic", 0)).findFirst().orElse(0);
  }

  @Test
  void a_form_edited_by_its_author_reaches_the_replica_at_its_new_version_with_its_history() {
    String form = doctor.post("/api/v1/patients/" + patientId + "/forms", new JsonObject()
        .put("template", FormSamples.SHIJISHO).put("values", FormSamples.shijisho())).json().getString("id");
    JsonObject changed = FormSamples.shijisho().put("medication", "フロセミド40mg 1日1回朝（増量）");
    assertThat(doctor.put("/api/v1/posts/" + form + "/form", new JsonObject().put("values", changed)).status())
        .isEqualTo(200);
    eventually("the edit reaches the replica", () -> nurse.get("/api/v1/posts/" + form + "/form").json()
        .getInteger("version", 0) == 2);
    assertThat(nurse.get("/api/v1/posts/" + form + "/form").json().getJsonObject("values")).isEqualTo(changed);
    assertThat(nurse.get("/api/v1/posts/" + form + "/versions").json().getJsonArray("versions")).hasSize(2);
    assertThat(nurse.get("/api/v1/posts/" + form + "/print").body()).contains("フロセミド40mg");
  }

  @Test
  void vitals_a_remote_nurse_records_reach_the_home_node_and_are_charted_on_both_sides() {
    CareClient.Reply recorded = nurse.post("/api/v1/patients/" + patientId + "/vitals", new JsonObject()
        .put("measuredAt", "2025-02-03T00:30:00Z").put("systolic", 128).put("diastolic", 74).put("pulse", 80)
        .put("temperature", 37.2).put("spo2", 95));
    assertThat(recorded.status()).isEqualTo(201);
    eventually("the vitals reach the home node's chart", () -> chart(doctor).stream()
        .anyMatch(v -> "2025-02-03T00:30:00Z".equals(v.getString("measuredAt"))));
    for (CareClient reader : List.of(doctor, nurse, careManager)) {
      JsonObject point = chart(reader).stream().filter(v -> "2025-02-03T00:30:00Z".equals(v.getString("measuredAt")))
          .findFirst().orElseThrow();
      assertThat(point.getInteger("systolic")).isEqualTo(128);
      assertThat(point.getDouble("temperature")).isEqualTo(37.2);
      assertThat(point.getInteger("spo2")).isEqualTo(95);
    }
    assertThat(chart(nurse)).hasSameSizeAs(chart(doctor));
    eventually("the vitals post is sequenced on her node", () -> nurse.get("/api/v1/patients/" + patientId
        + "/posts").json().getJsonArray("posts").stream().map(JsonObject.class::cast)
        .noneMatch(p -> p.getString("syncState") != null));
  }

  @Test
  void a_remote_members_post_in_a_category_only_her_node_has_is_kept_with_that_label_at_the_home_node() {
    bed.node("minamiminowa").services().database().submitWrite(c -> CategorySql.insert(c, "訪問リハ")).join();
    CareClient.Reply written = nurse.post("/api/v1/patients/" + patientId + "/posts",
        note("歩行訓練。屋内は見守りで歩行可。").put("category", "訪問リハ"));
    assertThat(written.status()).isEqualTo(201);
    eventually("the post is sequenced by the home node", () -> nurse.get("/api/v1/posts/" + written.json()
        .getString("id")).json().getString("syncState") == null);
    JsonObject atHome = doctor.get("/api/v1/posts/" + written.json().getString("id")).json();
    assertThat(atHome.getString("category")).isEqualTo("訪問リハ");
    assertThat(doctor.get("/api/v1/patients/" + patientId + "/posts?category=訪問リハ").json().getJsonArray("posts")
        .stream().map(JsonObject.class::cast).map(p -> p.getString("body"))).containsExactly("歩行訓練。屋内は見守りで歩行可。");
    assertThat(doctor.get("/api/v1/care/categories").json().encode()).as("the home node's own list is unchanged")
        .doesNotContain("訪問リハ");
  }

  @Test
  void a_board_with_more_history_than_one_chunk_is_shared_whole_in_order_while_the_team_goes_on_writing() {
    int history = TeamLog.SHARE_CHUNK * 2 + 30;
    String elder = doctor.post("/api/v1/patients", CrossNodeTestbed.patient("長谷", "202096")).json().getString("id");
    CareActor author = CrossNodeTestbed.actor(bed.node("ina"), doctor.userId);
    List<String> postIds = bed.node("ina").services().database().submitWrite(c -> {
      List<String> ids = new java.util.ArrayList<>();
      for (int i = 0; i < history; i++) {
        String postId = CareIds.next();
        PostSql.insert(c, new PostSql.NewPost(postId, elder, author, "連絡", "note", "過去の記録 " + i, null, null,
            List.of(), List.of()), java.time.Instant.now().toString());
        ids.add(postId);
      }
      return ids;
    }).join();

    CrossNodeTestbed.join(doctor, nurse, "mm-nurse@minamiminowa", elder);
    doctor.post("/api/v1/posts/" + postIds.get(3) + "/comments", new JsonObject().put("body", "共有中のコメント"));
    doctor.post("/api/v1/patients/" + elder + "/posts", note("共有中の新しい記録"));

    String order = "select group_concat(body, '|') from (select body from posts where board_id = ? order by seq)";
    eventually("the whole history and what was written meanwhile reach the replica", () ->
        CrossNodeTestbed.count(bed.node("minamiminowa"), "select count(*) from posts where board_id = ?", elder)
            == history + 1);
    assertThat(text(bed.node("minamiminowa"), order, elder)).isEqualTo(text(bed.node("ina"), order, elder));
    eventually("the comment on an old post arrives once", () -> CrossNodeTestbed.count(bed.node("minamiminowa"),
        "select count(*) from comments where body = '共有中のコメント' and post_id = ?", postIds.get(3)) == 1);
    assertThat(CrossNodeTestbed.count(bed.node("ina"), "select count(*) from board_sharing where board_id = ?", elder))
        .as("the history is complete").isZero();
  }

  private static String text(jp.tsunagu.node.TsunaguNode node, String sql, String param) {
    return node.services().database().submitRead(c -> {
      try (var s = c.prepareStatement(sql)) {
        s.setString(1, param);
        try (var rs = s.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
    }).join();
  }

  private List<JsonObject> chart(CareClient client) {
    return client.get("/api/v1/patients/" + patientId + "/vitals").json().getJsonArray("vitals").stream()
        .map(JsonObject.class::cast).toList();
  }

  @Test
  void a_direct_post_to_a_remote_member_is_seen_by_her_on_her_node_and_by_no_other_member_on_either_node() {
    String direct = doctor.post("/api/v1/patients/" + patientId + "/posts", note("ご家族の件、看護師さんだけに。")
        .put("recipients", new JsonArray().add("mm-nurse@minamiminowa"))).json().getString("id");
    assertThat(direct).isNotNull();
    eventually("the direct post reaches the nurse's node", () -> bodies(nurse, patientId)
        .contains("ご家族の件、看護師さんだけに。"));
    assertThat(nurse.get("/api/v1/posts/" + direct).status()).isEqualTo(200);
    eventually("a later post has reached her node too", () -> {
      doctor.post("/api/v1/patients/" + patientId + "/posts", note("全員への連絡です。"));
      return bodies(therapist, patientId).contains("全員への連絡です。");
    });
    for (CareClient other : List.of(careManager, therapist)) {
      assertThat(bodies(other, patientId)).doesNotContain("ご家族の件、看護師さんだけに。");
      assertThat(other.get("/api/v1/posts/" + direct).status()).isEqualTo(404);
    }

    String reply = nurse.post("/api/v1/patients/" + patientId + "/posts", note("承知しました。主治医の先生だけに。")
        .put("recipients", new JsonArray().add("ina-doctor@ina"))).json().getString("id");
    eventually("her direct post reaches the home node", () -> bodies(doctor, patientId)
        .contains("承知しました。主治医の先生だけに。"));
    for (CareClient other : List.of(careManager, therapist)) {
      assertThat(bodies(other, patientId)).doesNotContain("承知しました。主治医の先生だけに。");
      assertThat(other.get("/api/v1/posts/" + reply).status()).isEqualTo(404);
    }
  }

  private String seqs(CareClient client) {
    StringBuilder order = new StringBuilder();
    client.get("/api/v1/patients/" + patientId + "/posts").json().getJsonArray("posts").stream()
        .map(JsonObject.class::cast).forEach(p -> order.append(p.getLong("seq")).append(':')
            .append(p.getString("body")).append('\n'));
    return order.toString();
  }
}
