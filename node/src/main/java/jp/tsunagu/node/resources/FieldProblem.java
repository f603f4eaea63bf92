package jp.tsunagu.node.resources;

import io.vertx.core.json.JsonObject;

/**
 * One thing wrong with one field: a stable code ({@code resources.required}) and a Japanese
 * message. {@code line} is the CSV line (1 = header), 0 for the API.
 */
public record FieldProblem(int line, ResourceField field, String code, String message) {

  FieldProblem atLine(int csvLine) {
    return new FieldProblem(csvLine, field, code, message);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (line > 0) {
      json.put("line", line);
    }
    return json.put("field", field.key()).put("column", field.headerJa()).put("code", code).put("message", message);
  }
}
