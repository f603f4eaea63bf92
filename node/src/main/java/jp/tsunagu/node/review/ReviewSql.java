package jp.tsunagu.node.review;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The review board's SQL, in one place. Runs on storage threads only. */
final class ReviewSql {

  record Appointment(String id, String nodeId, String userId, String displayName, String qualification,
      String termFrom, String termTo, String endedAt) {}

  record Panel(String id, int number, String name, int quorum) {}

  record Member(String panelId, Appointment appointment, String position) {}

  record Session(String id, String panelId, String startsAt, String endsAt, String deadline, String videoProvider,
      String videoUrl, String releaseAt, String confirmedAt, String purgedAt) {}

  record Case(String id, String sessionId, int ordinal, String caseNumber, String applicantName,
      String applicantAddress, String insuredNumber, String doctorName, String facilityName, String firstLevel,
      Integer baseMinutes, JsonObject itemScores, String specialNotes, String secondLevel, Integer secondMonths,
      String secondRemarks, String purgedAt) {}

  record Material(String id, String caseId, String kind, String title, String sha256, long size, String withdrawnAt) {}

  record Opinion(String caseId, String appointmentId, boolean agrees, String level, String reason, int months,
      String comment, String submittedAt) {}

  private ReviewSql() {}

  // appointments (審査委員)

  static void insertAppointment(Connection c, Appointment a, String by, String at) throws SQLException {
    update(c, "insert into review_appointments (id, node_id, user_id, display_name, qualification, term_from, term_to,"
        + " appointed_by, appointed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", a.id(), a.nodeId(), a.userId(),
        a.displayName(), a.qualification(), a.termFrom(), a.termTo(), by, at);
  }

  static boolean activeAppointmentExists(Connection c, String nodeId, String userId) throws SQLException {
    return exists(c, "select 1 from review_appointments where node_id = ? and user_id = ? and ended_at is null",
        nodeId, userId);
  }

  static int endAppointment(Connection c, String id, String at) throws SQLException {
    return update(c, "update review_appointments set ended_at = ? where id = ? and ended_at is null", at, id);
  }

  static List<Appointment> appointments(Connection c) throws SQLException {
    return list(c, "select * from review_appointments order by ended_at is not null, display_name",
        ReviewSql::appointment);
  }

  static Optional<Appointment> appointment(Connection c, String id) throws SQLException {
    return one(c, "select * from review_appointments where id = ?", ReviewSql::appointment, id);
  }

  /** The appointments of a person in force on {@code day} (YYYY-MM-DD). */
  static List<Appointment> appointmentsOf(Connection c, String nodeId, String userId, String day) throws SQLException {
    return list(c, "select * from review_appointments where node_id = ? and user_id = ? and ended_at is null"
        + " and term_from <= ? and term_to >= ?", ReviewSql::appointment, nodeId, userId, day, day);
  }

  private static Appointment appointment(ResultSet r) throws SQLException {
    return new Appointment(r.getString("id"), r.getString("node_id"), r.getString("user_id"),
        r.getString("display_name"), r.getString("qualification"), r.getString("term_from"), r.getString("term_to"),
        r.getString("ended_at"));
  }

  // panels (合議体)

  static void insertPanel(Connection c, Panel p, String by, String at) throws SQLException {
    update(c, "insert into review_panels (id, number, name, quorum, created_by, created_at) values (?, ?, ?, ?, ?, ?)",
        p.id(), p.number(), p.name(), p.quorum(), by, at);
  }

  static boolean panelNumberTaken(Connection c, int number) throws SQLException {
    return exists(c, "select 1 from review_panels where number = ?", number);
  }

  static List<Panel> panels(Connection c) throws SQLException {
    return list(c, "select * from review_panels order by number", ReviewSql::panel);
  }

  static Optional<Panel> panel(Connection c, String id) throws SQLException {
    return one(c, "select * from review_panels where id = ?", ReviewSql::panel, id);
  }

