package jp.tsunagu.node.family;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The SQL of the visit schedule (訪問予定). */
final class VisitSql {

  private VisitSql() {}

  /** A planned visit: its day (YYYY-MM-DD), time window (HH:MM) and the visiting profession's code. */
  record Visit(String id, String patientId, String date, String from, String to, String profession) {}

  static void insert(Connection c, Visit v, String plannedBy, String now) throws SQLException {
    FamilySql.update(c, "insert into family_visits (id, patient_id, visit_date, starts_at, ends_at, profession,"
        + " planned_by, planned_at) values (?, ?, ?, ?, ?, ?, ?, ?)", v.id(), v.patientId(), v.date(), v.from(), v.to(),
        v.profession(), plannedBy, now);
  }

  /** The patient's visits from {@code today} on, not cancelled, soonest first. */
  static List<Visit> coming(Connection c, String patientId, String today) throws SQLException {
    List<Visit> found = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select id, patient_id, visit_date, starts_at, ends_at, profession"
        + " from family_visits where patient_id = ? and visit_date >= ? and cancelled_at is null"
        + " order by visit_date, starts_at, id limit 100")) {
      FamilySql.bind(s, patientId, today);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(new Visit(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6)));
        }
      }
    }
    return found;
  }

  /** A stored visit with who planned it (a users row: this node's own or a partner's person) and its cancellation. */
  record Stored(Visit visit, String plannedBy, java.util.Optional<String> cancelledAt) {}

  static java.util.Optional<Stored> byId(Connection c, String visitId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select id, patient_id, visit_date, starts_at, ends_at, profession,"
        + " planned_by, cancelled_at from family_visits where id = ?")) {
      FamilySql.bind(s, visitId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? java.util.Optional.of(new Stored(new Visit(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getString(6)), rs.getString(7),
            java.util.Optional.ofNullable(rs.getString(8)))) : java.util.Optional.empty();
      }
    }
  }

  /**
   * The board's coming visits planned by this node's own professionals, soonest first: what a partner
   * joining the team later is sent (a partner's visit reached the log in her node's words).
   */
  static List<String> comingOwn(Connection c, String patientId, String today) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select v.id from family_visits v join users u on u.id = v.planned_by"
        + " where v.patient_id = ? and v.visit_date >= ? and v.cancelled_at is null and u.home_node is null"
        + " order by v.visit_date, v.starts_at, v.id")) {
      FamilySql.bind(s, patientId, today);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /** Cancels one of the patient's visits; false when it has no such visit still planned. */
  static boolean cancel(Connection c, String patientId, String visitId, String now) throws SQLException {
    return FamilySql.update(c, "update family_visits set cancelled_at = ? where id = ? and patient_id = ?"
        + " and cancelled_at is null", now, visitId, patientId) == 1;
  }
}
