package jp.tsunagu.node.family;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.LostAnswers;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 訪問予定 keeps its answer with the create: with the write that would keep it afterwards refused by
 * the real database (a crash or failover right after the commit), a retry with the same key gets the
 * first answer, byte for byte, replayed, and nothing is created twice. A family invitation's answer
 * holds its one-time activation code and is never kept: a retry learns only that the invitation was
 * made, and the code is stored nowhere but as its hash.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FamilyAnswersKeptTest {

  @TempDir
  static Path dir;
  FamilyTestbed bed;

  @BeforeAll
  void start() {
    bed = new FamilyTestbed(dir);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void a_family_invitation_shows_its_activation_code_once_and_a_retry_creates_nothing() {
    Map<String, String> headers = Map.of("Idempotency-Key", UUID.randomUUID().toString());
    byte[] bytes = FamilyTestbed.invitation("once@example.jp", "子").encode().getBytes(StandardCharsets.UTF_8);
    String path = "/api/v1/patients/" + bed.patient + "/family/invitations";
    HttpResponse<String> first = bed.doctor.postWith(path, bytes, "application/json", headers);
    HttpResponse<String> retry = bed.doctor.postWith(path, bytes, "application/json", headers);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    String code = new JsonObject(first.body()).getString("activationCode");
    assertThat(code).isNotBlank();
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(409);
    assertThat(new JsonObject(retry.body()).getString("code")).isEqualTo("idempotency.completed");
    assertThat(retry.body()).doesNotContain(code);
    assertThat(TestSql.count(bed.bed.node, "select count(*) from family_accounts where email = 'once@example.jp'"))
        .isEqualTo(1);
    assertThat(TestSql.count(bed.bed.node, "select count(*) from idempotency_keys where answer_body like ?",
        "%" + code + "%")).isZero();
  }

  @Test
  void a_visit_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    replayed(bed.nurse, "/api/v1/patients/" + bed.patient + "/family/visits", FamilyVisitsTest.visit(
        LocalDate.now(FamilyContext.JAPAN).plusDays(2), "10:00", "10:30", "visiting_nurse"));

    assertThat(TestSql.count(bed.bed.node, "select count(*) from family_visits where patient_id = ?", bed.patient))
        .isEqualTo(1);
  }

  private void replayed(CareClient client, String path, JsonObject body) {
    Map<String, String> headers = Map.of("Idempotency-Key", UUID.randomUUID().toString());
    byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> first;
    HttpResponse<String> retry;
    try (LostAnswers lost = LostAnswers.on(bed.bed.node)) {
      first = client.postWith(path, bytes, "application/json", headers);
      retry = client.postWith(path, bytes, "application/json", headers);
    }

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(retry.body()).isEqualTo(first.body());
  }
}