  private static Panel panel(ResultSet r) throws SQLException {
    return new Panel(r.getString("id"), r.getInt("number"), r.getString("name"), r.getInt("quorum"));
  }

  static void replaceMembers(Connection c, String panelId, List<Member> members, String at) throws SQLException {
    update(c, "delete from review_panel_members where panel_id = ?", panelId);
    for (Member m : members) {
      update(c, "insert into review_panel_members (panel_id, appointment_id, position, added_at) values (?, ?, ?, ?)",
          panelId, m.appointment().id(), m.position(), at);
    }
  }

  static List<Member> members(Connection c, String panelId) throws SQLException {
    return list(c, "select m.panel_id, m.position, a.* from review_panel_members m join review_appointments a"
        + " on a.id = m.appointment_id where m.panel_id = ? order by case m.position when 'chair' then 0"
        + " when 'deputy' then 1 else 2 end, a.display_name", r -> new Member(r.getString("panel_id"),
            appointment(r), r.getString("position")), panelId);
  }

  // sessions (審査会)

  static void insertSession(Connection c, Session s, String by, String at) throws SQLException {
    update(c, "insert into review_sessions (id, panel_id, starts_at, ends_at, opinion_deadline, video_provider,"
        + " video_url, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", s.id(), s.panelId(), s.startsAt(),
        s.endsAt(), s.deadline(), s.videoProvider(), s.videoUrl(), by, at);
  }

  static Optional<Session> session(Connection c, String id) throws SQLException {
    return one(c, "select * from review_sessions where id = ?", ReviewSql::session, id);
  }

  static List<Session> sessions(Connection c) throws SQLException {
    return list(c, "select * from review_sessions order by starts_at desc", ReviewSql::session);
  }

  static List<Session> sessionsOfPanels(Connection c, List<String> panelIds) throws SQLException {
    List<Session> all = new ArrayList<>();
    for (String panelId : panelIds) {
      all.addAll(list(c, "select * from review_sessions where panel_id = ? order by starts_at", ReviewSql::session,
          panelId));
    }
    return all;
  }

  static void release(Connection c, String id, String at) throws SQLException {
    update(c, "update review_sessions set release_at = ? where id = ?", at, id);
  }

  static void confirm(Connection c, String id, String at) throws SQLException {
    update(c, "update review_sessions set confirmed_at = ? where id = ?", at, id);
  }

  /** Sessions whose result was confirmed at or before {@code before} and whose data is still kept. */
  static List<Session> dueForDeletion(Connection c, String before) throws SQLException {
    return list(c, "select * from review_sessions where confirmed_at is not null and confirmed_at <= ?"
        + " and purged_at is null", ReviewSql::session, before);
  }

  private static Session session(ResultSet r) throws SQLException {
    return new Session(r.getString("id"), r.getString("panel_id"), r.getString("starts_at"), r.getString("ends_at"),
        r.getString("opinion_deadline"), r.getString("video_provider"), r.getString("video_url"),
        r.getString("release_at"), r.getString("confirmed_at"), r.getString("purged_at"));
  }

