package jp.tsunagu.node.resources;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import jp.tsunagu.node.errors.CodedException;

/** A resource, form or CSV file that failed validation; carries every problem found. */
final class InvalidResource extends CodedException {

  InvalidResource(List<FieldProblem> problems) {
    super(Kind.INVALID, "resources.invalid", "入力内容に誤りがあります（" + problems.size() + " 件）。",
        new JsonObject().put("problems", toJson(problems)));
  }

  private static JsonArray toJson(List<FieldProblem> problems) {
    JsonArray list = new JsonArray();
    problems.forEach(p -> list.add(p.toJson()));
    return list;
  }
}
