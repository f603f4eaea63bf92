package jp.tsunagu.node.care;

import static jp.tsunagu.node.care.CrossNodeTestbed.bodies;
import static jp.tsunagu.node.care.CrossNodeTestbed.eventually;
import static jp.tsunagu.node.care.CrossNodeTestbed.note;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One care team across two real nodes over real mutual TLS: a 伊那市 patient (home node ina) with a
 * 南箕輪村 visiting nurse (node minamiminowa) logged in to her own node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossNodeTeamTest {

  @TempDir
  static Path dir;
  CrossNodeTestbed bed;
  CareClient doctor;
  CareClient nurse;
  String patientId;

  @BeforeAll
  void teamAcrossTwoNodes() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    doctor = bed.professional("ina", "ina-doctor", "伊那", "doctor", "伊那中央クリニック", "clinic");
    nurse = bed.professional("minamiminowa", "mm-nurse", "南箕", "nurse", "みなみみのわ訪問看護ステーション",
        "home_nursing");
    patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "春日");
    doctor.post("/api/v1/patients/" + patientId + "/posts", note("退院前カンファレンスの結果です。"));
  }

  @AfterAll
  void stop() {
    bed.close();
  }

  @Test
  void the_remote_nurse_sees_the_patient_in_her_own_list_marked_with_the_home_municipality() {
    JsonObject listed = nurse.get("/api/v1/patients").json().getJsonArray("patients").getJsonObject(0);
    assertThat(listed.getString("id")).isEqualTo(patientId);
    assertThat(listed.getString("homeMunicipality")).isEqualTo("伊那市");
    assertThat(listed.getString("homeNode")).isEqualTo("ina");
    assertThat(bodies(nurse, patientId)).contains("退院前カンファレンスの結果です。");
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

  private String seqs(CareClient client) {
    StringBuilder order = new StringBuilder();
    client.get("/api/v1/patients/" + patientId + "/posts").json().getJsonArray("posts").stream()
        .map(JsonObject.class::cast).forEach(p -> order.append(p.getLong("seq")).append(':')
            .append(p.getString("body")).append('\n'));
    return order.toString();
  }
}
