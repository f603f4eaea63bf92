package jp.tsunagu.node.meetings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.feature.BoardHistory;

/**
 * The meetings of a board scheduled before the team was first shared with a partner, as the team
 * event a partner's copy takes: one {@value MeetingEvents#PUBLISHED} per meeting as it now stands,
 * with its answers and documents (the documents' files are served to the partner by hash, as on
 * every publication). Only meetings still to come or under way: a past meeting's minutes are on the
 * board as a post already, and its invitation would be news to no one. A copy that holds the
 * meeting takes it as a publication that raises no sequence: nothing is mailed again.
 */
final class MeetingHistory implements BoardHistory {

  private final MeetingEvents events;
  private final Clock clock;

  MeetingHistory(MeetingEvents events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "meetings.scheduled";
  }

  @Override
  public List<String> records(Connection c, String boardId) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select id from meetings where board_id = ? and status = 'scheduled'"
        + " and ends_at > ? order by starts_at, id")) {
      s.setString(1, boardId);
      s.setString(2, clock.instant().toString());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  @Override
  public List<Event> events(Connection c, String boardId, String meetingId) throws SQLException {
    Optional<Meeting> meeting = MeetingSql.byId(c, meetingId).filter(m -> m.boardId().equals(boardId));
    if (meeting.isEmpty()) {
      return List.of();
    }
    // Told as its organiser's: the one who speaks for the meeting on the board.
    return List.of(new Event(MeetingEvents.PUBLISHED, List.of(meetingId),
        events.published(c, meeting.get(), meeting.get().organizerId())));
  }
}
