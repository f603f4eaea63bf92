package jp.tsunagu.node.web;

import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every request an id, returns it in {@code X-Request-Id} and writes one access-log line when
 * the response ends. The id ties a user's error message to the log line an operator finds.
 * Only the path is logged, never the query string or headers, which may carry secrets.
 */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "requestId";
  private static final Logger ACCESS = LoggerFactory.getLogger("tsunagu.access");
  private static final SecureRandom RANDOM = new SecureRandom();

  private RequestIds() {}

  /** The first handler on every router. */
  public static void assign(RoutingContext ctx) {
    String id = newId();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    long started = System.nanoTime();
    ctx.addEndHandler(done -> ACCESS.info("{} {} {} {}ms id={}", ctx.request().method(), ctx.request().path(),
        ctx.response().getStatusCode(), (System.nanoTime() - started) / 1_000_000, id));
    ctx.next();
  }

  /** A fresh request id (16 hex digits). */
  public static String newId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The id of this request (present on every request that passed {@link #assign}). */
  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "-" : id;
  }
}
