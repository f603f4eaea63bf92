package jp.tsunagu.node.resources;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import jp.tsunagu.node.web.ApiException;

/** A resource, form or CSV file that failed validation; carries every problem found. */
final class InvalidResource extends ApiException {

  private final transient List<FieldProblem> problems;

  InvalidResource(List<FieldProblem> problems) {
    super(400, "resources.invalid", "入力内容に誤りがあります（" + problems.size() + " 件）。");
    this.problems = List.copyOf(problems);
  }

  List<FieldProblem> problems() {
    return problems;
  }

  JsonObject toJson(String requestId) {
    JsonArray list = new JsonArray();
    problems.forEach(p -> list.add(p.toJson()));
    return new JsonObject().put("code", code()).put("message", getMessage()).put("requestId", requestId)
        .put("problems", list);
  }
}
