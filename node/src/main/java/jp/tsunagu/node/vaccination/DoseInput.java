package jp.tsunagu.node.vaccination;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.text.Normalizer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import jp.tsunagu.node.errors.CodedException;

/**
 * The shape of a dose as a form or a partner's event gives it, checked field by field with a stable
 * code each; what needs the node's tables (a known vaccine, the order of doses, the birth date) is
 * {@link DoseRules}'s.
 */
final class DoseInput {

  /** ロット番号 as printed on the vial: letters and digits, a hyphen inside, 3 to 20 characters. */
  static final Pattern LOT = Pattern.compile("[A-Z0-9](?:[A-Z0-9-]{1,18})[A-Z0-9]");
  /** 接種券番号: the digits of the ticket (10 on a municipality's 接種券), 4 to 20 of them. */
  static final Pattern TICKET = Pattern.compile("[0-9]{4,20}");
  static final int TEXT_MAX = 40;
  static final int PHOTOS_MAX = 5;

  private DoseInput() {}

  static Dose of(JsonObject json, String id, String patientId) {
    String vaccine = text(json, "vaccine");
    if (vaccine.isEmpty()) {
      throw CodedException.invalid("vaccination.unknown_vaccine", "ワクチンを選んでください。");
    }
    Object number = json.getValue("doseNumber");
    if (!(number instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 1 || n.intValue() > 20) {
      throw CodedException.invalid("vaccination.bad_dose_number", "接種回数は1〜20の整数で入力してください。");
    }
    Instant givenAt = instant(json.getValue("givenAt"), "接種日時");
    if (givenAt == null) {
      throw CodedException.invalid("vaccination.given_at_required", "接種日時を入力してください。");
    }
    Place place = Place.fromCode(text(json, "place")).orElseThrow(() -> CodedException.invalid(
        "vaccination.bad_place", "接種場所を 訪問・施設・集合会場 から選んでください。"));
    String manufacturer = required(json, "manufacturer", "メーカー");
    String lot = Normalizer.normalize(text(json, "lotNumber"), Normalizer.Form.NFKC).toUpperCase(java.util.Locale.ROOT);
    if (!LOT.matcher(lot).matches()) {
      throw CodedException.invalid("vaccination.bad_lot_number",
          "ロット番号は英大文字・数字・ハイフンの3〜20文字で入力してください（例: FK1234、EX-0123）。");
    }
    String vaccinator = required(json, "vaccinator", "接種者");
    String ticket = Normalizer.normalize(text(json, "ticketNumber"), Normalizer.Form.NFKC);
    if (!TICKET.matcher(ticket).matches()) {
      throw CodedException.invalid("vaccination.bad_ticket_number", "接種券番号は数字で入力してください。");
    }
    Screening screening = Screening.of(json.getValue("screening") instanceof JsonObject s ? s : null);
    screening.requireClear();
    Observation observation = Observation.of(json.getValue("observation") instanceof JsonObject o ? o : null, givenAt);
    return new Dose(id, patientId, vaccine, n.intValue(), givenAt, place, manufacturer, lot, vaccinator, ticket,
        screening, observation, ids(json, "ticketPhotos"), ids(json, "screeningPhotos"));
  }

  /** A time as ISO-8601 with its offset, or null when absent; anything else is refused. */
  static Instant instant(Object value, String label) {
    if (value == null || "".equals(value)) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse((String) value).toInstant();
    } catch (DateTimeParseException | ClassCastException e) {
      throw CodedException.invalid("validation.bad_date", label + "の形式が正しくありません。");
    }
  }

  static String text(JsonObject json, String field) {
    return json.getValue(field) instanceof String s ? s.strip() : "";
  }

  private static String required(JsonObject json, String field, String label) {
    String value = text(json, field);
    if (value.isEmpty()) {
      throw CodedException.invalid("validation.required", label + "を入力してください。");
    }
    if (value.length() > TEXT_MAX) {
      throw CodedException.invalid("validation.too_long", label + "は" + TEXT_MAX + "文字以内で入力してください。");
    }
    return value;
  }

  private static List<String> ids(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array) || array.size() > PHOTOS_MAX) {
      throw CodedException.invalid("validation.malformed", "写真は" + PHOTOS_MAX + "枚までです。");
    }
    List<String> ids = new ArrayList<>();
    for (Object id : array) {
      if (!(id instanceof String s) || s.isBlank() || s.length() > 80) {
        throw CodedException.invalid("validation.malformed", "写真の指定が正しくありません。");
      }
      ids.add(s);
    }
    return List.copyOf(ids);
  }
}
