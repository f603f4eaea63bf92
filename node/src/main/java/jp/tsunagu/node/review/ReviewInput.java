package jp.tsunagu.node.review;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import jp.tsunagu.node.errors.CodedException;

/** Reading the review board's request bodies: texts (already checked by the text policy), numbers, times. */
final class ReviewInput {

  private ReviewInput() {}

  static String text(JsonObject body, String field) {
    return body.getValue(field) instanceof String s ? s.strip() : "";
  }

  static int integer(JsonObject body, String field, int min, int max, String code, String message) {
    Object value = body.getValue(field);
    if (value instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() >= min && n.intValue() <= max) {
      return n.intValue();
    }
    if (value instanceof String s && s.strip().matches("[0-9]{1,6}")) {
      int parsed = Integer.parseInt(s.strip());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    }
    throw CodedException.invalid(code, message);
  }

  /** A time with its offset, or a local time in Japan (2026-12-10T14:00), stored as an instant to the second. */
  static Instant time(JsonObject body, String field, String label) {
    String text = text(body, field);
    try {
      return OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.SECONDS);
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(text).atZone(ReviewAccess.JAPAN).toInstant().truncatedTo(ChronoUnit.SECONDS);
      } catch (DateTimeParseException e2) {
        throw CodedException.invalid("review.invalid_time", label + "の日時を入力してください。");
      }
    }
  }
}
