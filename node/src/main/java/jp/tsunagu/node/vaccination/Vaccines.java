package jp.tsunagu.node.vaccination;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;

/** The node's list of vaccines: everyone signed in reads it; 行政 adds to it (a vaccine is never removed). */
final class Vaccines {

  static final int NAME_MAX = 30;

  private final NodeServices services;
  private final AuditLog audit;

  Vaccines(NodeServices services, AuditLog audit) {
    this.services = services;
    this.audit = audit;
  }

  Future<JsonObject> list() {
    return services.database().read(c -> new JsonObject().put("vaccines", new JsonArray(VaccineSql.all(c).stream()
        .map(v -> new JsonObject().put("code", v.code()).put("name", v.nameJa())).toList()))
        .put("places", new JsonArray(java.util.Arrays.stream(Place.values())
            .map(p -> new JsonObject().put("code", p.code()).put("label", p.labelJa())).toList()))
        .put("questions", new JsonArray(java.util.Arrays.stream(Screening.Question.values())
            .map(q -> new JsonObject().put("code", q.code).put("text", q.textJa).put("blocking", q.blocking)).toList())));
  }

  Future<JsonObject> add(String staffId, JsonObject body) {
    String name = DoseInput.text(body, "name");
    if (name.isEmpty() || name.length() > NAME_MAX) {
      throw CodedException.invalid("validation.required", "ワクチン名を" + NAME_MAX + "文字以内で入力してください。");
    }
    VaccineSql.Vaccine vaccine = new VaccineSql.Vaccine("v" + VaccinationIds.next().substring(0, 20), name);
    return services.database().write(c -> {
      if (VaccineSql.nameTaken(c, name)) {
        throw CodedException.conflict("vaccination.vaccine_exists", "同じ名前のワクチンがすでにあります。");
      }
      VaccineSql.insert(c, vaccine, staffId, services.clock().instant().toString());
      audit.append(c, AuditEvent.success(staffId, "vaccination.vaccine.added", "vaccination:vaccine:" + vaccine.code(),
          new JsonObject().put("name", name)));
      return new JsonObject().put("code", vaccine.code()).put("name", name);
    });
  }
}
