package jp.tsunagu.node.care;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.web.JsonBodies;

/**
 * Validation of the care features' JSON bodies, as its own step before any work: each check
 * returns the clean value or throws a 400 with a stable code ({@code validation.required},
 * {@code validation.too_long}, {@code validation.malformed}) naming the field in Japanese.
 */
public final class CareInput {

  /** Line breaks and tabs are normal in notes; other control characters are not. */
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\n\\r\\t]]|\\p{Cf}");

  private final JsonObject json;

  public CareInput(JsonObject json) {
    this.json = json;
  }

  public static CareInput of(RoutingContext ctx) {
    return new CareInput(JsonBodies.required(ctx));
  }

  public JsonObject json() {
    return json;
  }

  public String text(String name, String label, int max) {
    String text = optionalText(name, label, max);
    if (text.isEmpty()) {
      throw CodedException.invalid("validation.required", label + "を入力してください。");
    }
    return text;
  }

  public String optionalText(String name, String label, int max) {
    Object value = json.getValue(name);
    if (value == null) {
      return "";
    }
    if (!(value instanceof String)) {
      throw malformed(label);
    }
    return checkedText((String) value, label, max);
  }

  public static String checkedText(String raw, String label, int max) {
    String text = raw.strip();
    if (text.codePointCount(0, text.length()) > max) {
      throw CodedException.invalid("validation.too_long", label + "は" + max + "文字以内で入力してください。");
    }
    if (CONTROL.matcher(text).find()) {
      throw malformed(label);
    }
    return text;
  }

  public String oneOf(String name, String label, Collection<String> allowed) {
    String text = text(name, label, 64);
    if (!allowed.contains(text)) {
      throw malformed(label);
    }
    return text;
  }

  public static LocalDate date(String text, String label) {
    try {
      LocalDate date = LocalDate.parse(text);
      if (date.getYear() < 1880) {
        throw malformed(label);
      }
      return date;
    } catch (DateTimeParseException e) {
      throw CodedException.invalid("validation.bad_date", label + "は 2024-04-01 の形式の正しい日付で入力してください。");
    }
  }

  /** A list of ids (user ids, attachment ids); at most {@code max}, each a short token. */
  public List<String> ids(String name, String label, int max) {
    Object value = json.getValue(name);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array) || array.size() > max) {
      throw malformed(label);
    }
    List<String> ids = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String id) || id.isEmpty() || id.length() > 64) {
        throw malformed(label);
      }
      if (!ids.contains(id)) {
        ids.add(id);
      }
    }
    return ids;
  }

  public static CodedException malformed(String label) {
    return CodedException.invalid("validation.malformed", label + "の形式が正しくありません。");
  }
}
