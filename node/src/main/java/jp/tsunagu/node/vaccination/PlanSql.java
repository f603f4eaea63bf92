package jp.tsunagu.node.vaccination;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Home-vaccination plans (希望 → 予定 → 接種済み / 見送り), as plain SQL. */
final class PlanSql {

  /** One plan: a patient's vaccine, its state, when and by whom it is planned, why it was declined. */
  record Plan(String id, String patientId, String vaccine, String status, String plannedFor, String assignee,
      String assigneeName, String assigneeFacility, String reason, String updatedAt) {
    JsonObject toJson() {
      return new JsonObject().put("id", id).put("patientId", patientId).put("vaccine", vaccine).put("status", status)
          .put("statusLabel", PlanStatus.labelOf(status)).put("plannedFor", plannedFor).put("assignee", assignee)
          .put("assigneeName", assigneeName).put("assigneeFacility", assigneeFacility).put("reason", reason)
          .put("updatedAt", updatedAt);
    }
  }

  private static final String COLUMNS = "id, patient_id, vaccine, status, planned_for, assignee, assignee_name,"
      + " assignee_facility, reason, updated_at";

  private PlanSql() {}

  static void insert(Connection c, Plan plan, String by) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into vaccination_plans (id, patient_id, vaccine, status,"
        + " planned_for, assignee, assignee_name, assignee_facility, reason, created_by, created_at, updated_by,"
        + " updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, plan.id());
      s.setString(2, plan.patientId());
      s.setString(3, plan.vaccine());
      s.setString(4, plan.status());
      s.setString(5, plan.plannedFor());
      s.setString(6, plan.assignee());
      s.setString(7, plan.assigneeName());
      s.setString(8, plan.assigneeFacility());
      s.setString(9, plan.reason());
      s.setString(10, by);
      s.setString(11, plan.updatedAt());
      s.setString(12, by);
      s.setString(13, plan.updatedAt());
      s.executeUpdate();
    }
  }

  static void update(Connection c, Plan plan, String by) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update vaccination_plans set status = ?, planned_for = ?,"
        + " assignee = ?, assignee_name = ?, assignee_facility = ?, reason = ?, updated_by = ?, updated_at = ?"
        + " where id = ?")) {
      s.setString(1, plan.status());
      s.setString(2, plan.plannedFor());
      s.setString(3, plan.assignee());
      s.setString(4, plan.assigneeName());
      s.setString(5, plan.assigneeFacility());
      s.setString(6, plan.reason());
      s.setString(7, by);
      s.setString(8, plan.updatedAt());
      s.setString(9, plan.id());
      s.executeUpdate();
    }
  }

  static Optional<Plan> byId(Connection c, String id) throws SQLException {
    List<Plan> found = select(c, "where id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  static List<Plan> ofPatient(Connection c, String patientId) throws SQLException {
    return select(c, "where patient_id = ? order by updated_at, rowid", patientId);
  }

  /** The open plan of a patient's vaccine (希望 or 予定), if any. */
  static Optional<Plan> open(Connection c, String patientId, String vaccine) throws SQLException {
    List<Plan> found = select(c, "where patient_id = ? and vaccine = ? and status in ('wished', 'planned')"
        + " order by updated_at desc limit 1", patientId, vaccine);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** Open plans: a professional's own (by user id) or a facility's (by its name), soonest first. */
  static List<Plan> openOf(Connection c, String column, String value) throws SQLException {
    String where = "assignee".equals(column) ? "assignee = ?" : "assignee_facility = ?";
    return select(c, "where " + where + " and status in ('wished', 'planned') order by planned_for, updated_at",
        value);
  }

  private static List<Plan> select(Connection c, String where, String... params) throws SQLException {
    List<Plan> found = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from vaccination_plans " + where)) {
      for (int i = 0; i < params.length; i++) {
        s.setString(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(new Plan(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10)));
        }
      }
    }
    return found;
  }
}
