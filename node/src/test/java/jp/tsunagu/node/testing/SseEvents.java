package jp.tsunagu.node.testing;

import io.vertx.core.json.JsonObject;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The events of a server-sent event stream as a page's EventSource sees them: id, type and data. */
public final class SseEvents {

  /** One event; {@code id} is null when the event named none. */
  public record Event(String id, String type, JsonObject data) {
    /** The number of the event's id (an id is the number, then the tag of its row after a '-'). */
    public long number() {
      int tag = id.indexOf('-');
      return Long.parseLong(tag < 0 ? id : id.substring(0, tag));
    }
  }

  private final Iterator<String> lines;

  public SseEvents(Stream<String> body) {
    this.lines = body.iterator();
  }

  /**
   * Every event of {@code body} as it arrives, read by a thread of its own until the stream ends: a
   * test can see what a stream had heard when something else happened.
   */
  public static List<Event> collected(Stream<String> body) {
    SseEvents events = new SseEvents(body);
    List<Event> heard = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      for (Event event = events.read(); event != null; event = events.read()) {
        heard.add(event);
      }
    }, "sse-events");
    reader.setDaemon(true);
    reader.start();
    return heard;
  }

  /** The next whole event (comments skipped), read on another thread so that a test can time out. */
  public Event next() throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      Event event = read();
      if (event == null) {
        throw new AssertionError("the stream ended");
      }
      return event;
    }).get(30, TimeUnit.SECONDS);
  }

  /** The next whole event, waiting as long as it takes; null when the stream ended. */
  private Event read() {
    try {
      String id = null;
      String type = "message";
      String data = null;
      while (lines.hasNext()) {
        String line = lines.next();
        if (line.isEmpty()) {
          if (data != null) {
            return new Event(id, type, new JsonObject(data));
          }
          id = null;
          type = "message";
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      return null;
    } catch (java.io.UncheckedIOException e) {
      return null; // the stream was closed
    }
  }
}
