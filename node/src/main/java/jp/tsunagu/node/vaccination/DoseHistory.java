package jp.tsunagu.node.vaccination;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.feature.BoardHistory;

/**
 * The doses of a patient recorded before the team was first shared with a partner, as the team
 * events a partner's copy takes: each dose as first recorded ({@value DoseEvents#TYPE}, naming its
 * notice, which the board's posts carried already), then each correction in turn
 * ({@value DoseCorrections#TYPE}), so the copy ends at the current version and keeps every version,
 * then its adverse reactions ({@value ReactionEvents#TYPE}). A copy that holds any of them already
 * takes it as nothing (see the three types).
 */
final class DoseHistory implements BoardHistory {

  private final TimelineNotices notices;

  DoseHistory(TimelineNotices notices) {
    this.notices = notices;
  }

  @Override
  public String name() {
    return "vaccination.doses";
  }

  @Override
  public List<String> records(Connection c, String boardId) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "select id from vaccination_doses where patient_id = ? order by recorded_at, rowid")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  @Override
  public List<Event> events(Connection c, String boardId, String doseId) throws SQLException {
    Optional<DoseSql.Stored> held = DoseSql.byId(c, doseId);
    // A dose without its notice was taken in from a partner's correction; the home node has none such.
    if (held.isEmpty() || !held.get().patientId().equals(boardId) || held.get().noticeId() == null) {
      return List.of();
    }
    DoseSql.Stored dose = held.get();
    List<Version> versions = versions(c, doseId);
    if (versions.isEmpty()) {
      return List.of();
    }
    List<Event> events = new ArrayList<>();
    Version first = versions.get(0);
    String vaccineName = VaccineSql.byCode(c, dose.vaccine()).map(VaccineSql.Vaccine::nameJa).orElse(dose.vaccine());
    events.add(new Event(DoseEvents.TYPE, List.of(doseId), new JsonObject()
        .put("author", notices.profile(c, dose.recordedBy())).put("dose", first.data()).put("vaccineName", vaccineName)
        .put("noticeId", dose.noticeId()).put("recordedAt", dose.recordedAt())));
    for (Version later : versions.subList(1, versions.size())) {
      events.add(new Event(DoseCorrections.TYPE, List.of(doseId), new JsonObject()
          .put("author", notices.profile(c, later.by())).put("dose", later.data()).put("version", later.number())
          .put("correctedAt", later.at())));
    }
    for (DoseSql.Reaction reaction : DoseSql.reactions(c, doseId)) {
      events.add(new Event(ReactionEvents.TYPE, List.of(reaction.id(), doseId),
          ReactionEvents.data(notices.profile(c, reaction.recordedBy()), reaction)));
    }
    return events;
  }

  /** One version of a dose: its number, its fields, who made it and when. */
  private record Version(int number, JsonObject data, String by, String at) {}

  private static List<Version> versions(Connection c, String doseId) throws SQLException {
    List<Version> versions = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select version, data, changed_by, changed_at"
        + " from vaccination_dose_versions where dose_id = ? order by version")) {
      s.setString(1, doseId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          versions.add(new Version(rs.getInt(1), new JsonObject(rs.getString(2)), rs.getString(3), rs.getString(4)));
        }
      }
    }
    return versions;
  }
}
