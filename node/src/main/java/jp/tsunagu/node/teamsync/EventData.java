package jp.tsunagu.node.teamsync;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.federation.json.Json;

/**
 * A draft's data as the protocol's plain values ({@link Json}'s maps, lists, strings, longs, doubles), made on the
 * database writer for every event this node logs. It is what {@code Json.parseObject(data.encode())} gives, copied
 * value by value instead of written to text and read back (issue 25, item 2: that round trip was about a quarter of
 * the writer's samples for a post on a shared board). Whatever that parse would refuse or read differently (a lone
 * surrogate, a number that is not finite, a float, any value of another type, deep nesting)
 * takes the round trip itself, so it is refused, or read, exactly as before.
 */
final class EventData {

  /** Well within {@link Json}'s deepest nesting (64): deeper data takes the round trip, which decides. */
  private static final int MAX_DEPTH = 32;

  private EventData() {}

  static Map<String, Object> plain(JsonObject data) {
    return copyObject(data.getMap(), 1).orElseGet(() -> Json.parseObject(data.encode()));
  }

  private static Optional<Map<String, Object>> copyObject(Map<String, Object> map, int depth) {
    if (depth > MAX_DEPTH) {
      return Optional.empty();
    }
    Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
    for (Map.Entry<String, Object> member : map.entrySet()) {
      if (!wellFormed(member.getKey())) {
        return Optional.empty();
      }
      Optional<Object> value = copy(member.getValue(), depth);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      copy.put(member.getKey(), value.get() == NULL ? null : value.get());
    }
    return Optional.of(copy);
  }

  /** Stands for a JSON null inside {@link Optional}. */
  private static final Object NULL = new Object();

  @SuppressWarnings("unchecked")
  private static Optional<Object> copy(Object value, int depth) {
    if (value == null) {
      return Optional.of(NULL);
    }
    if (value instanceof String s) {
      return wellFormed(s) ? Optional.of(s) : Optional.empty();
    }
    if (value instanceof Boolean) {
      return Optional.of(value);
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return Optional.of(((Number) value).longValue());
    }
    if (value instanceof Double d) {
      // Jackson writes a double with a fraction or an exponent, which the reader takes as a double again; it
      // reads "-0.0" as 0.0
      return Double.isFinite(d) ? Optional.of(d == 0 ? 0.0 : d) : Optional.empty();
    }
    if (value instanceof JsonObject object) {
      return copyObject(object.getMap(), depth + 1).map(o -> o);
    }
    if (value instanceof JsonArray array) {
      return copyArray(array.getList(), depth + 1);
    }
    if (value instanceof Map<?, ?> map && map.keySet().stream().allMatch(String.class::isInstance)) {
      return copyObject((Map<String, Object>) map, depth + 1).map(o -> o);
    }
    if (value instanceof List<?> list) {
      return copyArray(list, depth + 1);
    }
    return Optional.empty();
  }

  private static Optional<Object> copyArray(List<?> list, int depth) {
    if (depth > MAX_DEPTH) {
      return Optional.empty();
    }
    List<Object> copy = new ArrayList<>(list.size());
    for (Object item : list) {
      Optional<Object> value = copy(item, depth);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      copy.add(value.get() == NULL ? null : value.get());
    }
    return Optional.of(copy);
  }

  /** No lone surrogate: what the reader requires of every string. */
  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
