package jp.tsunagu.node.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.UnaryOperator;
import jp.tsunagu.node.care.replication.SyncRejection;
import org.junit.jupiter.api.Test;

/**
 * What a partner node accepts of a home node's sensor status summary (team event
 * {@value StatusSummaries#TYPE}): the fields it shows, each of its kind; every twist a hostile home
 * node could send is refused with {@code sensors.status_malformed}, and nothing but the known fields
 * is kept (no name or extra text slips through to the tab).
 */
class StatusSummaryCheckTest {

  private static JsonObject valid() {
    return StatusSummaryTwists.valid(new JsonObject().put("id", "staff@ina"), "2026-12-01T06:30:00Z");
  }

  @Test
  void a_well_formed_summary_is_kept_with_its_known_fields_only() {
    JsonObject data = valid();
    data.getJsonObject("summary").put("residentName", "唐木 トメ");
    data.getJsonObject("summary").getJsonArray("alerts").getJsonObject(0).put("detail", "0265-00-0001");
    JsonObject kept = StatusSummaries.checked(data);
    assertThat(kept.fieldNames()).containsExactlyInAnyOrder("monitored", "status", "lastActivityMs", "alerts");
    assertThat(kept.getJsonArray("alerts").getJsonObject(0).fieldNames())
        .containsExactlyInAnyOrder("id", "kind", "state", "raisedMs", "escalatedMs");
    assertThat(kept.encode()).doesNotContain("唐木").doesNotContain("0265");
  }

  @Test
  void every_twisted_summary_is_refused_with_its_stable_code() {
    Map<String, UnaryOperator<JsonObject>> twists = StatusSummaryTwists.all();
    twists.forEach((twist, change) -> {
      SyncRejection refused = catchThrowableOfType(SyncRejection.class,
          () -> StatusSummaries.checked(change.apply(valid())));
      assertThat(refused).as(twist).isNotNull();
      assertThat(refused.code()).as(twist).isEqualTo("sensors.status_malformed");
    });
  }
}
