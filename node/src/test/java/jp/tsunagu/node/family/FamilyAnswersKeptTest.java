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
 * A family invitation and a 訪問予定 keep their answers with the create: with the write that would keep
 * them afterwards refused by the real database (a crash or failover right after the commit), a retry
 * with the same key gets the first answer, byte for byte, replayed, and nothing is created twice.
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
  void a_family_invitation_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    replayed(bed.doctor, "/api/v1/patients/" + bed.patient + "/family/invitations",
        FamilyTestbed.invitation("kept@example.jp", "子"));

    assertThat(TestSql.count(bed.bed.node, "select count(*) from family_accounts where email = 'kept@example.jp'"))
        .isEqualTo(1);
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
