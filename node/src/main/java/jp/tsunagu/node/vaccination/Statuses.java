package jp.tsunagu.node.vaccination;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A patient's status per vaccine of the node's list, as the icons show it: 予定 while a dose is
 * planned, 見送り when the latest plan was declined after the last dose, 接種済み N回 once given, and
 * 未接種 otherwise.
 */
final class Statuses {

  private Statuses() {}

  static JsonArray of(Connection c, String patientId) throws SQLException {
    List<DoseSql.Stored> doses = DoseSql.ofPatient(c, patientId);
    List<PlanSql.Plan> plans = PlanSql.ofPatient(c, patientId);
    JsonArray statuses = new JsonArray();
    List<VaccineSql.Vaccine> vaccines = new java.util.ArrayList<>(VaccineSql.all(c));
    vaccines.addAll(VaccineSql.partnersOf(c, patientId)); // a partner's vaccine only where a dose of it was given
    for (VaccineSql.Vaccine v : vaccines) {
      List<DoseSql.Stored> given = doses.stream().filter(d -> d.vaccine().equals(v.code())).toList();
      String lastDose = given.stream().map(DoseSql.Stored::recordedAt).max(String::compareTo).orElse("");
      PlanSql.Plan latest = plans.stream().filter(p -> p.vaccine().equals(v.code())).reduce((a, b) -> b).orElse(null);
      String status;
      String label;
      if (latest != null && PlanStatus.PLANNED.equals(latest.status())) {
        status = "planned";
        label = "予定";
      } else if (latest != null && PlanStatus.DECLINED.equals(latest.status()) && latest.updatedAt().compareTo(lastDose) > 0) {
        status = "declined";
        label = "見送り";
      } else if (!given.isEmpty()) {
        status = "done";
        label = "接種済み " + given.size() + "回";
      } else {
        status = "none";
        label = "未接種";
      }
      statuses.add(new JsonObject().put("vaccine", v.code()).put("vaccineName", v.nameJa()).put("status", status)
          .put("label", label).put("doses", given.size()));
    }
    return statuses;
  }
}
