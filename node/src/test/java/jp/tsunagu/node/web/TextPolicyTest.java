package jp.tsunagu.node.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.errors.CodedException;
import org.junit.jupiter.api.Test;

/** The text policy and the strict JSON reader on their own, character by character. */
class TextPolicyTest {

  static final TextRule NAME = TextRule.line("name", "名称", 5);
  static final TextRule NOTE = TextRule.lines("note", "メモ", 20);

  @Test
  void text_is_normalised_to_nfc_and_counted_in_code_points() {
    assertThat(TextPolicy.check("か\u3099", NAME)).isEqualTo("が");
    assertThat(TextPolicy.check("𠮷𠮷𠮷𠮷🌸", NAME)).isEqualTo("𠮷𠮷𠮷𠮷🌸");
    assertThat(TextPolicy.check("一行目\r\n二行目\tタブ", NOTE)).isEqualTo("一行目\r\n二行目\tタブ");
    TextRule password = TextRule.secret("password", "パスワード", 128);
    assertThat(TextPolicy.check("か\u3099-Secret", password)).as("a password is never changed").isEqualTo("か\u3099-Secret");
    assertThat(code(() -> TextPolicy.check("pass\u0000word", password))).isEqualTo("validation.text_invalid");
    assertThat(code(() -> TextPolicy.check("𠮷𠮷𠮷𠮷🌸あ", NAME))).isEqualTo("validation.too_long");
  }

  @Test
  void characters_that_are_not_what_they_seem_are_refused() {
    for (String text : List.of("\uD800", "a\uDC00", "\u0000", "\u0007", "\u001B", "\u007F", "\u0085", "\u009B",
        "\u202A", "\u202E", "\u2066", "\u2069", "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD",
        "\u2028", "\u2029", "\uFDD0", "\uFFFE", "\uD83F\uDFFF", "\uDB40\uDC01")) {
      assertThat(code(() -> TextPolicy.check("a" + text, NOTE))).as(escape(text)).isEqualTo("validation.text_invalid");
    }
    assertThat(code(() -> TextPolicy.check("a\nb", NAME))).isEqualTo("validation.line_break");
    assertThat(code(() -> TextPolicy.check("a\rb", NAME))).isEqualTo("validation.line_break");
    assertThat(code(() -> TextPolicy.check("a\tb", NAME))).isEqualTo("validation.text_invalid");
  }

  @Test
  void the_inventory_rules_apply_by_route_and_other_strings_get_the_character_rules() {
    TextInventory.Route tags = TextInventory.route("POST", "/api/v1/staff/resource-tags").orElseThrow();
    JsonObject body = new JsonObject().put("name", "か\u3099").put("extra", "ふ\u309A");
    TextPolicy.apply(body, Optional.of(tags));
    assertThat(body.getString("name")).isEqualTo("が");
    assertThat(body.getString("extra")).isEqualTo("ぷ");
    assertThat(code(() -> TextPolicy.apply(new JsonObject().put("name", new JsonObject().put("a", "b")),
        Optional.of(tags)))).isEqualTo("validation.not_text");
    assertThat(code(() -> TextPolicy.apply(new JsonObject().put("x", new JsonObject().put("a", "\u0000")),
        Optional.empty()))).isEqualTo("validation.text_invalid");
  }

  @Test
  void the_json_reader_takes_one_plain_object_and_nothing_else() {
    assertThat(StrictJson.object(Buffer.buffer("{\"a\":\"\\u304b\",\"n\":1.5,\"big\":123456789012345678901234567890}"))
        .getString("a")).isEqualTo("か");
    for (String body : List.of("", "{\"a\":1,\"a\":2}", "{\"a\":1}//", "{/*x*/}", "{\"a\":NaN}", "{\"a\":1e400}",
        "{\"a\":1}{}", "[]", "\"text\"", "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}")) {
      assertThat(code(() -> StrictJson.object(Buffer.buffer(body)))).as(body).isEqualTo("validation.malformed");
    }
    assertThat(code(() -> StrictJson.object(Buffer.buffer(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"',
        '}'})))).isEqualTo("validation.malformed");
  }

  static String code(Runnable action) {
    try {
      action.run();
    } catch (CodedException e) {
      return e.code();
    }
    return "accepted";
  }

  static String code(java.util.concurrent.Callable<?> action) {
    try {
      action.call();
    } catch (CodedException e) {
      return e.code();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return "accepted";
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder();
    text.chars().forEach(c -> out.append(String.format("\\u%04X", c)));
    return out.toString();
  }
}
