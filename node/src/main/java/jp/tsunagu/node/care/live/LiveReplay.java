package jp.tsunagu.node.care.live;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What a stream opened again with {@code Last-Event-ID} is sent before its live events: the board's
 * events after that id as this instance keeps them, or a reset when it cannot tell what was missed.
 *
 * @param reset the page must read its view anew: more than {@link #MAX} events were missed, the id is
 *     older than the events kept, or newer than any this instance holds (another node's, or one of a
 *     database since rebuilt, or of an instance ahead of this one)
 * @param through the id the stream stands at once this is sent; live events up to it are dropped
 * @param events the board's events to send, oldest first (none on a reset)
 */
record LiveReplay(boolean reset, long through, List<LiveLog.Logged> events) {

  /** Most events replayed to one stream; beyond, a reset. */
  static final int MAX = 500;

  static LiveReplay after(Connection c, String boardId, long after) throws SQLException {
    LiveLog.Span span = LiveLog.span(c);
    boolean pruned = span.oldest() > 0 && after < span.oldest() - 1;
    if (after > span.newest() || pruned) {
      return new LiveReplay(true, span.newest(), List.of());
    }
    List<LiveLog.Logged> events = LiveLog.after(c, boardId, after, MAX + 1);
    if (events.size() > MAX) {
      return new LiveReplay(true, Math.max(span.newest(), events.get(events.size() - 1).id()), List.of());
    }
    return new LiveReplay(false, events.isEmpty() ? after : events.get(events.size() - 1).id(), events);
  }
}
