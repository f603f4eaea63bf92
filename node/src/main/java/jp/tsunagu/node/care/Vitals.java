package jp.tsunagu.node.care;

import io.vertx.core.json.JsonObject;

/** One set of vital signs (バイタル) measured at one time; any value may be missing. */
public record Vitals(String measuredAt, Integer systolic, Integer diastolic, Integer pulse, Double temperature,
    Integer spo2, Double weight) {

  public JsonObject toJson() {
    return new JsonObject().put("measuredAt", measuredAt).put("systolic", systolic).put("diastolic", diastolic)
        .put("pulse", pulse).put("temperature", temperature).put("spo2", spo2).put("weight", weight);
  }

  /** The line the timeline shows, e.g. "血圧 132/78 mmHg・脈拍 72 回/分・体温 36.5 ℃". */
  public String summary() {
    StringBuilder text = new StringBuilder();
    if (systolic != null && diastolic != null) {
      append(text, "血圧 " + systolic + "/" + diastolic + " mmHg");
    }
    if (pulse != null) {
      append(text, "脈拍 " + pulse + " 回/分");
    }
    if (temperature != null) {
      append(text, "体温 " + temperature + " ℃");
    }
    if (spo2 != null) {
      append(text, "SpO2 " + spo2 + " %");
    }
    if (weight != null) {
      append(text, "体重 " + weight + " kg");
    }
    return text.toString();
  }

  private static void append(StringBuilder text, String part) {
    if (!text.isEmpty()) {
      text.append("・");
    }
    text.append(part);
  }
}
