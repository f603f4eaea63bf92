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

  /**
   * A stored application; {@code passwordHash} is cleared once the application is decided. A
   * decided one has its reason (rejections), the administrator it created (approvals) and whether
   * its mails went out.
   */
  record Application(String id, JsonObject fields, String passwordHash, String status, Instant submittedAt,
      Optional<String> reason, Optional<String> userId, Optional<String> mailStatus) {
    JsonObject toJson() {
      return fields.copy().put("id", id).put("status", status).put("submittedAt", submittedAt.toString())
          .put("mailStatus", mailStatus.orElse(null));
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

  private static final String SELECT = "select id, " + COLUMNS + ", password_hash, status, submitted_at, reason,"
      + " user_id, mail_status from registration_applications";

  static List<Application> withStatus(Connection c, String status) throws SQLException {
    return query(c, SELECT + " where status = ? order by submitted_at", status);
  }

  /**
   * What of an application other accounts or applications hold: {@code loginId} and {@code email}
   * when a user has it (approval is refused) or another pending application does (the first one
   * approved takes it). For municipal staff only.
   */
  static List<String> conflicts(Connection c, Application app) throws SQLException {
    List<String> found = new ArrayList<>();
    for (String field : List.of("loginId", "email")) {
      String column = field.equals("loginId") ? "login_id" : "email";
      if (UserStore.exists(c, "select 1 from users where " + column + " = ? union all select 1 from"
          + " registration_applications where " + column + " = ? and status = 'pending' and id <> ?",
          app.text(field), app.text(field), app.id())) {
        found.add(field);
      }
    }
    return found;
  }

  /** Decided applications whose mails could not be sent. */
  static List<Application> mailFailed(Connection c) throws SQLException {
    return query(c, SELECT + " where mail_status = ? order by decided_at", "failed");
  }

  static Optional<Application> byId(Connection c, String id) throws SQLException {
    return query(c, SELECT + " where id = ?", id).stream().findFirst();
  }

  /** Marks a pending application decided; false when someone decided it first. Its mails count as not sent yet. */
  static boolean decide(Connection c, String id, String status, String reason, String byUserId, Instant now)
      throws SQLException {
    return UserStore.update(c, "update registration_applications set status = ?, reason = ?, decided_at = ?,"
        + " decided_by = ?, mail_status = 'failed', password_hash = null where id = ? and status = 'pending'",
        status, reason, now.toString(), byUserId, id) == 1;
  }

  /** Records the administrator an approval created (for sending its mails again). */
  static void linkAdministrator(Connection c, String id, String userId) throws SQLException {
    UserStore.update(c, "update registration_applications set user_id = ? where id = ?", userId, id);
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
          int n = FIELDS.length;
          out.add(new Application(rs.getString(1), fields, rs.getString(n + 2), rs.getString(n + 3),
              Instant.parse(rs.getString(n + 4)), Optional.ofNullable(rs.getString(n + 5)),
              Optional.ofNullable(rs.getString(n + 6)), Optional.ofNullable(rs.getString(n + 7))));
        }
        return out;
      }
    }
  }
}
