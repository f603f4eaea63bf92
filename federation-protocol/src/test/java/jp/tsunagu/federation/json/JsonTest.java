package jp.tsunagu.federation.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jp.tsunagu.federation.Fixtures;

class JsonTest {

    @ParameterizedTest(name = "{0} is refused as malformed")
    @ValueSource(strings = {"", "{", "{\"a\":1", "[1,]", "{\"a\":1,}", "{'a':1}", "{a:1}", "NaN", "[01]", "[1.]",
            "{\"a\":1} x", "\"\\ud800\"", "[\"\\x\"]", "// c\n{}", "tru", "[1e]", "\"a\nb\""})
    void lenient_or_broken_json_is_malformed(String text) {
        assertThatThrownBy(() -> Json.parse(text)).extracting(Fixtures::codeOf).isEqualTo("json.malformed");
    }

    @Test
    void a_duplicate_member_name_is_refused() {
        assertThatThrownBy(() -> Json.parse("{\"kid\":\"a\",\"kid\":\"b\"}"))
                .extracting(Fixtures::codeOf).isEqualTo("json.duplicate_key");
    }

    @Test
    void deeply_nested_input_is_refused_rather_than_overflowing_the_stack() {
        assertThatThrownBy(() -> Json.parse("[".repeat(10_000) + "]".repeat(10_000)))
                .extracting(Fixtures::codeOf).isEqualTo("json.malformed");
    }

    @Test
    void pretty_output_parses_back_to_the_same_value() {
        Object value = Json.parse("{\"title\":\"上伊那 広域連携協定\",\"n\":[1,2.5,null,true],\"o\":{}}");
        assertThat(Json.parse(Json.writePretty(value))).isEqualTo(value);
        assertThat(Json.parse(Json.write(value))).isEqualTo(value);
    }
}
