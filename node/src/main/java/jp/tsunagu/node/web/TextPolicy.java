package jp.tsunagu.node.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.errors.CodedException;

/**
 * The one text policy of the node, for every field of every feature, applied where JSON bodies are
 * read ({@link JsonBodies}) and to the cells of CSV imports: text is stored as sent, so what cannot
 * be stored or shown as sent is refused (400) rather than altered.
 *
 * <ul>
 *   <li>unpaired surrogates (SQLite would store '?'), C0 and C1 control characters (NUL, BEL, ESC …;
 *       a multi-line field keeps line feed, carriage return and tab), format characters such as
 *       bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069) and zero-width characters
 *       (U+200B–U+200D, U+2060, U+FEFF), and noncharacters: {@code validation.text_invalid};</li>
 *   <li>a line break (also U+2028, U+2029) in a one-line field: {@code validation.line_break};</li>
 *   <li>an array, object, number or boolean where text is expected: {@code validation.not_text};</li>
 *   <li>more characters (code points, after normalisation) than the field allows:
 *       {@code validation.too_long}.</li>
 * </ul>
 *
 * Accepted text is normalised to NFC (a name typed on a Mac in NFD is stored as the same
 * characters a Windows PC sends). Passwords are checked for the characters only and never changed.
 */
public final class TextPolicy {

  private TextPolicy() {}

  /** Checks the body against the route's rules and puts the normalised text back in place. */
  public static void apply(JsonObject body, Optional<TextInventory.Route> route) {
    route.ifPresent(r -> r.fields().forEach(rule -> applyRule(body, rule)));
    for (String key : new ArrayList<>(body.fieldNames())) {
      if (route.flatMap(r -> r.field(key)).isEmpty()) {
        checkCharacters(key, "送信内容の「" + key + "」", TextRule.Lines.ONE);
        body.put(key, anyValue(key, body.getValue(key)));
      }
    }
  }

  /** One text checked against its rule, normalised; the refusal names the rule's label. */
  public static String check(String text, TextRule rule) {
    String normal = normalise(text, rule);
    if (rule.lines() != TextRule.Lines.SECRET && normal.codePointCount(0, normal.length()) > rule.max()) {
      throw CodedException.invalid("validation.too_long", rule.label() + "は" + rule.max() + "文字以内で入力してください。");
    }
    return normal;
  }

  /**
   * The characters of one text checked against its rule and the text normalised, its length left to
   * the caller (a CSV import reports every problem of a row, the length among them, its own way).
   */
  public static String normalise(String text, TextRule rule) {
    checkCharacters(text, rule.label(), rule.lines());
    return rule.lines() == TextRule.Lines.SECRET ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
  }

  private static void applyRule(JsonObject body, TextRule rule) {
    Object value = body.getValue(rule.field());
    if (value == null) {
      return;
    }
    if (value instanceof String text) {
      body.put(rule.field(), check(text, rule));
    } else if (value instanceof JsonArray list && rule.shape() == TextRule.Shape.TEXT_OR_LIST) {
      JsonArray checked = new JsonArray();
      for (Object item : list) {
        if (!(item instanceof String text)) {
          throw notText(rule.label());
        }
        checked.add(check(text, rule));
      }
      body.put(rule.field(), checked);
    } else if (!(value instanceof Number && rule.shape() == TextRule.Shape.TEXT_OR_NUMBER)) {
      throw notText(rule.label());
    }
  }

  /** A value no rule names: its strings (keys too) get the character rules of multi-line text. */
  private static Object anyValue(String label, Object value) {
    if (value instanceof String text) {
      return check(text, new TextRule(label, "送信内容の「" + label + "」", TextRule.Lines.MULTI, Integer.MAX_VALUE,
          TextRule.Shape.TEXT));
    }
    if (value instanceof JsonObject object) {
      JsonObject checked = new JsonObject();
      for (Map.Entry<String, Object> entry : object) {
        checkCharacters(entry.getKey(), "送信内容の「" + label + "」", TextRule.Lines.ONE);
        checked.put(Normalizer.normalize(entry.getKey(), Normalizer.Form.NFC), anyValue(label, entry.getValue()));
      }
      return checked;
    }
    if (value instanceof JsonArray array) {
      JsonArray checked = new JsonArray();
      array.forEach(item -> checked.add(anyValue(label, item)));
      return checked;
    }
    return value;
  }

  private static void checkCharacters(String text, String label, TextRule.Lines lines) {
    for (int i = 0; i < text.length(); ) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1)))) {
        throw invalid(label);
      }
      int cp = text.codePointAt(i);
      if (isLineBreak(cp)) {
        if (lines == TextRule.Lines.ONE) {
          throw CodedException.invalid("validation.line_break", label + "に改行は入れられません。1行で入力してください。");
        }
        if (cp > '\r') {
          throw invalid(label); // U+2028, U+2029: a line break the screens and CSV files do not know
        }
      } else if (forbidden(cp, lines)) {
        throw invalid(label);
      }
      i += Character.charCount(cp);
    }
  }

  private static boolean isLineBreak(int cp) {
    return cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029;
  }

  /** Whether a character (not a line break) is refused: see the class comment. */
  static boolean forbidden(int cp, TextRule.Lines lines) {
    if (cp == '\t') {
      return lines == TextRule.Lines.ONE;
    }
    int type = Character.getType(cp);
    return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
        || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
  }

  private static CodedException invalid(String label) {
    return CodedException.invalid("validation.text_invalid",
        label + "に使えない文字（制御文字・書式制御文字・不正な文字）が含まれています。");
  }

  private static CodedException notText(String label) {
    return CodedException.invalid("validation.not_text", label + "は文字で入力してください。");
  }
}