  /** Sessions and cases each member sits on from {@code from} on (the secretariat's view of their load). */
  static JsonObject load(Connection c, String appointmentId, String from, String to) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select count(distinct s.id), count(k.id) from review_sessions s"
        + " join review_panel_members m on m.panel_id = s.panel_id left join review_cases k on k.session_id = s.id"
        + " where m.appointment_id = ? and s.starts_at >= ? and s.starts_at < ?")) {
      bind(s, appointmentId, from, to);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return new JsonObject().put("sessions", r.getInt(1)).put("cases", r.getInt(2));
      }
    }
  }

  // cases (事例)

  static void insertCase(Connection c, Case k) throws SQLException {
    update(c, "insert into review_cases (id, session_id, ordinal, case_number, applicant_name, applicant_address,"
        + " insured_number, doctor_name, facility_name, first_level, base_minutes, item_scores, special_notes)"
        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", k.id(), k.sessionId(), k.ordinal(), k.caseNumber(),
        k.applicantName(), k.applicantAddress(), k.insuredNumber(), k.doctorName(), k.facilityName(), k.firstLevel(),
        k.baseMinutes(), k.itemScores().encode(), k.specialNotes());
  }

  static int nextOrdinal(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select coalesce(max(ordinal), 0) + 1 from review_cases"
        + " where session_id = ?")) {
      bind(s, sessionId);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  static boolean caseNumberTaken(Connection c, String sessionId, String caseNumber) throws SQLException {
    return exists(c, "select 1 from review_cases where session_id = ? and case_number = ?", sessionId, caseNumber);
  }

  static List<Case> cases(Connection c, String sessionId) throws SQLException {
    return list(c, "select * from review_cases where session_id = ? order by ordinal", ReviewSql::caseOf, sessionId);
  }

  static Optional<Case> caseById(Connection c, String id) throws SQLException {
    return one(c, "select * from review_cases where id = ?", ReviewSql::caseOf, id);
  }

  static void decide(Connection c, String caseId, String level, int months, String remarks, String by, String at)
      throws SQLException {
    update(c, "update review_cases set second_level = ?, second_months = ?, second_remarks = ?, decided_by = ?,"
        + " decided_at = ? where id = ?", level, months, remarks, by, at, caseId);
  }

  private static Case caseOf(ResultSet r) throws SQLException {
    int minutes = r.getInt("base_minutes");
    Integer base = r.wasNull() ? null : minutes;
    int months = r.getInt("second_months");
    Integer second = r.wasNull() ? null : months;
    return new Case(r.getString("id"), r.getString("session_id"), r.getInt("ordinal"), r.getString("case_number"),
        r.getString("applicant_name"), r.getString("applicant_address"), r.getString("insured_number"),
        r.getString("doctor_name"), r.getString("facility_name"), r.getString("first_level"), base,
        new JsonObject(r.getString("item_scores")), r.getString("special_notes"), r.getString("second_level"), second,
        r.getString("second_remarks"), r.getString("purged_at"));
  }

  // materials

  static void insertMaterial(Connection c, Material m, String by, String at) throws SQLException {
    update(c, "insert into review_materials (id, case_id, kind, title, sha256, size, uploaded_by, uploaded_at)"
        + " values (?, ?, ?, ?, ?, ?, ?, ?)", m.id(), m.caseId(), m.kind(), m.title(), m.sha256(), m.size(), by, at);
  }

  static List<Material> materials(Connection c, String caseId) throws SQLException {
    return list(c, "select * from review_materials where case_id = ? order by uploaded_at, id", ReviewSql::material,
        caseId);
  }

  static Optional<Material> material(Connection c, String id) throws SQLException {
    return one(c, "select * from review_materials where id = ?", ReviewSql::material, id);
  }

  static int withdraw(Connection c, String id, String at) throws SQLException {
    return update(c, "update review_materials set withdrawn_at = ? where id = ? and withdrawn_at is null", at, id);
  }

  /**
   * Whether another session's materials still name the file (the review board's files are a store of
   * their own, so nothing outside this table names them).
   */
  static boolean hashUsedOutside(Connection c, String sha256, String sessionId) throws SQLException {
    return exists(c, "select 1 from review_materials m join review_cases k on k.id = m.case_id"
        + " where m.sha256 = ? and k.session_id <> ?", sha256, sessionId);
  }

  // notices to reviewers

  /** Released sessions still ahead (not confirmed, not deleted) whose start is after {@code now}. */
  static List<Session> comingReleased(Connection c, String now) throws SQLException {
    return list(c, "select * from review_sessions where release_at is not null and confirmed_at is null"
        + " and purged_at is null and starts_at > ? order by starts_at", ReviewSql::session, now);
  }

  static boolean noticeSent(Connection c, String sessionId, String appointmentId, String kind) throws SQLException {
    return exists(c, "select 1 from review_notices where session_id = ? and appointment_id = ? and kind = ?",
        sessionId, appointmentId, kind);
  }

  static void markNotice(Connection c, String sessionId, String appointmentId, String kind, String at)
      throws SQLException {
    update(c, "insert into review_notices (session_id, appointment_id, kind, sent_at) values (?, ?, ?, ?)"
        + " on conflict do nothing", sessionId, appointmentId, kind, at);
  }

  /** Whether the reviewer has an opinion on every live case of the session. */
  static boolean submittedAll(Connection c, String sessionId, String appointmentId) throws SQLException {
    return !exists(c, "select 1 from review_cases k where k.session_id = ? and k.purged_at is null and not exists"
        + " (select 1 from review_opinions o where o.case_id = k.id and o.appointment_id = ?)", sessionId,
        appointmentId);
  }

  /** Whether any material row names the file. */
  static boolean hashNamed(Connection c, String sha256) throws SQLException {
    return exists(c, "select 1 from review_materials where sha256 = ?", sha256);
  }

  private static Material material(ResultSet r) throws SQLException {
    return new Material(r.getString("id"), r.getString("case_id"), r.getString("kind"), r.getString("title"),
        r.getString("sha256"), r.getLong("size"), r.getString("withdrawn_at"));
  }

  // opinions (事前審査)

  static void upsertOpinion(Connection c, Opinion o) throws SQLException {
    update(c, "insert into review_opinions (case_id, appointment_id, agrees, level, reason, months, comment,"
        + " submitted_at) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (case_id, appointment_id) do update set"
        + " agrees = excluded.agrees, level = excluded.level, reason = excluded.reason, months = excluded.months,"
        + " comment = excluded.comment, submitted_at = excluded.submitted_at", o.caseId(), o.appointmentId(),
        o.agrees() ? 1 : 0, o.level(), o.reason(), o.months(), o.comment(), o.submittedAt());
  }

  static List<Opinion> opinions(Connection c, String caseId) throws SQLException {
    return list(c, "select * from review_opinions where case_id = ? order by submitted_at", r -> new Opinion(
        r.getString("case_id"), r.getString("appointment_id"), r.getInt("agrees") == 1, r.getString("level"),
        r.getString("reason"), r.getInt("months"), r.getString("comment"), r.getString("submitted_at")), caseId);
  }

  // deletion (自動削除)

  /** Deletes a session's materials and opinions and empties its cases but for the decision. */
  static void purge(Connection c, String sessionId, String at) throws SQLException {
    update(c, "delete from review_materials where case_id in (select id from review_cases where session_id = ?)",
        sessionId);
    update(c, "delete from review_opinions where case_id in (select id from review_cases where session_id = ?)",
        sessionId);
    update(c, "update review_cases set applicant_name = '', applicant_address = '', insured_number = '',"
        + " doctor_name = '', facility_name = '', item_scores = '{}', special_notes = '', base_minutes = null,"
        + " purged_at = ? where session_id = ?", at, sessionId);
    update(c, "update review_sessions set purged_at = ? where id = ?", at, sessionId);
  }

  static List<Material> materialsOfSession(Connection c, String sessionId) throws SQLException {
    return list(c, "select m.* from review_materials m join review_cases k on k.id = m.case_id"
        + " where k.session_id = ?", ReviewSql::material, sessionId);
  }

  static int opinionCount(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select count(*) from review_opinions o join review_cases k"
        + " on k.id = o.case_id where k.session_id = ?")) {
      bind(s, sessionId);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  // plumbing

  @FunctionalInterface
  private interface Row<T> {
    T read(ResultSet r) throws SQLException;
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      return s.executeUpdate();
    }
  }

  private static boolean exists(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  private static <T> List<T> list(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      try (ResultSet r = s.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (r.next()) {
          out.add(row.read(r));
        }
        return out;
      }
    }
  }

  private static <T> Optional<T> one(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
    List<T> found = list(c, sql, row, args);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  private static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      s.setObject(i + 1, args[i]);
    }
  }
}
