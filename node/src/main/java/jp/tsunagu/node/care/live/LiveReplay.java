package jp.tsunagu.node.care.live;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What a stream opened again with {@code Last-Event-ID} is sent before its live events: the board's
 * events after that id as this instance keeps them and has told its streams of, or a reset when it
 * cannot tell what was missed.
 *
 * @param reset the page must read its view anew: more than {@link #MAX} events were missed, the id is
 *     older than the events kept, newer than any this instance has told (another node's, or one of a
 *     database since rebuilt, or of an instance ahead of this one), or names a row this instance holds
 *     for another event (its tag differs: a deposed leader's batch that was never replicated)
 * @param through the id the stream stands at once this is sent; live events up to it are dropped
 * @param throughSseId the SSE id of {@code through}, sent with a reset
 * @param events the board's events to send, oldest first (none on a reset)
 */
record LiveReplay(boolean reset, long through, String throughSseId, List<LiveLog.Logged> events) {

  /** Most events replayed to one stream; beyond, a reset. */
  static final int MAX = 500;

  /**
   * @param toldThrough the newest event this instance's streams have been told of (negative: not known
   *     yet, every row counts). A row above it is not told yet (a clustered leader's, until its write is
   *     acknowledged): it is not replayed, and reaches the stream live once told.
   */
  static LiveReplay after(Connection c, String boardId, LastEventId after, long toldThrough) throws SQLException {
    long upTo = toldThrough < 0 ? Long.MAX_VALUE : toldThrough;
    LiveLog.Span span = LiveLog.span(c, upTo);
    boolean pruned = span.oldest() > 0 && after.id() < span.oldest() - 1;
    if (after.id() > span.newest() || pruned || !holds(c, after)) {
      return reset(c, span.newest());
    }
    List<LiveLog.Logged> events = LiveLog.after(c, boardId, after.id(), upTo, MAX + 1);
    if (events.size() > MAX) {
      return reset(c, span.newest());
    }
    long through = events.isEmpty() ? after.id() : events.get(events.size() - 1).id();
    return new LiveReplay(false, through, null, events);
  }

  /**
   * Whether the event the id names is the one this instance holds under that id: the tag it carries
   * is its row's. An id without a tag is taken at its word, as before ids carried tags.
   */
  private static boolean holds(Connection c, LastEventId after) throws SQLException {
    if (after.tag() == null) {
      return true;
    }
    LiveLog.Logged row = LiveLog.at(c, after.id());
    return row != null && row.tag().equals(after.tag());
  }

  private static LiveReplay reset(Connection c, long through) throws SQLException {
    LiveLog.Logged row = through == 0 ? null : LiveLog.at(c, through);
    return new LiveReplay(true, through, row == null ? String.valueOf(through) : row.sseId(), List.of());
  }
}
