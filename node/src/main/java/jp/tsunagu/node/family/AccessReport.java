package jp.tsunagu.node.family;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.node.care.TimelineNotices;

/**
 * The patient's own access report for one month, read from the audit log: each professional who
 * read or wrote the patient's record (name, profession, facility, municipality or partner node; how
 * often; on which days), every emergency access with its reason, and the partner nodes whose
 * professionals act on the patient's team (each of them holds a replica of the team's record). Only
 * rows whose target is this patient are read: nothing of any other patient can appear.
 */
final class AccessReport {

  static final String ROWS = "select actor, action, at, detail from audit_log where target = ?"
      + " and outcome = 'success' and at >= ? and at < ? order by seq";

  private AccessReport() {}

  /** The month as 2026-04; anything else is refused (no open-ended or multi-year reads). */
  static YearMonth month(String text) {
    try {
      return YearMonth.parse(text == null ? "" : text);
    } catch (java.time.format.DateTimeParseException e) {
      throw FamilyErrors.monthInvalid();
    }
  }

  static JsonObject build(Connection c, TimelineNotices notices, String localNode, String patientId,
      YearMonth month) throws SQLException {
    Map<String, JsonObject> people = new LinkedHashMap<>();
    Map<String, TreeSet<String>> days = new LinkedHashMap<>();
    JsonArray emergencies = new JsonArray();
    TreeSet<String> partners = new TreeSet<>();
    Instant from = month.atDay(1).atStartOfDay(FamilyContext.JAPAN).toInstant();
    Instant to = month.plusMonths(1).atDay(1).atStartOfDay(FamilyContext.JAPAN).toInstant();
    try (PreparedStatement s = c.prepareStatement(ROWS)) {
      s.setString(1, FamilyContext.patientTarget(patientId));
      s.setString(2, from.toString());
      s.setString(3, to.toString());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String actor = rs.getString(1);
          Optional<JsonObject> profile = profile(c, notices, actor);
          if (profile.isEmpty()) {
            continue; // the family itself, the system, a node: not a person looking at the record
          }
          String day = LocalDate.ofInstant(Instant.parse(rs.getString(3)), FamilyContext.JAPAN).toString();
          String node = FederatedId.tryParse(profile.get().getString("id", "")).map(FederatedId::node).orElse(localNode);
          if (!node.equals(localNode)) {
            partners.add(node);
          }
          people.computeIfAbsent(actor, a -> person(profile.get(), node, localNode).put("actor", actor));
          people.get(actor).put("count", people.get(actor).getInteger("count") + 1);
          days.computeIfAbsent(actor, a -> new TreeSet<>()).add(day);
          if ("emergency.access.opened".equals(rs.getString(2))) {
            JsonObject detail = new JsonObject(rs.getString(4));
            emergencies.add(new JsonObject().put("at", rs.getString(3)).put("day", day)
                .put("by", TimelineNotices.describe(profile.get())).put("reason", detail.getString("reason", "")));
          }
        }
      }
    }
    JsonArray viewers = new JsonArray();
    people.forEach((actor, person) -> viewers.add(person.put("days", new JsonArray(days.get(actor).stream().toList()))));
    return new JsonObject().put("month", month.toString()).put("viewers", viewers).put("emergencyAccesses", emergencies)
        .put("replicaNodes", new JsonArray(partners.stream().toList()));
  }

  private static JsonObject person(JsonObject profile, String node, String localNode) {
    String name = (profile.getString("familyName", "") + " " + profile.getString("givenName", "")).strip();
    return new JsonObject().put("name", name).put("profession", profile.getString("profession", ""))
        .put("facility", profile.getString("facility", "")).put("node", node).put("partner", !node.equals(localNode))
        .put("description", TimelineNotices.describe(profile)).put("count", 0);
  }

  /** A users row's profile (this node's professional or a partner's); empty for any other actor. */
  private static Optional<JsonObject> profile(Connection c, TimelineNotices notices, String actor) throws SQLException {
    if (actor == null || actor.contains(":") || "anonymous".equals(actor) || "system".equals(actor)) {
      return Optional.empty();
    }
    try {
      return Optional.of(notices.profile(c, actor));
    } catch (SQLException e) {
      return Optional.empty();
    }
  }
}
