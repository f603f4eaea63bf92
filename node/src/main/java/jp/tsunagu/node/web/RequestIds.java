package jp.tsunagu.node.web;

import io.vertx.ext.web.RoutingContext;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
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

  /**
   * A fresh request id (16 hex digits). It only has to tell one request from another in the logs (64 random
   * bits: a repeat among a million requests has odds of about 1 in 37 million) and guards nothing, so it comes
   * from the thread's own generator: a shared {@code SecureRandom} took a lock and, at every refill, a read of
   * the system's entropy source on every request.
   */
  public static String newId() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  /** The id of this request (present on every request that passed {@link #assign}). */
  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "-" : id;
  }
}
