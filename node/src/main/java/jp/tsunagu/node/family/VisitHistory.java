package jp.tsunagu.node.family;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.feature.BoardHistory;

/**
 * The visits planned before the team was first shared with a partner, as the team event a partner's
 * copy takes: one {@value VisitEvents#PLANNED} per coming visit still planned, told as its planner's.
 * Past and cancelled visits are news to no one. A copy that holds the visit takes it as nothing.
 */
final class VisitHistory implements BoardHistory {

  private final FamilyContext family;
  private final VisitEvents events;

  VisitHistory(FamilyContext family, VisitEvents events) {
    this.family = family;
    this.events = events;
  }

  @Override
  public String name() {
    return "family.visits";
  }

  @Override
  public List<String> records(Connection c, String boardId) throws SQLException {
    return VisitSql.comingOwn(c, boardId, LocalDate.now(family.services().clock().withZone(FamilyContext.JAPAN))
        .toString());
  }

  @Override
  public List<Event> events(Connection c, String boardId, String visitId) throws SQLException {
    Optional<VisitSql.Stored> visit = VisitSql.byId(c, visitId)
        .filter(v -> v.visit().patientId().equals(boardId) && v.cancelledAt().isEmpty());
    if (visit.isEmpty()) {
      return List.of();
    }
    return List.of(new Event(VisitEvents.PLANNED, List.of(visitId), events.planned(c, visit.get().visit(),
        visit.get().plannedBy(), family.now().toString())));
  }
}
