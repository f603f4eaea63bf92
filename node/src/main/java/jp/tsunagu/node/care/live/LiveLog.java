package jp.tsunagu.node.care.live;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.storage.TouchRow;
import jp.tsunagu.node.storage.TouchTable;

/**
 * The SQL of the live events kept for replay (table {@code live_events}): one row per event a board's
 * streams are told, its rowid the event's id on every instance of the node.
 */
public final class LiveLog {

  /** Events of the whole node kept for streams to take up where they stopped. */
  static final long KEEP = 10_000;
  /** Older rows are removed this many at a time, not one per event. */
  static final long PRUNE_EVERY = 1_000;

  private LiveLog() {}

  /** An event as kept: its id, its board and what streams are told (recipients included). */
  public record Logged(long id, String boardId, JsonObject event) {}

  /** Where the kept events stand: the newest id (0 when none) and the oldest one kept (0 when none). */
  record Span(long oldest, long newest) {}

  /** Keeps {@code event} of the board in the transaction of {@code c}; answers its id. */
  public static long record(Connection c, String boardId, JsonObject event, String now) throws SQLException {
    long id;
    try (PreparedStatement s = c.prepareStatement(
        "insert into live_events (board_id, event, written_at) values (?, ?, ?) returning id")) {
      s.setString(1, boardId);
      s.setString(2, event.encode());
      s.setString(3, now);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    if (id % PRUNE_EVERY == 0 && id > KEEP) {
      try (PreparedStatement s = c.prepareStatement("delete from live_events where id <= ?")) {
        s.setLong(1, id - KEEP);
        s.executeUpdate();
      }
    }
    return id;
  }

  /**
   * The events a transaction kept (the writer's commit hook), read in the writer's one look at the touch
   * tables, oldest first, and their record emptied.
   */
  static final TouchTable<List<Logged>> TOUCHED = new TouchTable<>() {
    @Override
    public String select() {
      return "select e.id, e.board_id, e.event from live_event_touches t join live_events e on e.id = t.id";
    }

    @Override
    public int columns() {
      return 3;
    }

    @Override
    public List<Logged> taken(Connection c, List<TouchRow> rows) throws SQLException {
      return takeTouched(c, rows);
    }
  };

  private static List<Logged> takeTouched(Connection c, List<TouchRow> rows) throws SQLException {
    if (rows.isEmpty()) {
      return List.of();
    }
    List<Logged> touched = new ArrayList<>(rows.size());
    for (TouchRow row : rows) {
      touched.add(new Logged(row.number(1), row.text(2), new JsonObject(row.text(3))));
    }
    // in the order they were kept: the look joins the touch tables without an order
    touched.sort(java.util.Comparator.comparingLong(Logged::id));
    try (PreparedStatement s = c.prepareStatement("delete from live_event_touches")) {
      s.executeUpdate();
    }
    return touched;
  }

  /** The board's events after {@code afterId}, oldest first, at most {@code limit}. */
  static List<Logged> after(Connection c, String boardId, long afterId, int limit) throws SQLException {
    List<Logged> events = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "select id, event from live_events where board_id = ? and id > ? order by id limit ?")) {
      s.setString(1, boardId);
      s.setLong(2, afterId);
      s.setInt(3, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          events.add(new Logged(rs.getLong(1), boardId, new JsonObject(rs.getString(2))));
        }
      }
    }
    return events;
  }

  static Span span(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select coalesce(min(id), 0), coalesce(max(id), 0) from live_events");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return new Span(rs.getLong(1), rs.getLong(2));
    }
  }
}
