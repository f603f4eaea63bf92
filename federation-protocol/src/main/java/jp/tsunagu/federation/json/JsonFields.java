package jp.tsunagu.federation.json;

import java.util.List;
import java.util.Map;

import jp.tsunagu.federation.ProtocolException;

/**
 * Typed access to members of a parsed JSON object. Each reader of a document type passes its own
 * error code (such as {@code agreement.malformed}), so a missing or mistyped member is reported with
 * the code of the document that holds it.
 *
 * @param object the members
 * @param code   the error code for a missing or mistyped member
 * @param where  what the object is, for messages (e.g. {@code party 2})
 */
public record JsonFields(Map<String, Object> object, String code, String where) {

    /**
     * @param value a parsed value expected to be an object
     * @param code  error code when it is not
     * @param where description for messages
     * @return the fields
     */
    @SuppressWarnings("unchecked")
    public static JsonFields of(Object value, String code, String where) {
        if (!(value instanceof Map)) {
            throw new ProtocolException(code, where + " must be a JSON object");
        }
        return new JsonFields((Map<String, Object>) value, code, where);
    }

    /** @return whether the member is present and not null */
    public boolean has(String name) {
        return object.get(name) != null;
    }

    /** @return a required string member */
    public String string(String name) {
        Object value = object.get(name);
        if (!(value instanceof String s)) {
            throw missing(name, "a string");
        }
        return s;
    }

    /** @return a string member, or null when absent */
    public String optionalString(String name) {
        return has(name) ? string(name) : null;
    }

    /** @return a required integer member */
    public long integer(String name) {
        Object value = object.get(name);
        if (!(value instanceof Long l)) {
            throw missing(name, "an integer");
        }
        return l;
    }

    /** @return a required nested object */
    public JsonFields object(String name) {
        if (!has(name)) {
            throw missing(name, "an object");
        }
        return of(object.get(name), code, where + "." + name);
    }

    /** @return a required array member */
    @SuppressWarnings("unchecked")
    public List<Object> array(String name) {
        Object value = object.get(name);
        if (!(value instanceof List)) {
            throw missing(name, "an array");
        }
        return (List<Object>) value;
    }

    /** @return a required array of strings */
    public List<String> strings(String name) {
        List<Object> items = array(name);
        for (Object item : items) {
            if (!(item instanceof String)) {
                throw missing(name, "an array of strings");
            }
        }
        return items.stream().map(String.class::cast).toList();
    }

    private ProtocolException missing(String name, String what) {
        return new ProtocolException(code, where + " must have member '" + name + "' as " + what);
    }
}
