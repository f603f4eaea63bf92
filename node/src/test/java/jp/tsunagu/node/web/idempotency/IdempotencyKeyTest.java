package jp.tsunagu.node.web.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.attachments.AttachmentTest;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Idempotency-Key} on a real node (real TLS, real SQLite): a retry with the same key gets the
 * first answer and creates nothing, on every family of create routes; keys are per user, kept a day,
 * and recorded only together with what they guard.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotencyKeyTest {

  private static final String JSON = "application/json";

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient nurse;
  CareClient doctor;
  CareClient staff;
  String patient;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    nurse = bed.professional("ns-idem", "宮坂", "由美", "nurse", bed.nursingStation);
    doctor = bed.professional("dr-idem", "北原", "健一", "doctor", bed.clinic);
    staff = bed.municipalStaff("ina-idem", "伊那", "花子");
    patient = nurse.post("/api/v1/patients", CareApiTest.patient("冪等", "ハナ", "ベキトウ", "ハナ", "1931-01-01")
        .put("teamRole", "訪問看護")).json().getString("id");
    nurse.post("/api/v1/patients/" + patient + "/team/invitations",
        new JsonObject().put("userId", doctor.userId).put("teamRole", "主治医"));
    doctor.post("/api/v1/invitations/" + patient + "/accept", new JsonObject());
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void a_post_sent_twice_with_one_key_is_created_once_and_the_retry_gets_the_first_answer() {
    String key = UUID.randomUUID().toString();
    JsonObject post = note("訪問しました。血圧は安定しています。");

    HttpResponse<String> first = postJson(nurse, posts(), post, key);
    HttpResponse<String> retry = postJson(nurse, posts(), post, key);

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(new JsonObject(retry.body())).isEqualTo(new JsonObject(first.body()));
    assertThat(TestSql.count(bed.node, "select count(*) from posts where board_id = ? and body = ?", patient,
        "訪問しました。血圧は安定しています。")).isEqualTo(1);
  }

  @Test
  void the_same_key_with_another_body_is_refused_as_reused_and_creates_nothing() {
    String key = UUID.randomUUID().toString();
    postJson(nurse, posts(), note("一通目"), key);

    HttpResponse<String> other = postJson(nurse, posts(), note("二通目"), key);

    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(code(other)).isEqualTo("idempotency.key_reused");
    assertThat(TestSql.count(bed.node, "select count(*) from posts where body = '二通目'")).isZero();
  }

  @Test
  void the_same_key_on_another_route_is_refused_as_reused() {
    String key = UUID.randomUUID().toString();
    String postId = new JsonObject(postJson(nurse, posts(), note("経路ちがい"), key).body()).getString("id");

    HttpResponse<String> other = postJson(nurse, "/api/v1/posts/" + postId + "/comments",
        new JsonObject().put("body", "経路ちがい"), key);

    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(code(other)).isEqualTo("idempotency.key_reused");
  }

  @Test
  void a_malformed_key_is_refused_before_anything_is_created() {
    for (String malformed : new String[] {"", "\"\"", "k".repeat(256), "tab\there"}) {
      HttpResponse<String> refused = postJson(nurse, posts(), note("不正なキー"), malformed);

      assertThat(refused.statusCode()).as(malformed).isEqualTo(400);
      assertThat(code(refused)).as(malformed).isEqualTo("idempotency.key_invalid");
    }
    assertThat(TestSql.count(bed.node, "select count(*) from posts where body = '不正なキー'")).isZero();
  }

  @Test
  void a_quoted_key_of_255_characters_is_taken() {
    String key = "\"" + "q".repeat(255) + "\"";

    assertThat(postJson(nurse, posts(), note("最長のキー"), key).statusCode()).isEqualTo(201);
    assertThat(postJson(nurse, posts(), note("最長のキー"), key).headers().firstValue("Idempotent-Replayed"))
        .hasValue("true");
  }

  @Test
  void keys_are_per_user_so_another_users_same_key_creates_their_own_post() {
    String key = UUID.randomUUID().toString();
    JsonObject post = note("同じキーの別の人");

    HttpResponse<String> mine = postJson(nurse, posts(), post, key);
    HttpResponse<String> theirs = postJson(doctor, posts(), post, key);

    assertThat(mine.statusCode()).isEqualTo(201);
    assertThat(theirs.statusCode()).isEqualTo(201);
    assertThat(theirs.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(new JsonObject(theirs.body()).getString("id")).isNotEqualTo(new JsonObject(mine.body()).getString("id"));
    assertThat(TestSql.count(bed.node, "select count(*) from posts where body = '同じキーの別の人'")).isEqualTo(2);
  }

  @Test
  void a_key_older_than_a_day_is_pruned_and_then_means_a_new_create() throws Exception {
    String key = UUID.randomUUID().toString();
    postJson(nurse, posts(), note("一日より前"), key);

    int removed = bed.node.services().idempotency().prune(Instant.now().plus(IdempotencyKeys.KEPT)
        .plus(Duration.ofMinutes(1))).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    HttpResponse<String> later = postJson(nurse, posts(), note("一日より前"), key);

    assertThat(removed).isPositive();
    assertThat(later.statusCode()).isEqualTo(201);
    assertThat(later.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(TestSql.count(bed.node, "select count(*) from posts where body = '一日より前'")).isEqualTo(2);
  }

  @Test
  void a_key_older_than_a_day_that_pruning_has_not_removed_yet_gives_way_to_a_new_create() {
    String key = UUID.randomUUID().toString();
    postJson(nurse, posts(), note("剪定より前"), key);
    // The row as the hourly pruning would find it next time: made more than a day ago.
    bed.node.services().database().submitWrite(c -> {
      try (PreparedStatement s = c.prepareStatement("update idempotency_keys set created_ms = ?"
          + " where request_key = ?")) {
        s.setLong(1, Instant.now().minus(IdempotencyKeys.KEPT).minus(Duration.ofMinutes(1)).toEpochMilli());
        s.setString(2, key);
        return s.executeUpdate();
      }
    }).join();

    HttpResponse<String> later = postJson(nurse, posts(), note("剪定より前"), key);

    assertThat(later.statusCode()).isEqualTo(201);
    assertThat(later.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(TestSql.count(bed.node, "select count(*) from posts where body = '剪定より前'")).isEqualTo(2);
    assertThat(keyRows(key)).isEqualTo(1);
    assertThat(TestSql.count(bed.node, "select count(*) from idempotency_keys where request_key = ?"
        + " and created_ms >= ?", key, Instant.now().minus(Duration.ofMinutes(5)).toEpochMilli())).isEqualTo(1);
  }

  @Test
  void a_live_key_recorded_by_another_attempt_in_between_refuses_the_insert_as_in_progress_and_stays_as_it_was() {
    String key = UUID.randomUUID().toString();
    long now = System.currentTimeMillis();
    long keptSince = now - IdempotencyKeys.KEPT.toMillis();
    bed.node.services().database().submitWrite(c -> {
      IdempotencySql.insert(c, "test-scope", key, "first", now, keptSince, null);
      return null;
    }).join();

    Throwable refused = bed.node.services().database().submitWrite(c -> {
      IdempotencySql.insert(c, "test-scope", key, "second", now + 1, keptSince,
          new StoredKey.Answer(201, JSON, "{}"));
      return null;
    }).handle((ignored, error) -> error).join();

    assertThat(refused).isInstanceOf(CodedException.class);
    assertThat(((CodedException) refused).code()).isEqualTo("idempotency.in_progress");
    assertThat(TestSql.count(bed.node, "select count(*) from idempotency_keys where request_key = ?"
        + " and fingerprint = 'first' and answer_status is null", key)).isEqualTo(1);
  }

  @Test
  void a_create_whose_transaction_fails_leaves_no_key_so_the_retry_is_carried_out() {
    String key = UUID.randomUUID().toString();
    JsonObject post = new JsonObject().put("category", "冪等テスト").put("body", "カテゴリーはまだない");

    HttpResponse<String> refused = postJson(nurse, posts(), post, key);
    long keysAfterRefusal = keyRows(key);
    assertThat(staff.post("/api/v1/care/categories", new JsonObject().put("name", "冪等テスト")).status())
        .isEqualTo(201);
    HttpResponse<String> retry = postJson(nurse, posts(), post, key);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(code(refused)).isEqualTo("care.category_unknown");
    assertThat(keysAfterRefusal).isZero();
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(keyRows(key)).isEqualTo(1);
  }

  @Test
  void a_retry_of_a_create_that_committed_without_its_answer_is_told_it_was_done_and_creates_nothing() {
    String key = UUID.randomUUID().toString();
    JsonObject post = note("答えの前に止まった");
    postJson(nurse, posts(), post, key);
    // A key row without its answer: what a create that keeps its answer afterwards (not with the
    // create) leaves after a kill -9 between the two.
    bed.node.services().database().submitWrite(c -> {
      try (PreparedStatement s = c.prepareStatement("update idempotency_keys set answer_status = null,"
          + " answer_type = null, answer_body = null where request_key = ?")) {
        s.setString(1, key);
        return s.executeUpdate();
      }
    }).join();

    HttpResponse<String> retry = postJson(nurse, posts(), post, key);

    assertThat(retry.statusCode()).isEqualTo(409);
    assertThat(code(retry)).isEqualTo("idempotency.completed");
    assertThat(TestSql.count(bed.node, "select count(*) from posts where body = '答えの前に止まった'")).isEqualTo(1);
  }

  @Test
  void a_comment_sent_twice_with_one_key_is_created_once() {
    String postId = new JsonObject(postJson(nurse, posts(), note("コメント先"), UUID.randomUUID().toString())
        .body()).getString("id");
    String key = UUID.randomUUID().toString();
    JsonObject comment = new JsonObject().put("body", "了解しました。");

    HttpResponse<String> first = postJson(doctor, "/api/v1/posts/" + postId + "/comments", comment, key);
    HttpResponse<String> retry = postJson(doctor, "/api/v1/posts/" + postId + "/comments", comment, key);

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(TestSql.count(bed.node, "select count(*) from comments where post_id = ?", postId)).isEqualTo(1);
  }

  @Test
  void an_upload_sent_twice_with_one_key_is_stored_once() {
    String key = UUID.randomUUID().toString();
    byte[] png = AttachmentTest.png(64, 48);
    Map<String, String> headers = Map.of("Idempotency-Key", key, "X-File-Name", "kizu.png");

    HttpResponse<String> first = nurse.postWith("/api/v1/uploads", png, "image/png", headers);
    HttpResponse<String> retry = nurse.postWith("/api/v1/uploads", png, "image/png", headers);
    HttpResponse<String> renamed = nurse.postWith("/api/v1/uploads", png, "image/png",
        Map.of("Idempotency-Key", key, "X-File-Name", "kizu-2.png"));

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(new JsonObject(retry.body()).getString("id")).isEqualTo(new JsonObject(first.body()).getString("id"));
    assertThat(renamed.statusCode()).isEqualTo(422);
    assertThat(TestSql.count(bed.node, "select count(*) from attachments where uploaded_by = ? and file_name"
        + " like 'kizu%'", nurse.userId)).isEqualTo(1);
  }

  @Test
  void a_patient_registered_twice_with_one_key_is_registered_once() {
    String key = UUID.randomUUID().toString();
    JsonObject registration = CareApiTest.patient("再送", "タロウ", "サイソウ", "タロウ", "1935-05-05")
        .put("teamRole", "訪問看護");

    HttpResponse<String> first = postJson(nurse, "/api/v1/patients", registration, key);
    HttpResponse<String> retry = postJson(nurse, "/api/v1/patients", registration, key);

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(new JsonObject(retry.body())).isEqualTo(new JsonObject(first.body()));
    assertThat(TestSql.count(bed.node, "select count(*) from patients where family_name = '再送'")).isEqualTo(1);
  }

  @Test
  void without_the_header_a_create_behaves_as_before() {
    JsonObject post = note("キーなし");

    assertThat(nurse.post(posts(), post).status()).isEqualTo(201);
    assertThat(nurse.post(posts(), post).status()).isEqualTo(201);
    assertThat(TestSql.count(bed.node, "select count(*) from posts where body = 'キーなし'")).isEqualTo(2);
  }

  private String posts() {
    return "/api/v1/patients/" + patient + "/posts";
  }

  private static JsonObject note(String body) {
    return new JsonObject().put("category", "連絡").put("body", body);
  }

  private static HttpResponse<String> postJson(CareClient client, String path, JsonObject body, String key) {
    return client.postWith(path, body.encode().getBytes(StandardCharsets.UTF_8), JSON, Map.of("Idempotency-Key", key));
  }

  private static String code(HttpResponse<String> response) {
    return new JsonObject(response.body()).getString("code");
  }

  private long keyRows(String key) {
    return TestSql.count(bed.node, "select count(*) from idempotency_keys where request_key = ?", key);
  }
}
