package jp.tsunagu.node.web;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Closes connections that do not send a request's head in time ({@code limits.headerTimeoutSeconds}):
 * a new connection until its first request, and a kept-alive HTTP/1.1 connection between the end of one
 * response and the next request. Vert.x has no header-read timeout, and its idle timeout alone lets a
 * client that sends one header byte now and then (slowloris) hold a connection for ever. An HTTP/2
 * connection is checked until its first request; after that its streams are framed, and the idle
 * timeout governs it. One instance per listener verticle: everything here runs on its event loop.
 */
final class HeaderTimeouts {

  private static final long SWEEP_MILLIS = 1_000;

  private final Vertx vertx;
  private final long timeoutMillis;
  private final Map<HttpConnection, State> connections = new HashMap<>();
  private long timer = -1;

  HeaderTimeouts(Vertx vertx, int timeoutSeconds) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutSeconds * 1000L;
  }

  /** The server's connection handler. */
  void connected(HttpConnection connection) {
    connections.put(connection, new State(System.nanoTime()));
    connection.closeHandler(v -> connections.remove(connection));
    if (timer < 0) {
      timer = vertx.setPeriodic(SWEEP_MILLIS, id -> sweep());
    }
  }

  /** Wraps the request handler: a request whose head has arrived stops the clock of its connection. */
  Handler<HttpServerRequest> wrap(Handler<HttpServerRequest> next) {
    return request -> {
      State state = connections.get(request.connection());
      if (state != null) {
        state.current = request;
        state.http2 = request.version() == HttpVersion.HTTP_2;
      }
      next.handle(request);
    };
  }

  /** Stops the sweep (the verticle stops). */
  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Iterator<Map.Entry<HttpConnection, State>> it = connections.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<HttpConnection, State> entry = it.next();
      State state = entry.getValue();
      if (state.http2) {
        it.remove(); // framed from here on: the idle timeout governs it
        continue;
      }
      if (state.current != null) {
        if (!state.current.response().ended() && !state.current.response().closed()) {
          continue; // a request is being answered (a live stream, an upload)
        }
        state.current = null;
        state.since = now;
      }
      if (now - state.since > timeoutMillis * 1_000_000) {
        it.remove();
        entry.getKey().close();
      }
    }
  }

  private static final class State {
    long since;
    HttpServerRequest current;
    boolean http2;

    State(long since) {
      this.since = since;
    }
  }
}
