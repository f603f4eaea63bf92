package jp.tsunagu.node.emergency;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.tsunagu.node.care.CareInput;

/**
 * Telephone numbers as a crew calls them: found in the free text the team wrote (緊急連絡先 "長女
 * 090-1234-5678", かかりつけ医 with its clinic's number), so the emergency view can offer one call
 * button per number, labelled with the words before it.
 */
final class Phones {

  /** A Japanese number: 10 or 11 digits, grouped by hyphens or spaces or not at all. */
  private static final Pattern NUMBER = Pattern.compile("0\\d{1,4}[-‐ー−\\s]?\\d{1,4}[-‐ー−\\s]?\\d{3,4}");
  private static final Pattern ALLOWED = Pattern.compile("[0-9+()\\-\\s]*");

  private Phones() {}

  /** A phone number field: digits, hyphens, spaces, brackets and + only (or empty). */
  static String checked(String text, String label) {
    if (!ALLOWED.matcher(Normalizer.normalize(text, Normalizer.Form.NFKC)).matches()) {
      throw CareInput.malformed(label);
    }
    return text;
  }

  /** Digits alone, for comparing a number however it was written. */
  static String digits(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFKC).replaceAll("[^0-9]", "");
  }

  /**
   * Adds to {@code calls} each number in {@code text} with its label: the words before it on its line,
   * or {@code fallback} when there are none. A number already listed is not listed again.
   */
  static void collect(JsonArray calls, Set<String> seen, String fallback, String text) {
    if (text == null) {
      return;
    }
    for (String line : Normalizer.normalize(text, Normalizer.Form.NFKC).split("\\R")) {
      Matcher m = NUMBER.matcher(line);
      int from = 0;
      while (m.find()) {
        String number = digits(m.group());
        String before = line.substring(from, m.start()).replaceAll("[\\s:：、,（(）)]+$", "").strip();
        from = m.end();
        if ((number.length() == 10 || number.length() == 11) && seen.add(number)) {
          calls.add(new JsonObject().put("label", before.isEmpty() ? fallback : fallback + " " + before)
              .put("number", number).put("display", m.group().strip()));
        }
      }
    }
  }

  static Set<String> seen() {
    return new LinkedHashSet<>();
  }
}
