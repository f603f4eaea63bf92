package jp.tsunagu.federation.json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import jp.tsunagu.federation.ProtocolException;

/** Serializes plain Java values; shared by pretty, compact and canonical output. */
final class JsonWriter {
    private JsonWriter() {
    }

    /**
     * @param sortKeys sort object members by UTF-16 code units (RFC 8785) instead of map order
     * @param indent   spaces per level, or -1 for no whitespace at all
     */
    static void write(StringBuilder out, Object value, boolean sortKeys, int indent, int level) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Number n) {
            out.append(JsonNumbers.format(n));
        } else if (value instanceof Map<?, ?> map) {
            writeObject(out, map, sortKeys, indent, level);
        } else if (value instanceof Collection<?> items) {
            writeArray(out, items, sortKeys, indent, level);
        } else {
            throw new ProtocolException("json.unsupported_value",
                    "cannot write a " + value.getClass().getSimpleName() + " as JSON");
        }
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map, boolean sortKeys, int indent, int level) {
        List<String> names = new ArrayList<>(map.size());
        for (Object key : map.keySet()) {
            names.add((String) key);
        }
        if (sortKeys) {
            names.sort(String::compareTo);
        }
        out.append('{');
        boolean first = true;
        for (String name : names) {
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(out, indent, level + 1);
            writeString(out, name);
            out.append(indent < 0 ? ":" : ": ");
            write(out, map.get(name), sortKeys, indent, level + 1);
        }
        if (!names.isEmpty()) {
            newline(out, indent, level);
        }
        out.append('}');
    }

    private static void writeArray(StringBuilder out, Collection<?> items, boolean sortKeys, int indent, int level) {
        out.append('[');
        boolean first = true;
        for (Object item : items) {
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(out, indent, level + 1);
            write(out, item, sortKeys, indent, level + 1);
        }
        if (!items.isEmpty()) {
            newline(out, indent, level);
        }
        out.append(']');
    }

    private static void newline(StringBuilder out, int indent, int level) {
        if (indent >= 0) {
            out.append('\n').append(" ".repeat(indent * level));
        }
    }

    /** Escapes as RFC 8785 section 3.2.2.2 demands: only what JSON requires, lowercase hex. */
    static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
