package jp.tsunagu.node.care.live;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import jp.tsunagu.node.storage.TouchRow;
import jp.tsunagu.node.storage.TouchTable;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * The SQL of the live events kept for replay (table {@code live_events}): one row per event a board's
 * streams are told, its rowid the event's id on every instance of the node. Streams are told each
 * event's id with a tag of its row ({@link Logged#sseId}): a rowid alone does not say which event it
 * was, and a deposed leader's batch that was never replicated had its ids given again by the next
 * leader to other events.
 */
public final class LiveLog {

  /** Events of the whole node kept for streams to take up where they stopped. */
  static final long KEEP = 10_000;
  /** Older rows are removed this many at a time, not one per event. */
  static final long PRUNE_EVERY = 1_000;

  private LiveLog() {}

  /** Hex digits of a row's tag: 64 bits, so a stale id whose row was replaced passes one time in 2^64. */
  static final int TAG_DIGITS = 16;

  /**
   * An event as kept: its id, its board, what streams are told (recipients included) and the tag of
   * its row, the same on every instance that holds the row.
   */
  public record Logged(long id, String boardId, JsonObject event, String tag) {
    /** The SSE id streams are sent: the row's id and its tag. */
    public String sseId() {
      return id + "-" + tag;
    }
  }

  /** Where the kept events stand: the newest id (0 when none) and the oldest one kept (0 when none). */
  record Span(long oldest, long newest) {}

  /**
   * The tag of a row: the start of a SHA-256 of what the row holds, as replication copies it to
   * every instance (the text of its event, not a re-encoding of it).
   */
  static String tag(long id, String boardId, String eventText, String writtenAt) {
    // Bouncy Castle's digest, made afresh: a JCA MessageDigest was a look-up of the algorithm's provider on
    // every event the writer commits and every row a replay reads, and a digest kept per thread is static state
    SHA256Digest sha = new SHA256Digest();
    byte[] row = (id + "\n" + boardId + "\n" + writtenAt + "\n" + eventText).getBytes(StandardCharsets.UTF_8);
    sha.update(row, 0, row.length);
    byte[] digest = new byte[sha.getDigestSize()];
    sha.doFinal(digest, 0);
    return HexFormat.of().formatHex(digest, 0, TAG_DIGITS / 2);
  }

  private static Logged logged(ResultSet rs) throws SQLException {
    long id = rs.getLong(1);
    String boardId = rs.getString(2);
    String event = rs.getString(3);
    return new Logged(id, boardId, new JsonObject(event), tag(id, boardId, event, rs.getString(4)));
  }

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
  static final TouchTable<List<Logged>> TOUCHED = TouchTable.of(
      "select e.id, e.board_id, e.event, e.written_at from live_event_touches t join live_events e on e.id = t.id", 4,
      LiveLog::takeTouched);

  private static List<Logged> takeTouched(Connection c, List<TouchRow> rows) throws SQLException {
    if (rows.isEmpty()) {
      return List.of();
    }
    List<Logged> touched = new ArrayList<>(rows.size());
    for (TouchRow row : rows) {
      long id = row.number(1);
      String boardId = row.text(2);
      String event = row.text(3);
      touched.add(new Logged(id, boardId, new JsonObject(event), tag(id, boardId, event, row.text(4))));
    }
    // in the order they were kept: the look joins the touch tables without an order
    touched.sort(java.util.Comparator.comparingLong(Logged::id));
    TouchTable.empty(c, "live_event_touches");
    return touched;
  }

  /** The board's events after {@code afterId} up to {@code upTo}, oldest first, at most {@code limit}. */
  static List<Logged> after(Connection c, String boardId, long afterId, long upTo, int limit) throws SQLException {
    List<Logged> events = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select id, board_id, event, written_at from live_events"
        + " where board_id = ? and id > ? and id <= ? order by id limit ?")) {
      s.setString(1, boardId);
      s.setLong(2, afterId);
      s.setLong(3, upTo);
      s.setInt(4, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          events.add(logged(rs));
        }
      }
    }
    return events;
  }

  /** The kept events up to {@code upTo}. */
  static Span span(Connection c, long upTo) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "select coalesce(min(id), 0), coalesce(max(id), 0) from live_events where id <= ?")) {
      s.setLong(1, upTo);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new Span(rs.getLong(1), rs.getLong(2));
      }
    }
  }

  /** The newest event kept (0 when none). */
  static long newest(Connection c) throws SQLException {
    return span(c, Long.MAX_VALUE).newest();
  }

  /** The event kept under {@code id}, or null. */
  static Logged at(Connection c, long id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "select id, board_id, event, written_at from live_events where id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? logged(rs) : null;
      }
    }
  }
}
