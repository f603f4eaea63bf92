package jp.tsunagu.federation.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our RFC 8785 canonicalizer against the scheme's published test data (src/test/resources/rfc8785)
 * and against a second, independently written implementation on generated documents.
 */
class CanonicalJsonVectorsTest {

    @ParameterizedTest(name = "{0}.json")
    @ValueSource(strings = {"arrays", "french", "structures", "values", "weird"})
    void the_published_test_data_canonicalizes_byte_for_byte(String name) {
        String input = new String(resource("rfc8785/input/" + name + ".json"), StandardCharsets.UTF_8);
        assertThat(CanonicalJson.bytes(Json.parse(input))).isEqualTo(resource("rfc8785/output/" + name + ".json"));
    }

    @Test
    void every_number_of_appendix_b_is_written_as_published() {
        String table = new String(resource("rfc8785/numbers.txt"), StandardCharsets.UTF_8);
        int checked = 0;
        for (String line : table.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] bitsAndText = line.strip().split(" ");
            double value = Double.longBitsToDouble(Long.parseUnsignedLong(bitsAndText[0], 16));
            assertThat(CanonicalJson.write(List.of(value))).as(bitsAndText[0]).isEqualTo("[" + bitsAndText[1] + "]");
            checked++;
        }
        assertThat(checked).isEqualTo(24);
    }

    @Test
    void generated_documents_canonicalize_as_a_second_implementation_does() throws IOException {
        Random random = new Random(8785);
        for (int i = 0; i < 2_000; i++) {
            String text = Json.write(document(random, 0));
            assertThat(CanonicalJson.canonicalize(text)).as(text)
                    .isEqualTo(new JsonCanonicalizer(text).getEncodedString());
        }
    }

    @Test
    void random_doubles_are_written_as_a_second_implementation_writes_them() throws IOException {
        Random random = new Random(754);
        for (int i = 0; i < 20_000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                continue;
            }
            String text = "[" + value + "]";
            assertThat(CanonicalJson.canonicalize(text)).as(text)
                    .isEqualTo(new JsonCanonicalizer(text).getEncodedString());
        }
    }

    /** An object of members in random order, with nested values, numbers and strings of every kind. */
    private static Map<String, Object> document(Random random, int depth) {
        Map<String, Object> object = new LinkedHashMap<>();
        int members = 1 + random.nextInt(6);
        for (int m = 0; m < members; m++) {
            object.put(text(random, 1 + random.nextInt(6)), value(random, depth + 1));
        }
        return object;
    }

    private static Object value(Random random, int depth) {
        int kind = random.nextInt(depth < 4 ? 8 : 6);
        return switch (kind) {
            case 0 -> text(random, random.nextInt(12));
            case 1 -> random.nextInt(3) == 0 ? null : random.nextBoolean();
            case 2 -> random.nextLong() % (1L << 53);
            case 3 -> (random.nextInt(2_000_001) - 1_000_000) / 1000.0;
            case 4 -> Math.pow(10, random.nextInt(60) - 30) * random.nextDouble();
            case 5 -> Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL) * (random.nextBoolean() ? 1 : -1);
            case 6 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    list.add(value(random, depth + 1));
                }
                yield list;
            }
            default -> document(random, depth);
        };
    }

    /** Text from ASCII, control characters, Latin, Japanese, other BMP letters and emoji (surrogate pairs). */
    private static String text(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(6)) {
                case 0 -> text.append((char) (0x20 + random.nextInt(0x5f)));
                case 1 -> text.append((char) random.nextInt(0x20));
                case 2 -> text.append((char) (0x80 + random.nextInt(0x180)));
                case 3 -> text.append((char) (0x3041 + random.nextInt(0x60)));
                case 4 -> text.append((char) (0xfb1d + random.nextInt(0x30)));
                default -> text.appendCodePoint(0x1f600 + random.nextInt(0x50));
            }
        }
        return text.toString();
    }

    private static byte[] resource(String path) {
        try (InputStream in = CanonicalJsonVectorsTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
