package jp.tsunagu.node.care.live;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.web.EventStream;

/**
 * One stream's events in order, without a gap or a repeat where replayed events meet live ones. The
 * stream listens before its replay is read, so an event committed meanwhile is in the replay, or
 * arrives live, or both: live events are held until the replay is sent, and every event at or below
 * the last id sent is dropped. Each event goes only to whom it may reach: a direct post's to its
 * recipients alone, as live. Confined to the stream's context.
 */
final class StreamSeam {

  private final EventStream stream;
  private final String userId;
  /** Live events held while the replay is read; null once it is sent. */
  private List<JsonObject> held = new ArrayList<>();
  private long lastId;

  StreamSeam(EventStream stream, String userId) {
    this.stream = stream;
    this.userId = userId;
  }

  /** A live event (with its id and tag, {@link LiveEvents#told}) told on this instance. */
  void live(JsonObject event) {
    if (held != null) {
      held.add(event);
    } else {
      send(event);
    }
  }

  /** The replay is read (null: the stream resumes nothing): sends it, then what was held meanwhile. */
  void replayed(LiveReplay replay) {
    if (replay != null && replay.reset()) {
      write("reset", replay.throughSseId(), new JsonObject().put("type", "reset"));
    } else if (replay != null) {
      replay.events().forEach(logged -> send(LiveEvents.told(logged)));
    }
    if (replay != null) {
      lastId = Math.max(lastId, replay.through());
    }
    List<JsonObject> meanwhile = held;
    held = null;
    meanwhile.forEach(this::send);
  }

  private void send(JsonObject event) {
    long id = event.getLong("id", 0L);
    if (id <= lastId) {
      return;
    }
    lastId = id;
    JsonArray recipients = event.getJsonArray("recipients");
    if (recipients == null || recipients.contains(userId)) {
      JsonObject visible = event.copy();
      visible.remove("recipients");
      visible.remove("id");
      visible.remove("tag");
      write(event.getString("type"), id + "-" + event.getString("tag"), visible);
    }
  }

  private void write(String type, String id, JsonObject data) {
    stream.send(id, type, data.encode());
  }
}
