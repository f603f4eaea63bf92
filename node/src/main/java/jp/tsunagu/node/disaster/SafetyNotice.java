package jp.tsunagu.node.disaster;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import jp.tsunagu.node.care.TimelineNotices;

/**
 * The notice a 安否確認 puts on the patient's team timeline, e.g.
 * 「安否確認: 避難所（東部中学校）— 記録: 伊那市 保健師 山田 花子, 2026-12-06 10:12」. Made from what the
 * record says (status, shelter, note, who and when), so every node of a shared team writes the
 * same text from the same signed event.
 */
final class SafetyNotice {

  private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
      .withZone(ZoneId.of("Asia/Tokyo"));

  private SafetyNotice() {}

  static String body(SafetyStatus status, String shelter, String note, JsonObject recorder, Instant at) {
    StringBuilder text = new StringBuilder("安否確認: ").append(status.labelJa());
    if (status == SafetyStatus.SHELTER && !shelter.isEmpty()) {
      text.append("（").append(shelter).append("）");
    }
    text.append(text.charAt(text.length() - 1) == '）' ? "— 記録: " : " — 記録: ").append(TimelineNotices.describe(clean(recorder))).append(", ").append(MINUTES.format(at));
    if (!note.isEmpty()) {
      text.append("\nメモ: ").append(note);
    }
    return text.toString();
  }

  /** A profile with its absent or null fields as empty text (a staff account has no profession). */
  private static JsonObject clean(JsonObject profile) {
    JsonObject clean = new JsonObject();
    for (String key : new String[] {"id", "familyName", "givenName", "profession", "facility"}) {
      clean.put(key, profile.getValue(key) instanceof String s ? s : "");
    }
    return clean;
  }
}
