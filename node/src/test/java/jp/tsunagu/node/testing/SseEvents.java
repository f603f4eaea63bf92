package jp.tsunagu.node.testing;

import io.vertx.core.json.JsonObject;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The events of a server-sent event stream as a page's EventSource sees them: id, type and data. */
public final class SseEvents {

  /** One event; {@code id} is null when the event named none. */
  public record Event(String id, String type, JsonObject data) {
    public long number() {
      return Long.parseLong(id);
    }
  }

  private final Iterator<String> lines;

  public SseEvents(Stream<String> body) {
    this.lines = body.iterator();
  }

  /** The next whole event (comments skipped), read on another thread so that a test can time out. */
  public Event next() throws Exception {
    return CompletableFuture.supplyAsync(() -> {
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
      throw new AssertionError("the stream ended");
    }).get(30, TimeUnit.SECONDS);
  }
}
