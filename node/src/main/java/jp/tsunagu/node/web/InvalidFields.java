package jp.tsunagu.node.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import jp.tsunagu.node.errors.CodedException;

/**
 * A form with one or more fields wrong, all of them named at once: the answer keeps the first
 * problem's stable code and message (what a single-field check always answered) and adds
 * {@code fields: [{field, code, message}]}, so a form shows every problem beside its field.
 */
public final class InvalidFields extends CodedException {

  /** One field's problem; {@code field} is the request's key for it. */
  public record Problem(String field, String code, String message) {
    JsonObject toJson() {
      return new JsonObject().put("field", field).put("code", code).put("message", message);
    }
  }

  private final transient List<Problem> problems;

  InvalidFields(List<Problem> problems) {
    super(Kind.INVALID, problems.get(0).code(), problems.get(0).message(),
        new JsonObject().put("fields", toJson(problems)));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  private static JsonArray toJson(List<Problem> problems) {
    JsonArray list = new JsonArray();
    problems.forEach(p -> list.add(p.toJson()));
    return list;
  }
}
