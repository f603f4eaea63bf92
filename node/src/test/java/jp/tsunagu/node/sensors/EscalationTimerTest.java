package jp.tsunagu.node.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timer's own look for alerts due to escalate, every few seconds, escalates an unanswered alert at
 * its minutes without waiting for the sweep of the silence rules (set here to an hour), and only once
 * however many looks follow; the notice reaches the care manager's timeline and the mails go out.
 */
class EscalationTimerTest {

  @TempDir
  static Path dir;
  static CallCentreBed bed;

  @BeforeAll
  static void start() {
    bed = new CallCentreBed(dir);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void the_timer_escalates_an_unanswered_alert_between_its_sweeps_and_only_once() throws Exception {
    String household = bed.enrol("et").getString("id");
    Instant start = Instant.parse("2026-09-01T00:00:00Z");
    RuleClock clock = new RuleClock(start);
    AlertRules rules = bed.feature().rulesWith(clock, RuleSettings.defaults());
    List<Alert> raised = bed.deliver(rules, household, List.of(bed.climate("room-et", household, clock.millis(), 330,
        800)));
    assertThat(raised).hasSize(1);
    String id = raised.get(0).id();
    long due = raised.get(0).raisedMs() + Duration.ofMinutes(30).toMillis();
    AtomicBoolean on = new AtomicBoolean(true);
    String deployment = bed.vertx().deployVerticle(new AlertTimer(rules, bed.feature().summaries(),
        bed.feature().partnerMails(), clock, 3_600_000, 50, on)).await(10, TimeUnit.SECONDS);
    try {
      clock.set(Instant.ofEpochMilli(due - 1));
      Thread.sleep(500);
      assertThat(state(id)).isEqualTo("raised");
      clock.set(Instant.ofEpochMilli(due));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!state(id).equals("escalated") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(state(id)).isEqualTo("escalated");
      Thread.sleep(500);
    } finally {
      bed.vertx().undeploy(deployment).await(10, TimeUnit.SECONDS);
    }
    assertThat(bed.staff.get("/api/v1/sensors/alerts/" + id).json().getJsonArray("steps").stream()
        .map(s -> ((JsonObject) s).getString("step")).toList()).containsExactly("raised", "auto_escalated");
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'sensors.alert.escalated'"
        + " and target = ?", "sensors:alert:" + id)).isEqualTo(1);
    assertThat(bed.careManager.get("/api/v1/patients/" + bed.patientId + "/posts").json().getJsonArray("posts")
        .stream().map(p -> ((JsonObject) p).getString("body")).toList())
        .filteredOn(b -> b.startsWith("【みまもりアラート】熱中症の危険")).hasSize(1);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (bed.mailsTo("ichiro@family.example.jp").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(bed.mailsTo("ichiro@family.example.jp")).hasSize(1);
  }

  private static String state(String id) {
    return bed.staff.get("/api/v1/sensors/alerts/" + id).json().getString("state");
  }
}
