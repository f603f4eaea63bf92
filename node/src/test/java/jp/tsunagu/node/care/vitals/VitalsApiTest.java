package jp.tsunagu.node.care.vitals;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareApiTest;

/**
 * Correcting a vitals record ({@code PUT /posts/:postId/vitals}): the chart takes the new values,
 * every version stays readable and audited, and a vitals record never changes as plain text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VitalsApiTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient nurse;
  CareClient outsider;
  String patient;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-vitals", "北原", "健一", "doctor", bed.clinic);
    nurse = bed.professional("ns-vitals", "宮坂", "由美", "nurse", bed.nursingStation);
    outsider = bed.professional("dr-outside", "小松", "誠", "doctor", bed.clinic);
    patient = doctor.post("/api/v1/patients", CareApiTest.patient("唐木", "ハル", "カラキ", "ハル", "1934-06-01"))
        .json().getString("id");
    doctor.post("/api/v1/patients/" + patient + "/team/invitations",
        new JsonObject().put("userId", nurse.userId).put("teamRole", "訪問看護"));
    nurse.post("/api/v1/invitations/" + patient + "/accept", new JsonObject());
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private static JsonObject values(int systolic) {
    return new JsonObject().put("measuredAt", "2025-02-03T01:30:00Z").put("systolic", systolic).put("diastolic", 84)
        .put("pulse", 76).put("temperature", 36.8).put("spo2", 96);
  }

  private String recorded(int systolic) {
    CareClient.Reply reply = nurse.post("/api/v1/patients/" + patient + "/vitals", values(systolic).put("note", "入浴前"));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  private JsonObject point(String postId) {
    return doctor.get("/api/v1/patients/" + patient + "/vitals").json().getJsonArray("vitals").stream()
        .map(JsonObject.class::cast).filter(v -> v.getString("postId").equals(postId)).findFirst().orElseThrow();
  }

  @Test
  void the_author_corrects_a_record_and_the_chart_and_the_timeline_show_the_new_values_with_every_version_kept()
      throws Exception {
    String id = recorded(182);
    assertThat(point(id).getInteger("systolic")).isEqualTo(182);
    CareClient.Reply corrected = nurse.put("/api/v1/posts/" + id + "/vitals", values(128)
        .put("measuredAt", "2025-02-03T01:40:00Z").put("weight", 47.5).put("note", "入浴前（上の血圧を訂正）"));
    assertThat(corrected.status()).as(corrected.body()).isEqualTo(200);
    assertThat(corrected.json().getString("body")).isEqualTo(
        "血圧 128/84 mmHg・脈拍 76 回/分・体温 36.8 ℃・SpO2 96 %・体重 47.5 kg\n入浴前（上の血圧を訂正）");
    assertThat(corrected.json().getInteger("version")).isEqualTo(2);
    assertThat(corrected.json().getJsonObject("vitals").getInteger("systolic")).isEqualTo(128);

    JsonObject point = point(id);
    assertThat(point.getInteger("systolic")).isEqualTo(128);
    assertThat(point.getDouble("weight")).isEqualTo(47.5);
    assertThat(point.getString("measuredAt")).isEqualTo("2025-02-03T01:40:00Z");
    assertThat(point.getBoolean("mine")).as("the doctor did not record it").isFalse();
    JsonArray series = doctor.get("/api/v1/patients/" + patient + "/vitals").json().getJsonArray("vitals");
    assertThat(series.stream().map(JsonObject.class::cast).filter(v -> v.getString("postId").equals(id)))
        .as("a correction replaces the point, it adds none").hasSize(1);

    JsonArray versions = doctor.get("/api/v1/posts/" + id + "/versions").json().getJsonArray("versions");
    assertThat(versions).hasSize(2);
    assertThat(versions.getJsonObject(0).getJsonObject("vitals").getInteger("systolic")).isEqualTo(182);
    assertThat(versions.getJsonObject(0).getString("body")).startsWith("血圧 182/84 mmHg");
    assertThat(versions.getJsonObject(1).getJsonObject("vitals").getInteger("systolic")).isEqualTo(128);

    assertThat(bed.audited("care.vitals.edited", "post:" + id)).isEqualTo(1);
    assertThat(bed.auditDetails("care.vitals.edited", "post:" + id)).singleElement().asString()
        .contains("\"systolic\":182");
  }

  @Test
  void a_vitals_record_is_never_changed_as_plain_text_and_only_its_author_corrects_it_with_valid_values()
      throws Exception {
    String id = recorded(150);
    CareClient.Reply plain = nurse.put("/api/v1/posts/" + id, new JsonObject().put("category", "バイタル")
        .put("body", "血圧 120/80 mmHg"));
    assertThat(plain.status()).isEqualTo(400);
    assertThat(plain.code()).isEqualTo("care.vitals_post");

    CareClient.Reply notAuthor = doctor.put("/api/v1/posts/" + id + "/vitals", values(120));
    assertThat(notAuthor.status()).isEqualTo(403);
    assertThat(notAuthor.code()).isEqualTo("care.not_author");
    CareClient.Reply outside = outsider.put("/api/v1/posts/" + id + "/vitals", values(120));
    assertThat(outside.status()).isEqualTo(404);
    assertThat(outside.code()).isEqualTo("care.not_found");
    assertThat(bed.audited("care.vitals.edit", "post:" + id)).as("the refusal is audited").isEqualTo(1);

    assertThat(nurse.put("/api/v1/posts/" + id + "/vitals", values(300)).code()).isEqualTo("care.vitals_out_of_range");
    assertThat(nurse.put("/api/v1/posts/" + id + "/vitals", values(120).putNull("diastolic")).code())
        .isEqualTo("care.vitals_blood_pressure");
    assertThat(nurse.put("/api/v1/posts/" + id + "/vitals", values(120).put("measuredAt", "昨日")).code())
        .isEqualTo("validation.bad_date");
    assertThat(nurse.put("/api/v1/posts/" + id + "/vitals", new JsonObject().put("measuredAt", "2025-02-03T01:30:00Z"))
        .code()).isEqualTo("validation.required");
    assertThat(nurse.put("/api/v1/posts/" + id + "/vitals", values(120).put("pulse", "速い")).code())
        .isEqualTo("validation.malformed");

    assertThat(point(id).getInteger("systolic")).as("nothing changed").isEqualTo(150);
    assertThat(doctor.get("/api/v1/posts/" + id).json().getInteger("version")).isEqualTo(1);
    assertThat(bed.audited("care.vitals.edited", "post:" + id)).isZero();
  }

  @Test
  void a_note_has_no_vitals_to_correct_and_a_deleted_record_cannot_be_corrected() {
    String note = nurse.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "連絡")
        .put("body", "訪問しました")).json().getString("id");
    assertThat(nurse.put("/api/v1/posts/" + note + "/vitals", values(120)).code()).isEqualTo("care.not_found");
    String id = recorded(140);
    assertThat(nurse.delete("/api/v1/posts/" + id).status()).isEqualTo(204);
    CareClient.Reply deleted = nurse.put("/api/v1/posts/" + id + "/vitals", values(120));
    assertThat(deleted.code()).isEqualTo("care.post_deleted");
    assertThat(doctor.get("/api/v1/patients/" + patient + "/vitals").json().getJsonArray("vitals").stream()
        .map(JsonObject.class::cast).map(v -> v.getString("postId"))).as("a deleted record leaves the chart")
        .doesNotContain(id);
  }
}
