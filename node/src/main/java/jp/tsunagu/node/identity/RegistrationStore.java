package jp.tsunagu.node.identity;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL for facility registration applications. */
final class RegistrationStore {

  /** A stored application; {@code passwordHash} is cleared once the application is decided. */
  record Application(String id, JsonObject fields, String passwordHash, String status, Instant submittedAt) {
    JsonObject toJson() {
      return fields.copy().put("id", id).put("status", status).put("submittedAt", submittedAt.toString());
    }

    String text(String name) {
      return fields.getString(name);
    }
  }

  private static final String[] FIELDS = {"facilityName", "prefecture", "municipalityCode", "category", "familyName",
      "givenName", "familyKana", "givenKana", "profession", "email", "loginId", "deviceType"};
  private static final String COLUMNS = "facility_name, prefecture, municipality_code, category, family_name,"
      + " given_name, family_kana, given_kana, profession, email, login_id, device_type";

  private RegistrationStore() {}

  static void insert(Connection c, String id, RegistrationForm form, String passwordHash, Instant now)
      throws SQLException {
    JsonObject fields = form.toJson();
    Object[] args = new Object[FIELDS.length + 4];
    args[0] = id;
    for (int i = 0; i < FIELDS.length; i++) {
      args[i + 1] = fields.getString(FIELDS[i]);
    }
    args[FIELDS.length + 1] = passwordHash;
    args[FIELDS.length + 2] = "pending";
    args[FIELDS.length + 3] = now.toString();
    UserStore.update(c, "insert into registration_applications (id, " + COLUMNS + ", password_hash, status,"
        + " submitted_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", args);
  }

  static List<Application> withStatus(Connection c, String status) throws SQLException {
    return query(c, "select id, " + COLUMNS + ", password_hash, status, submitted_at from registration_applications"
        + " where status = ? order by submitted_at", status);
  }

  static Optional<Application> byId(Connection c, String id) throws SQLException {
    return query(c, "select id, " + COLUMNS + ", password_hash, status, submitted_at from registration_applications"
        + " where id = ?", id).stream().findFirst();
  }

  /** Marks a pending application decided; false when someone decided it first. */
  static boolean decide(Connection c, String id, String status, String reason, String byUserId, Instant now)
      throws SQLException {
    return UserStore.update(c, "update registration_applications set status = ?, reason = ?, decided_at = ?,"
        + " decided_by = ?, password_hash = null where id = ? and status = 'pending'", status, reason,
        now.toString(), byUserId, id) == 1;
  }

  private static List<Application> query(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, arg);
      try (ResultSet rs = s.executeQuery()) {
        List<Application> out = new ArrayList<>();
        while (rs.next()) {
          JsonObject fields = new JsonObject();
          for (int i = 0; i < FIELDS.length; i++) {
            fields.put(FIELDS[i], rs.getString(i + 2));
          }
          fields.put("categoryLabel", FacilityCategory.LABELS.get(fields.getString("category")));
          out.add(new Application(rs.getString(1), fields, rs.getString(FIELDS.length + 2),
              rs.getString(FIELDS.length + 3), Instant.parse(rs.getString(FIELDS.length + 4))));
        }
        return out;
      }
    }
  }
}
