package jp.tsunagu.federation.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jp.tsunagu.federation.Fixtures;

class CanonicalJsonTest {

    @Test
    void the_rfc_8785_main_example_canonicalizes_as_published() {
        String input = "{\n"
                + "  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
                + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
                + "  \"literals\": [null, true, false]\n"
                + "}";
        String expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
        assertThat(CanonicalJson.canonicalize(input)).isEqualTo(expected);
    }

    @Test
    void the_rfc_8785_example_bytes_match_the_published_hex() {
        String canonical = CanonicalJson.canonicalize("{\"numbers\":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"
                + "\"string\":\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\"literals\":[null,true,false]}");
        String hex = HexFormat.of().formatHex(canonical.getBytes(StandardCharsets.UTF_8));
        assertThat(hex).isEqualTo("7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c226e756d62657273223a5b33"
                + "33333333333333332e333333333333332c31652b33302c342e352c302e3030322c31652d32375d2c22737472696e67223a"
                + "22e282ac245c75303030665c6e4127425c225c5c5c5c5c222f227d");
    }

    @Test
    void members_are_sorted_by_utf16_code_units_as_in_rfc_8785_section_3_2_3() {
        String input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
                + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        Map<String, Object> sorted = Json.parseObject(CanonicalJson.canonicalize(input));
        assertThat(List.copyOf(sorted.values())).containsExactly("Carriage Return", "One", "Control",
                "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh");
    }

    @ParameterizedTest(name = "IEEE-754 {0} is written {1}")
    @CsvSource({
            "0000000000000000, 0",
            "8000000000000000, 0",
            "0000000000000001, 5e-324",
            "8000000000000001, -5e-324",
            "7fefffffffffffff, 1.7976931348623157e+308",
            "ffefffffffffffff, -1.7976931348623157e+308",
            "4340000000000000, 9007199254740992",
            "c340000000000000, -9007199254740992",
            "4430000000000000, 295147905179352830000",
            "44b52d02c7e14af5, 9.999999999999997e+22",
            "44b52d02c7e14af6, 1e+23",
            "44b52d02c7e14af7, 1.0000000000000001e+23",
            "444b1ae4d6e2ef4e, 999999999999999700000",
            "444b1ae4d6e2ef4f, 999999999999999900000",
            "444b1ae4d6e2ef50, 1e+21",
            "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
            "3eb0c6f7a0b5ed8d, 0.000001",
            "41b3de4355555553, 333333333.3333332",
            "41b3de4355555554, 333333333.33333325",
            "41b3de4355555555, 333333333.3333333",
            "41b3de4355555556, 333333333.3333334",
            "41b3de4355555557, 333333333.33333343",
            "becbf647612f3696, -0.0000033333333333333333",
            "43143ff3c1cb0959, 1424953923781206.2"
    })
    void numbers_are_written_as_rfc_8785_appendix_b_shows(String bits, String expected) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
        assertThat(CanonicalJson.write(List.of(value))).isEqualTo("[" + expected + "]");
    }

    @Test
    void nan_and_infinity_cannot_be_canonicalized() {
        assertThatThrownBy(() -> CanonicalJson.write(List.of(Double.NaN)))
                .extracting(Fixtures::codeOf).isEqualTo("json.number_invalid");
        assertThatThrownBy(() -> CanonicalJson.write(List.of(Double.POSITIVE_INFINITY)))
                .extracting(Fixtures::codeOf).isEqualTo("json.number_invalid");
    }

    @Test
    void integers_parse_as_longs_and_write_without_a_fraction() {
        assertThat(CanonicalJson.canonicalize("[1, -0, 1.0, 100e-2, 12345678901234]")).isEqualTo("[1,0,1,1,12345678901234]");
    }
}
