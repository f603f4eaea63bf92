package jp.tsunagu.node.sensors;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A well-formed sensor status summary (the data of team event {@value StatusSummaries#TYPE}) and every
 * way a hostile home node could twist it; each twist must be refused with
 * {@code sensors.status_malformed}. Shared by the check's own test and the test that sends the twists
 * from a real home node.
 */
final class StatusSummaryTwists {

  private StatusSummaryTwists() {}

  /** A summary with one escalated alert, by {@code author} (a profile), issued at {@code issuedAt}. */
  static JsonObject valid(JsonObject author, String issuedAt) {
    return new JsonObject().put("author", author).put("issuedAt", issuedAt).put("summary", new JsonObject()
        .put("monitored", true).put("status", "active").put("lastActivityMs", 1_796_000_000_000L)
        .put("alerts", new JsonArray().add(new JsonObject().put("id", "01a2b3").put("kind", "no_activity")
            .put("state", "escalated").put("raisedMs", 1_796_000_100_000L).put("escalatedMs", 1_796_000_200_000L))));
  }

  /** Each twist by name: it changes a copy of a valid summary's data and answers it. */
  static Map<String, UnaryOperator<JsonObject>> all() {
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
        many.add(alert(d).copy().put("id", "a" + i));
      }
      d.getJsonObject("summary").put("alerts", many);
      return d;
    });
    return twists;
  }

  private static JsonObject alert(JsonObject data) {
    return data.getJsonObject("summary").getJsonArray("alerts").getJsonObject(0);
  }
}
