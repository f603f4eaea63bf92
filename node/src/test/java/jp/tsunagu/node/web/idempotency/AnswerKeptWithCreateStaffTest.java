package jp.tsunagu.node.web.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.federation.crypto.SigningKey;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.attachments.AttachmentTest;
import jp.tsunagu.node.testing.LostAnswers;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answer of a keyed create kept in the create's own transaction on the municipal staff's routes
 * (災害モード, vaccines, regional resources, みまもり gateways): with the write that would keep it afterwards refused by the
 * real database, a retry with the same key gets the first answer, byte for byte, replayed, and
 * nothing is created twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnswerKeptWithCreateStaffTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient staff;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    staff = bed.municipalStaff("ina-kept-staff", "伊那", "一郎");
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void a_disaster_declaration_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    replayed("/api/v1/disaster/declarations", new JsonObject().put("kind", "地震")
        .put("districts", new JsonArray().add("美篶")).put("startedAt", "2026-01-15T06:30"));

    assertThat(TestSql.count(bed.node, "select count(*) from disaster_declarations")).isEqualTo(1);
  }

  @Test
  void a_vaccine_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    replayed("/api/v1/vaccination/vaccines", new JsonObject().put("name", "保持ワクチン"));

    assertThat(TestSql.count(bed.node, "select count(*) from vaccination_vaccines where name_ja = '保持ワクチン'"))
        .isEqualTo(1);
  }

  @Test
  void a_regional_resource_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    replayed("/api/v1/staff/resources", salon("保持サロン"));

    assertThat(TestSql.count(bed.node, "select count(*) from resources where name = '保持サロン'")).isEqualTo(1);
  }

  @Test
  void a_resource_photo_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    String resource = staff.post("/api/v1/staff/resources", salon("写真保持サロン")).json().getString("id");

    replayed("/api/v1/staff/resources/" + resource + "/photos?caption=kept", AttachmentTest.png(40, 30),
        "image/png");

    assertThat(TestSql.count(bed.node, "select count(*) from resource_photos where resource_id = ?", resource))
        .isEqualTo(1);
  }

  @Test
  void a_resource_category_and_a_tag_are_answered_again_after_their_answers_kept_afterwards_were_lost() {
    replayed("/api/v1/staff/resource-categories", new JsonObject().put("code", "gathering.kept")
        .put("name", "保持の場").put("parent", "gathering"));
    replayed("/api/v1/staff/resource-tags", new JsonObject().put("name", "保持"));

    assertThat(TestSql.count(bed.node, "select count(*) from resource_categories where code = 'gathering.kept'"))
        .isEqualTo(1);
  }

  @Test
  void a_sensor_gateway_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    SigningKey key = SigningKey.generate();

    replayed("/api/v1/sensors/gateways", new JsonObject().put("name", "保持ゲートウェイ").put("provider", "みまもりテック株式会社")
        .put("publicKey", new JsonObject(key.verificationKey().toJson())).put("ratePerMinute", 30));

    assertThat(TestSql.count(bed.node, "select count(*) from sensor_gateways where name = '保持ゲートウェイ'"))
        .isEqualTo(1);
  }

  private static JsonObject salon(String name) {
    return new JsonObject().put("name", name).put("nameKana", "ホジサロン").put("category", "通いの場")
        .put("subCategory", "サロン").put("municipalityCode", "202096").put("address", "伊那市荒井")
        .put("latitude", 35.84).put("longitude", 137.95).put("phone", "0265-78-4111")
        .put("scheduleRules", "weekly:thu@10:00-12:00").put("published", true);
  }

  private void replayed(String path, JsonObject body) {
    replayed(path, body.encode().getBytes(StandardCharsets.UTF_8), "application/json");
  }

  /** Sends the create and its retry with one key while answers kept afterwards are lost. */
  private void replayed(String path, byte[] bytes, String contentType) {
    Map<String, String> headers = Map.of("Idempotency-Key", UUID.randomUUID().toString());
    HttpResponse<String> first;
    HttpResponse<String> retry;
    try (LostAnswers lost = LostAnswers.on(bed.node)) {
      first = staff.postWith(path, bytes, contentType, headers);
      retry = staff.postWith(path, bytes, contentType, headers);
    }

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(retry.body()).isEqualTo(first.body());
  }
}
