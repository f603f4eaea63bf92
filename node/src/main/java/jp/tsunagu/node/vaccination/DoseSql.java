package jp.tsunagu.node.vaccination;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Doses, their versions and their adverse reactions, as plain SQL. */
final class DoseSql {

  /** A dose as stored: the current version's data, and who recorded it first. */
  record Stored(String id, String patientId, String vaccine, int doseNumber, String givenAt, String place,
      String manufacturer, String lotNumber, String ticketNumber, JsonObject data, String noticeId,
      String recordedBy, String recordedAt, int version, String originNode) {}

  /** An adverse reaction (副反応): none, or its kind, onset and outcome. */
  record Reaction(String id, String doseId, String kind, String onsetAt, String outcome, String recordedBy,
      String recordedAt) {
    JsonObject toJson() {
      return new JsonObject().put("id", id).put("kind", kind).put("onsetAt", onsetAt).put("outcome", outcome)
          .put("recordedAt", recordedAt);
    }
  }

  private static final String COLUMNS = "id, patient_id, vaccine, dose_number, given_at, place, manufacturer,"
      + " lot_number, ticket_number, data, notice_id, recorded_by, recorded_at, version, origin_node";

  private DoseSql() {}

  static boolean exists(Connection c, String id) throws SQLException {
    return byId(c, id).isPresent();
  }

  static void insert(Connection c, Dose dose, String noticeId, String recordedBy, String at, String originNode)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into vaccination_doses (id, patient_id, vaccine,"
        + " dose_number, given_at, place, manufacturer, lot_number, vaccinator, ticket_number, data, notice_id,"
        + " recorded_by, recorded_at, version, origin_node) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)")) {
      bind(s, dose);
      s.setString(12, noticeId);
      s.setString(13, recordedBy);
      s.setString(14, at);
      s.setString(15, originNode);
      s.executeUpdate();
    }
    version(c, dose.id(), 1, dose.toJson(), recordedBy, at);
  }

  /** A corrected dose: the row takes the new values, the versions keep every one. */
  static int correct(Connection c, Stored before, Dose dose, String by, String at) throws SQLException {
    int version = before.version() + 1;
    try (PreparedStatement s = c.prepareStatement("update vaccination_doses set id = ?, patient_id = ?, vaccine = ?,"
        + " dose_number = ?, given_at = ?, place = ?, manufacturer = ?, lot_number = ?, vaccinator = ?,"
        + " ticket_number = ?, data = ?, version = ? where id = ?")) {
      bind(s, dose);
      s.setInt(12, version);
      s.setString(13, before.id());
      s.executeUpdate();
    }
    version(c, dose.id(), version, dose.toJson(), by, at);
    return version;
  }

  /**
   * Numbers the current version as the home node did (a partner's copy of a corrected dose): the row
   * and its newest version take {@code version}.
   */
  static void setVersion(Connection c, String doseId, int version, JsonObject data, String by, String at)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("delete from vaccination_dose_versions where dose_id = ?"
        + " and version = (select version from vaccination_doses where id = ?)")) {
      s.setString(1, doseId);
      s.setString(2, doseId);
      s.executeUpdate();
    }
    try (PreparedStatement s = c.prepareStatement("update vaccination_doses set version = ? where id = ?")) {
      s.setInt(1, version);
      s.setString(2, doseId);
      s.executeUpdate();
    }
    version(c, doseId, version, data, by, at);
  }

  private static void bind(PreparedStatement s, Dose dose) throws SQLException {
    s.setString(1, dose.id());
    s.setString(2, dose.patientId());
    s.setString(3, dose.vaccine());
    s.setInt(4, dose.doseNumber());
    s.setString(5, dose.givenAt().toString());
    s.setString(6, dose.place().code());
    s.setString(7, dose.manufacturer());
    s.setString(8, dose.lotNumber());
    s.setString(9, dose.vaccinator());
    s.setString(10, dose.ticketNumber());
    s.setString(11, dose.toJson().encode());
  }

  private static void version(Connection c, String doseId, int version, JsonObject data, String by, String at)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into vaccination_dose_versions (dose_id, version, data,"
        + " changed_by, changed_at) values (?, ?, ?, ?, ?)")) {
      s.setString(1, doseId);
      s.setInt(2, version);
      s.setString(3, data.encode());
      s.setString(4, by);
      s.setString(5, at);
      s.executeUpdate();
    }
  }

  static Optional<Stored> byId(Connection c, String id) throws SQLException {
    List<Stored> found = select(c, "where id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** A patient's doses, by vaccine and dose number. */
  static List<Stored> ofPatient(Connection c, String patientId) throws SQLException {
    return select(c, "where patient_id = ? order by vaccine, dose_number, given_at", patientId);
  }

  /** Every dose on this node given in a period (the caller keeps this node's own patients). */
  static List<Stored> givenBetween(Connection c, String from, String until) throws SQLException {
    return select(c, "where given_at >= ? and given_at < ? order by given_at", from, until);
  }

  /** The versions of a dose, oldest first: version, data, who, when. */
  static List<JsonObject> versions(Connection c, String doseId) throws SQLException {
    List<JsonObject> versions = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select version, data, changed_by, changed_at"
        + " from vaccination_dose_versions where dose_id = ? order by version")) {
      s.setString(1, doseId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          versions.add(new JsonObject().put("version", rs.getInt(1)).put("data", new JsonObject(rs.getString(2)))
              .put("changedAt", rs.getString(4)));
        }
      }
    }
    return versions;
  }

  static void insertReaction(Connection c, Reaction r) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into vaccination_reactions (id, dose_id, kind, onset_at,"
        + " outcome, recorded_by, recorded_at) values (?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, r.id());
      s.setString(2, r.doseId());
      s.setString(3, r.kind());
      s.setString(4, r.onsetAt());
      s.setString(5, r.outcome());
      s.setString(6, r.recordedBy());
      s.setString(7, r.recordedAt());
      s.executeUpdate();
    }
  }

  static boolean reactionExists(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select 1 from vaccination_reactions where id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  static List<Reaction> reactions(Connection c, String doseId) throws SQLException {
    List<Reaction> found = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select id, dose_id, kind, onset_at, outcome, recorded_by,"
        + " recorded_at from vaccination_reactions where dose_id = ? order by recorded_at, rowid")) {
      s.setString(1, doseId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(new Reaction(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), rs.getString(7)));
        }
      }
    }
    return found;
  }

  private static List<Stored> select(Connection c, String where, String... params) throws SQLException {
    List<Stored> found = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from vaccination_doses " + where)) {
      for (int i = 0; i < params.length; i++) {
        s.setString(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(new Stored(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
              rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), new JsonObject(rs.getString(10)),
              rs.getString(11), rs.getString(12), rs.getString(13), rs.getInt(14), rs.getString(15)));
        }
      }
    }
    return found;
  }
}
