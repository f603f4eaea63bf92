package jp.tsunagu.node.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.node.testing.LostAnswers;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 審査会事務局's creates keep their answers with the create: with the write that would keep them
 * afterwards refused by the real database (a crash or failover right after the commit), a retry with
 * the same key gets the first answer, byte for byte, replayed, and nothing is created twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReviewAnswersKeptTest {

  @TempDir
  static Path dir;
  ReviewBed bed;

  @BeforeAll
  void start() {
    bed = new ReviewBed(dir);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void a_panel_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    replayed("/api/v1/review/panels", new JsonObject().put("number", 7).put("quorum", 3));

    assertThat(TestSql.count(bed.node, "select count(*) from review_panels where number = 7")).isEqualTo(1);
  }

  @Test
  void a_case_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    String session = bed.session(Duration.ofDays(1));

    replayed("/api/v1/review/sessions/" + session + "/cases", ReviewBed.caseBody("2026-0777", "要介護1"));

    assertThat(TestSql.count(bed.node, "select count(*) from review_cases where session_id = ?", session))
        .isEqualTo(1);
  }

  private void replayed(String path, JsonObject body) {
    Map<String, String> headers = Map.of("Idempotency-Key", UUID.randomUUID().toString());
    byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> first;
    HttpResponse<String> retry;
    try (LostAnswers lost = LostAnswers.on(bed.node)) {
      first = bed.secretariat.postWith(path, bytes, "application/json", headers);
      retry = bed.secretariat.postWith(path, bytes, "application/json", headers);
    }

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(retry.body()).isEqualTo(first.body());
  }
}
