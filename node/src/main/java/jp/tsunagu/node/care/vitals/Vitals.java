package jp.tsunagu.node.care.vitals;

import io.vertx.core.json.JsonObject;

/** One set of vital signs (バイタル) measured at one time; any value may be missing. */
public record Vitals(String measuredAt, Integer systolic, Integer diastolic, Integer pulse, Double temperature,
    Integer spo2, Double weight) {

  /** Values as a partner's team event carries them (already checked by the node that sequenced it). */
  public static Vitals fromJson(JsonObject v) {
    return new Vitals(v.getString("measuredAt"), v.getInteger("systolic"), v.getInteger("diastolic"),
        v.getInteger("pulse"), v.getDouble("temperature"), v.getInteger("spo2"), v.getDouble("weight"));
  }

  /**
   * The timeline text of a vitals post: the summary line, then the note if there is one. The
   * summary never spans lines, so the note is what follows the first line break.
   */
  String postBody(String note) {
    return summary() + (note.isEmpty() ? "" : "\n" + note);
  }

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
