package jp.tsunagu.node.sensors;

import static jp.tsunagu.node.sensors.SensorsBed.door;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.sensors.GatewayBatch;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules hear of the readings a batch newly stored, after its commit, and of nothing else. */
class NewReadingsTest {

  @TempDir
  static Path dir;
  static SensorsBed bed;

  @BeforeAll
  static void start() {
    bed = new SensorsBed(dir);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void only_new_readings_are_handed_on_once_committed_and_a_refused_batch_hands_on_nothing() throws Exception {
    SensorsBed.Gateway gateway = bed.issue("伊那 富県ゲートウェイ", 600);
    String household = bed.household(gateway);
    List<List<NewReadings.Reading>> heard = new CopyOnWriteArrayList<>();
    SensorIngest ingest = new SensorIngest(bed.node.services(),
        new AuditLog(bed.node.services().database(), bed.node.services().clock()), readings -> {
          // Committed by now: the readings handed on are in the database.
          assertThat(bed.count("select count(*) from " + SensorsBed.readingsOf(household)))
              .isEqualTo(readings.size() + heard.stream().mapToLong(List::size).sum());
          heard.add(readings);
        });
    long now = System.currentTimeMillis();
    GatewayBatch.Reading open = door(household, "entrance", 1, now - 2_000, "open");
    GatewayBatch.Reading close = door(household, "entrance", 2, now - 1_000, "close");

    accept(ingest, gateway, List.of(open));
    accept(ingest, gateway, List.of(open, close));
    accept(ingest, gateway, List.of(open, close));
    CodedException refused = null;
    try {
      accept(ingest, gateway, List.of(door(household, "entrance", 3, now + 3_600_000, "open")));
    } catch (CodedException e) {
      refused = e;
    }

    assertThat(refused).isNotNull();
    assertThat(heard).hasSize(2);
    assertThat(heard.get(0)).extracting(NewReadings.Reading::sequence).containsExactly(1L);
    assertThat(heard.get(1)).singleElement().satisfies(r -> {
      assertThat(r.sequence()).isEqualTo(2);
      assertThat(r.kind()).isEqualTo("close");
      assertThat(r.place()).isEqualTo("entrance");
      assertThat(r.householdId()).isEqualTo(household);
      assertThat(r.battery()).isEqualTo(90);
    });
  }

  @Test
  void a_failure_of_the_rules_after_the_commit_still_answers_the_batch_as_stored() throws Exception {
    SensorsBed.Gateway gateway = bed.issue("伊那 手良沢岡ゲートウェイ", 600);
    String household = bed.household(gateway);
    SensorIngest ingest = new SensorIngest(bed.node.services(),
        new AuditLog(bed.node.services().database(), bed.node.services().clock()), readings -> {
          throw new IllegalStateException("the rules fell over");
        });

    JsonObject answer = accept(ingest, gateway, List.of(door(household, "toilet", 1, System.currentTimeMillis() - 500,
        "open")));

    assertThat(answer.getInteger("stored")).isEqualTo(1);
    assertThat(bed.count("select count(*) from " + SensorsBed.readingsOf(household))).isEqualTo(1);
  }

  private static JsonObject accept(SensorIngest ingest, SensorsBed.Gateway gateway, List<GatewayBatch.Reading> readings)
      throws Exception {
    byte[] body = GatewayBatch.body(gateway.id(), "b", System.currentTimeMillis(), readings);
    return ingest.accept(bed.node.vertx(), body, GatewayBatch.sign(gateway.key(), body)).await(30, TimeUnit.SECONDS);
  }
}
