package jp.tsunagu.node.sensors;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** An alert: one episode of a rule for a household (or a gateway), and where the call centre is with it. */
record Alert(String id, String householdId, String gatewayId, String deviceId, AlertKind kind, String audience,
    String state, long raisedMs, JsonObject detail, Long acknowledgedMs, Long escalatedMs, Long resolvedMs,
    String resolution) {

  static final Map<String, String> STATE_LABELS = Map.of("raised", "発生", "in_progress", "対応中", "escalated",
      "エスカレーション済み", "resolved", "解決");

  /** One step taken on an alert, in order. */
  record Step(int ordinal, long atMs, String actor, String actorName, String step, String outcome, String note) {
    JsonObject toJson() {
      return new JsonObject().put("ordinal", ordinal).put("atMs", atMs).put("actor", actorName).put("step", step)
          .put("stepLabel", AlertSteps.label(step)).put("outcome", outcome)
          .put("outcomeLabel", outcome == null ? null : AlertCall.fromCode(outcome).map(AlertCall::labelJa)
              .orElse(outcome)).put("note", note);
    }
  }

  boolean open() {
    return !"resolved".equals(state);
  }

  JsonObject toJson() {
    return new JsonObject().put("id", id).put("householdId", householdId).put("gatewayId", gatewayId)
        .put("deviceId", deviceId).put("kind", kind.code()).put("kindLabel", kind.labelJa()).put("audience", audience)
        .put("state", state).put("stateLabel", STATE_LABELS.get(state)).put("raisedMs", raisedMs).put("detail", detail)
        .put("acknowledgedMs", acknowledgedMs).put("escalatedMs", escalatedMs).put("resolvedMs", resolvedMs)
        .put("resolution", resolution);
  }

  static JsonArray steps(List<Step> steps) {
    return new JsonArray(steps.stream().map(Step::toJson).toList());
  }
}
