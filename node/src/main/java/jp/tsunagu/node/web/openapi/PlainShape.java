package jp.tsunagu.node.web.openapi;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A body schema made only of the plainest keywords ({@code type} object, array, string or boolean,
 * {@code properties}, {@code items}, {@code required}, {@code additionalProperties: false} and annotations
 * such as {@code title}), checked straight on the parsed body. The schema validator walks a body with JSON
 * pointers and an output tree per keyword: about 5% of a post's CPU for a schema of four typed fields.
 * This says only "valid", and only where the validator would; a body it does not pass goes to the
 * validator, which names the field of the refusal as before. A schema with any other keyword is not made.
 */
final class PlainShape {

  private static final Set<String> TYPES = Set.of("object", "array", "string", "boolean");
  private static final Set<String> ANNOTATIONS = Set.of("title", "description", "example", "examples");

  private final String type;
  private final Map<String, PlainShape> properties;
  private final PlainShape items;
  private final List<String> required;
  private final boolean closed;

  private PlainShape(String type, Map<String, PlainShape> properties, PlainShape items, List<String> required,
      boolean closed) {
    this.type = type;
    this.properties = properties;
    this.items = items;
    this.required = required;
    this.closed = closed;
  }

  /** The shape of a route's body schema, empty when it uses a keyword this does not check. */
  static Optional<PlainShape> of(JsonSchema schema) {
    JsonObject keywords = new JsonObject();
    for (String name : schema.fieldNames()) {
      keywords.put(name, schema.get(name));
    }
    return Optional.ofNullable(shape(keywords));
  }

  private static PlainShape shape(Object schema) {
    if (!(schema instanceof JsonObject keywords) || !(keywords.getValue("type") instanceof String type)
        || !TYPES.contains(type)) {
      return null;
    }
    Map<String, PlainShape> properties = Map.of();
    PlainShape items = null;
    List<String> required = List.of();
    boolean closed = false;
    for (String name : keywords.fieldNames()) {
      Object value = keywords.getValue(name);
      switch (name) {
        case "type" -> { }
        case "properties" -> {
          if (!type.equals("object") || !(value instanceof JsonObject each)) {
            return null;
          }
          properties = new HashMap<>();
          for (String property : each.fieldNames()) {
            PlainShape inner = shape(each.getValue(property));
            if (inner == null) {
              return null;
            }
            properties.put(property, inner);
          }
        }
        case "items" -> {
          items = type.equals("array") ? shape(value) : null;
          if (items == null) {
            return null;
          }
        }
        case "required" -> {
          if (!type.equals("object") || !(value instanceof JsonArray names)
              || !names.stream().allMatch(String.class::isInstance)) {
            return null;
          }
          required = names.stream().map(String.class::cast).toList();
        }
        case "additionalProperties" -> {
          if (!type.equals("object") || !(value instanceof Boolean open)) {
            return null;
          }
          closed = !open;
        }
        default -> {
          // the validator's own marks (__absolute_uri__ and the like) and annotations check nothing
          if (!ANNOTATIONS.contains(name) && !(name.startsWith("__") && name.endsWith("__"))) {
            return null;
          }
        }
      }
    }
    return new PlainShape(type, properties, items, required, closed);
  }

  /** Whether the value surely has this shape (false: let the validator decide and name the field). */
  boolean accepts(Object value) {
    return switch (type) {
      case "string" -> value instanceof String;
      case "boolean" -> value instanceof Boolean;
      case "array" -> value instanceof JsonArray array && (items == null || array.stream().allMatch(items::accepts));
      default -> value instanceof JsonObject object && acceptsObject(object);
    };
  }

  private boolean acceptsObject(JsonObject object) {
    for (String name : required) {
      if (object.getValue(name) == null) {
        return false;
      }
    }
    for (String name : object.fieldNames()) {
      PlainShape property = properties.get(name);
      if (property == null ? closed : !property.accepts(object.getValue(name))) {
        return false;
      }
    }
    return true;
  }
}
