package jp.tsunagu.node.config;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed access to the flattened configuration values, with defaults and key-naming errors. */
final class ConfigValues {
  private final Map<String, Object> raw;

  ConfigValues(Map<String, Object> raw) {
    this.raw = raw;
  }

  Optional<String> optionalText(String path) {
    Object value = raw.containsKey(path) ? raw.get(path) : spec(path).defaultValue();
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String s)) {
      throw new ConfigException(path, "must be a string");
    }
    return s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }

  String text(String path) {
    return optionalText(path).orElseThrow(() -> new ConfigException(path, "is required"));
  }

  /** A list the configuration may leave out (empty then). */
  List<String> optionalTextList(String path) {
    return raw.get(path) == null ? List.of() : textList(path);
  }

  List<String> textList(String path) {
    Object value = raw.get(path);
    if (value == null) {
      throw new ConfigException(path, "is required");
    }
    List<String> items = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (Object item : array) {
        if (!(item instanceof String s)) {
          throw new ConfigException(path, "must be a list of strings");
        }
        items.add(s.trim());
      }
    } else if (value instanceof String s) {
      for (String item : s.split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
    } else {
      throw new ConfigException(path, "must be a list of strings");
    }
    return items;
  }

  long integer(String path) {
    Object value = raw.containsKey(path) ? raw.get(path) : spec(path).defaultValue();
    if (value instanceof Number n && n.doubleValue() == n.longValue()) {
      return n.longValue();
    }
    if (value instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(path, "must be a whole number, got '" + s + "'");
      }
    }
    throw new ConfigException(path, "must be a whole number");
  }

  long range(String path, long min, long max) {
    long value = integer(path);
    if (value < min || value > max) {
      throw new ConfigException(path, "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  long positive(String path) {
    return range(path, 1, Long.MAX_VALUE);
  }

  int port(String path) {
    return (int) range(path, 0, 65_535);
  }

  String oneOf(String path, String... allowed) {
    String value = text(path);
    for (String candidate : allowed) {
      if (candidate.equalsIgnoreCase(value)) {
        return candidate;
      }
    }
    throw new ConfigException(path, "must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
  }

  private static ConfigKey spec(String path) {
    return ConfigLoader.KEYS.stream().filter(k -> k.path().equals(path)).findFirst().orElseThrow();
  }
}
