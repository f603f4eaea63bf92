package jp.tsunagu.node.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.errors.CodedException;

/** The SQL for users and facilities. Runs on storage threads only. */
final class UserStore {

  private static final String COLUMNS = "id, facility_id, login_id, email, family_name, given_name, family_kana,"
      + " given_kana, profession, role, password_hash, status";
  /** How many columns {@link #read} reads, from the first. */
  static final int COLUMN_COUNT = COLUMNS.split(",").length;

  private UserStore() {}

  static Optional<User> byId(Connection c, String id) throws SQLException {
    return one(c, "select " + COLUMNS + " from users where id = ?", id);
  }

  static Optional<User> byLoginId(Connection c, String loginId) throws SQLException {
    // A partner's professional (home_node set) is a shadow row: it never logs in on this node.
    return one(c, "select " + COLUMNS + " from users where login_id = ? and home_node is null", loginId);
  }

  static List<User> ofFacility(Connection c, String facilityId) throws SQLException {
    return list(c, "select " + COLUMNS + " from users where facility_id = ? order by family_kana, given_kana",
        facilityId);
  }

  /**
   * This node's own accounts without a facility (行政, 救急, operators). Partners' professionals kept here
   * as shadow rows (home_node set) have no facility here either, but they are nobody's account on this node.
   */
  static List<User> withoutFacility(Connection c) throws SQLException {
    return list(c, "select " + COLUMNS + " from users where facility_id is null and home_node is null"
        + " order by role, family_kana, given_kana, id");
  }

  private static List<User> list(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setString(i + 1, args[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        List<User> users = new ArrayList<>();
        while (rs.next()) {
          users.add(read(rs));
        }
        return users;
      }
    }
  }

  /** Whether a login id or e-mail address is taken by a user or a pending application. */
  static boolean loginIdTaken(Connection c, String loginId) throws SQLException {
    return exists(c, "select 1 from users where login_id = ? union all "
        + "select 1 from registration_applications where login_id = ? and status = 'pending'", loginId, loginId);
  }

  static boolean emailTaken(Connection c, String email) throws SQLException {
    return exists(c, "select 1 from users where email = ? union all "
        + "select 1 from registration_applications where email = ? and status = 'pending'", email, email);
  }

  /** Refuses a new user whose e-mail address or login id is already taken (409). */
  static void requireUnused(Connection c, User user) throws SQLException {
    if (emailTaken(c, user.email())) {
      throw CodedException.conflict("registration.duplicate_email", "このメールアドレスはすでに登録されています。");
    }
    if (loginIdTaken(c, user.loginId())) {
      throw CodedException.conflict("registration.duplicate_login_id", "このログインIDはすでに使われています。");
    }
  }

  static void insert(Connection c, User u, Instant now) throws SQLException {
    update(c, "insert into users (" + COLUMNS + ", created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        u.id(), u.facilityId().orElse(null), u.loginId(), u.email(), u.familyName(), u.givenName(), u.familyKana(),
        u.givenKana(), u.profession(), u.role().code(), u.passwordHash(), u.active() ? "active" : "disabled",
        now.toString());
  }

  static void setActive(Connection c, String userId, boolean active) throws SQLException {
    update(c, "update users set status = ? where id = ?", active ? "active" : "disabled", userId);
  }

  static void setRole(Connection c, String userId, Role role) throws SQLException {
    update(c, "update users set role = ? where id = ?", role.code(), userId);
  }

  static void setPasswordHash(Connection c, String userId, String hash) throws SQLException {
    update(c, "update users set password_hash = ? where id = ?", hash, userId);
  }

  static void insertFacility(Connection c, String id, String name, String prefecture, String municipalityCode,
      String category, Instant now) throws SQLException {
    update(c, "insert into facilities (id, name, prefecture, municipality_code, category, status, created_at)"
        + " values (?, ?, ?, ?, ?, 'active', ?)", id, name, prefecture, municipalityCode, category, now.toString());
  }

  /** "name|status", the status {@code withdrawn} once a withdrawal was approved. */
  static Optional<String> facilityName(Connection c, String facilityId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select name || '|' ||"
        + " case when withdrawn_at is null then status else 'withdrawn' end from facilities where id = ?")) {
      s.setString(1, facilityId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  static void setFacilityStatus(Connection c, String facilityId, String status) throws SQLException {
    update(c, "update facilities set status = ? where id = ?", status, facilityId);
  }

  static void markFacilityWithdrawn(Connection c, String facilityId, Instant now) throws SQLException {
    update(c, "update facilities set withdrawn_at = ? where id = ?", now.toString(), facilityId);
  }

  static long count(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select count(*) from users"); ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static Optional<User> one(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, arg);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /** The user's columns (the first {@link #COLUMN_COUNT} that {@link #read} takes) of the table named {@code alias}. */
  static String columns(String alias) {
    return java.util.Arrays.stream(COLUMNS.split(",")).map(c -> alias + "." + c.strip())
        .collect(java.util.stream.Collectors.joining(", "));
  }

  static User read(ResultSet rs) throws SQLException {
    return new User(rs.getString(1), Optional.ofNullable(rs.getString(2)), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
        Role.fromCode(rs.getString(10)).orElseThrow(), rs.getString(11), "active".equals(rs.getString(12)));
  }

  static boolean exists(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setString(i + 1, args[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      return s.executeUpdate();
    }
  }
}
