package jp.tsunagu.node.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
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
    return new JsonObject().put("author", new JsonObject().put("id", "staff@ina")).put("issuedAt",
        "2026-12-01T06:30:00Z").put("summary", new JsonObject().put("monitored", true).put("status", "active")
        .put("lastActivityMs", 1_796_000_000_000L).put("alerts", new JsonArray().add(new JsonObject()
            .put("id", "01a2b3").put("kind", "no_activity").put("state", "escalated").put("raisedMs", 1_796_000_100_000L)
            .put("escalatedMs", 1_796_000_200_000L))));
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
    Map<String, UnaryOperator<JsonObject>> twists = new LinkedHashMap<>();
    twists.put("no summary", d -> { d.remove("summary"); return d; });
    twists.put("summary not an object", d -> d.put("summary", "monitored"));
    twists.put("no issuedAt", d -> { d.remove("issuedAt"); return d; });
    twists.put("issuedAt not a time", d -> d.put("issuedAt", "yesterday"));
    twists.put("monitored as text", d -> { d.getJsonObject("summary").put("monitored", "true"); return d; });
    twists.put("unknown status", d -> { d.getJsonObject("summary").put("status", "paused"); return d; });
    twists.put("negative activity", d -> { d.getJsonObject("summary").put("lastActivityMs", -1); return d; });
    twists.put("activity as text", d -> { d.getJsonObject("summary").put("lastActivityMs", "6時"); return d; });
    twists.put("alerts not a list", d -> { d.getJsonObject("summary").put("alerts", new JsonObject()); return d; });
    twists.put("an alert not an object", d -> { d.getJsonObject("summary").getJsonArray("alerts").add("x"); return d; });
    twists.put("unknown kind", d -> { alert(d).put("kind", "fire"); return d; });
    twists.put("unknown state", d -> { alert(d).put("state", "forgotten"); return d; });
    twists.put("an id with markup", d -> { alert(d).put("id", "<script>"); return d; });
    twists.put("no raisedMs", d -> { alert(d).remove("raisedMs"); return d; });
    twists.put("escalatedMs as text", d -> { alert(d).put("escalatedMs", "soon"); return d; });
    twists.put("too many alerts", d -> {
      JsonArray many = new JsonArray();
      for (int i = 0; i <= StatusSummaries.MAX_ALERTS; i++) {
        many.add(alert(valid()).copy().put("id", "a" + i));
      }
      d.getJsonObject("summary").put("alerts", many);
      return d;
    });
    twists.forEach((twist, change) -> {
      SyncRejection refused = catchThrowableOfType(SyncRejection.class,
          () -> StatusSummaries.checked(change.apply(valid())));
      assertThat(refused).as(twist).isNotNull();
      assertThat(refused.code()).as(twist).isEqualTo("sensors.status_malformed");
    });
  }

  private static JsonObject alert(JsonObject data) {
    return data.getJsonObject("summary").getJsonArray("alerts").getJsonObject(0);
  }
}
