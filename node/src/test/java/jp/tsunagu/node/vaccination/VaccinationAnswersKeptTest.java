package jp.tsunagu.node.vaccination;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import jp.tsunagu.node.testing.LostAnswers;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dose keeps its answer with the create: with the write that would keep it afterwards refused by the
 * real database (a crash or failover right after the commit), a retry with the same key gets the first
 * answer, byte for byte, replayed, and the dose and its timeline notice are there once.
 */
class VaccinationAnswersKeptTest {

  @TempDir
  static Path dir;
  static VaccinationNode ina;

  @BeforeAll
  static void start() {
    ina = new VaccinationNode(dir);
  }

  @AfterAll
  static void stop() {
    ina.close();
  }

  @Test
  void a_dose_is_answered_again_after_its_answer_kept_afterwards_was_lost() {
    String patient = ina.patient("保持", "1933-03-03", "長野県伊那市西箕輪3000-2");
    String path = "/api/v1/patients/" + patient + "/vaccinations";
    String key = UUID.randomUUID().toString();
    JsonObject dose = VaccinationNode.dose("influenza", 1);
    HttpResponse<String> first;
    HttpResponse<String> retry;
    try (LostAnswers lost = LostAnswers.on(ina.node)) {
      first = ina.nurse.postJson(path, dose, key);
      retry = ina.nurse.postJson(path, dose, key);
    }

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(TestSql.count(ina.node, "select count(*) from vaccination_doses where patient_id = ?", patient))
        .isEqualTo(1);
  }
}
