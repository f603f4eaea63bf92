package jp.tsunagu.federation.json;

import java.nio.charset.StandardCharsets;

/**
 * The JSON Canonicalization Scheme of RFC 8785: what the protocol hashes and signs.
 *
 * <p>Members are sorted by their names' UTF-16 code units, no whitespace is written, strings are
 * escaped minimally and numbers are formatted as ECMAScript does. Two parties holding equal values
 * therefore sign and hash the very same bytes.
 */
public final class CanonicalJson {
    private CanonicalJson() {
    }

    /**
     * @param value a value of the types {@link Json} reads
     * @return the canonical JSON text
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        JsonWriter.write(out, value, true, -1, 0);
        return out.toString();
    }

    /**
     * @param value a value of the types {@link Json} reads
     * @return the canonical JSON as UTF-8 bytes, ready to hash or sign
     */
    public static byte[] bytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses JSON text and canonicalizes it.
     *
     * @param json any JSON text
     * @return its canonical form
     */
    public static String canonicalize(String json) {
        return write(Json.parse(json));
    }
}
