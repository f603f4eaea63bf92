package jp.tsunagu.node.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A response kept open as a stream of server-sent events, the one set-up of every live screen: the
 * headers, a first comment (the page knows it is connected), a comment every {@link #PING_MILLIS} (a
 * proxy or the browser does not end a quiet stream), and what the stream holds (its event bus
 * consumers, its timers, a slot) released once when it ends, from either side.
 */
public final class EventStream {

  /** How often a quiet stream gets a comment. */
  public static final long PING_MILLIS = 25_000;

  private final Vertx vertx;
  private final HttpServerResponse response;
  private final List<Runnable> onEnd = new ArrayList<>();
  private boolean ended;

  private EventStream(RoutingContext ctx) {
    this.vertx = ctx.vertx();
    this.response = ctx.response();
  }

  /** Starts the stream on the request's response; its end releases what {@link #onEnd} is given. */
  public static EventStream open(RoutingContext ctx) {
    EventStream stream = new EventStream(ctx);
    // identity encoding and no proxy buffering: a compressed or buffered stream would wait instead of
    // reaching the page.
    stream.response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Content-Encoding", "identity").putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    stream.response.write(": connected\n\n");
    stream.response.closeHandler(v -> stream.end());
    stream.response.endHandler(v -> stream.end());
    return stream;
  }

  /**
   * A stream that sends an event of {@code type} for each message published on {@code address} (on every
   * instance of a clustered node), its data made by {@code data}, and pings while quiet.
   */
  public static EventStream relaying(RoutingContext ctx, String address, String type,
      Function<JsonObject, String> data) {
    EventStream stream = open(ctx);
    var consumer = stream.vertx.eventBus().<JsonObject>consumer(address,
        message -> stream.send(type, data.apply(message.body())));
    stream.onEnd(consumer::unregister);
    return stream.pingEvery(PING_MILLIS, stream::ping);
  }

  /** Runs {@code beat} every {@code millis} until the stream ends (a ping, or a check that may end it). */
  public EventStream pingEvery(long millis, Runnable beat) {
    long timer = vertx.setPeriodic(millis, id -> beat.run());
    return onEnd(() -> vertx.cancelTimer(timer));
  }

  /** What to release when the stream ends; run once, at once if it has already ended. */
  public EventStream onEnd(Runnable release) {
    if (ended) {
      release.run();
      return this;
    }
    onEnd.add(release);
    if (response.closed()) {
      end(); // gone before this was set
    }
    return this;
  }

  /** An event of {@code type} with its data (one line of JSON). */
  public void send(String type, String data) {
    write("event: " + type + "\ndata: " + data + "\n\n");
  }

  /** An event with its id, which a browser sends back as {@code Last-Event-ID} when it reconnects. */
  public void send(String id, String type, String data) {
    write("id: " + id + "\nevent: " + type + "\ndata: " + data + "\n\n");
  }

  /** A comment: keeps the stream from looking idle, and the page ignores it. */
  public void ping() {
    write(": ping\n\n");
  }

  /** Ends the stream from this side (a member removed, a replay that could not be read). */
  public void close() {
    if (!response.closed() && !response.ended()) {
      response.end();
    }
    end();
  }

  /** Whether the other side has gone (nothing written reaches it). */
  public boolean closed() {
    return response.closed();
  }

  private void write(String text) {
    if (!response.closed()) {
      response.write(text);
    }
  }

  private void end() {
    ended = true;
    List<Runnable> releases = List.copyOf(onEnd);
    onEnd.clear();
    releases.forEach(Runnable::run);
  }
}
