package jp.tsunagu.federation.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.tsunagu.federation.ProtocolException;

/**
 * A strict JSON reader (RFC 8259, I-JSON) and writer over plain Java values.
 *
 * <p>Values are {@code Map<String, Object>} (insertion ordered), {@code List<Object>}, {@code String},
 * {@code Long} (integers without fraction or exponent that fit), {@code Double} (every other number),
 * {@code Boolean} and {@code null}. The reader is strict because signed documents are security input:
 * it rejects duplicate keys, trailing content, lone surrogates, comments and anything lenient parsers
 * accept, each with code {@code json.malformed} (or {@code json.duplicate_key}).
 */
public final class Json {
    /** Deepest nesting accepted, so hostile input cannot exhaust the stack. */
    private static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /**
     * Parses one JSON value that spans the whole text.
     *
     * @param text JSON text
     * @return the value
     * @throws ProtocolException {@code json.malformed} or {@code json.duplicate_key}
     */
    public static Object parse(String text) {
        if (text == null) {
            throw malformedAt("no input", 0);
        }
        Json reader = new Json(text);
        reader.skipWhitespace();
        Object value = reader.readValue(0);
        reader.skipWhitespace();
        if (reader.pos != text.length()) {
            throw malformedAt("unexpected content after the JSON value", reader.pos);
        }
        return value;
    }

    /**
     * Parses a JSON object.
     *
     * @param text JSON text whose top level is an object
     * @return the object's members in document order
     * @throws ProtocolException {@code json.malformed} when not an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new ProtocolException("json.malformed", "expected a JSON object at the top level");
        }
        return (Map<String, Object>) value;
    }

    /**
     * Writes a value as compact JSON, members in map order.
     *
     * @param value a value of the supported types
     * @return JSON text
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        JsonWriter.write(out, value, false, -1, 0);
        return out.toString();
    }

    /**
     * Writes a value as indented JSON for files people read, members in map order.
     *
     * @param value a value of the supported types
     * @return JSON text ending with a newline
     */
    public static String writePretty(Object value) {
        StringBuilder out = new StringBuilder();
        JsonWriter.write(out, value, false, 2, 0);
        return out.append('\n').toString();
    }

    private Object readValue(int depth) {
        if (depth > MAX_DEPTH) {
            throw malformedAt("nesting deeper than " + MAX_DEPTH, pos);
        }
        if (pos >= text.length()) {
            throw malformedAt("unexpected end of input", pos);
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{': return readObject(depth);
            case '[': return readArray(depth);
            case '"': return readString();
            case 't': return readLiteral("true", Boolean.TRUE);
            case 'f': return readLiteral("false", Boolean.FALSE);
            case 'n': return readLiteral("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return readNumber();
                }
                throw malformedAt("unexpected character '" + c + "'", pos);
        }
    }

    private Map<String, Object> readObject(int depth) {
        pos++;
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw malformedAt("expected a member name", pos);
            }
            int namePos = pos;
            String name = readString();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = readValue(depth + 1);
            if (members.containsKey(name)) {
                throw new ProtocolException("json.duplicate_key",
                        "duplicate member name '" + name + "' at offset " + namePos);
            }
            members.put(name, value);
            skipWhitespace();
            char c = next();
            if (c == '}') {
                return members;
            }
            if (c != ',') {
                throw malformedAt("expected ',' or '}'", pos - 1);
            }
        }
    }

    private List<Object> readArray(int depth) {
        pos++;
        List<Object> items = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return items;
        }
        while (true) {
            skipWhitespace();
            items.add(readValue(depth + 1));
            skipWhitespace();
            char c = next();
            if (c == ']') {
                return items;
            }
            if (c != ',') {
                throw malformedAt("expected ',' or ']'", pos - 1);
            }
        }
    }

    private String readString() {
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                throw malformedAt("control character in string", pos - 1);
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"': out.append('"'); break;
                case '\\': out.append('\\'); break;
                case '/': out.append('/'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 't': out.append('\t'); break;
                case 'u': out.append(readHex4()); break;
                default: throw malformedAt("invalid escape '\\" + e + "'", pos - 1);
            }
        }
        requireWellFormedUnicode(out);
        return out.toString();
    }

    private char readHex4() {
        if (pos + 4 > text.length()) {
            throw malformedAt("unexpected end of input in \\u escape", pos);
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos++), 16);
            if (digit < 0) {
                throw malformedAt("invalid \\u escape", pos - 1);
            }
            value = value * 16 + digit;
        }
        return (char) value;
    }

    private void requireWellFormedUnicode(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw malformedAt("lone surrogate in string", pos);
            }
        }
    }

    private Object readNumber() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else {
            requireDigits();
        }
        boolean integral = true;
        if (peek() == '.') {
            pos++;
            requireDigits();
            integral = false;
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            requireDigits();
            integral = false;
        }
        String literal = text.substring(start, pos);
        if (integral && literal.length() <= 18) {
            return Long.parseLong(literal);
        }
        double value = new BigDecimal(literal).doubleValue();
        if (Double.isInfinite(value)) {
            throw malformedAt("number out of range", start);
        }
        return value;
    }

    private void requireDigits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == start) {
            throw malformedAt("expected a digit", pos);
        }
    }

    private Object readLiteral(String literal, Object value) {
        if (!text.startsWith(literal, pos)) {
            throw malformedAt("invalid literal", pos);
        }
        pos += literal.length();
        return value;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next() {
        if (pos >= text.length()) {
            throw malformedAt("unexpected end of input", pos);
        }
        return text.charAt(pos++);
    }

    private void expect(char c) {
        if (next() != c) {
            throw malformedAt("expected '" + c + "'", pos - 1);
        }
    }

    private static ProtocolException malformedAt(String what, int offset) {
        return new ProtocolException("json.malformed", "not valid JSON: " + what + " at offset " + offset);
    }
}
