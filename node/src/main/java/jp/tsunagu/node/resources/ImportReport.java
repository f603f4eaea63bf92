package jp.tsunagu.node.resources;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The outcome of a CSV import: how many rows were read and, when anything is wrong, every problem
 * with its line and column. Nothing is imported unless {@code problems} is empty.
 */
public record ImportReport(int rows, int created, int updated, List<FieldProblem> problems, boolean applied) {

  public ImportReport {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    problems.forEach(p -> list.add(p.toJson()));
    return new JsonObject().put("rows", rows).put("created", created).put("updated", updated)
        .put("applied", applied).put("problems", list);
  }
}
