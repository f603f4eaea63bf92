package jp.tsunagu.node.web;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers every response carries: no sniffing, no framing, no referrer leaks, HTTPS only, and a
 * Content-Security-Policy that lets pages load scripts, styles and images from this site alone,
 * plus images from the configured map tile host (the portal's Leaflet maps), and nothing else.
 */
public final class SecurityHeaders {

  private SecurityHeaders() {}

  /** {@code tileOrigin} is a scheme and host such as {@code https://cyberjapandata.gsi.go.jp}. */
  public static Handler<RoutingContext> handler(String tileOrigin) {
    return ctx -> {
      apply(ctx.response().headers(), tileOrigin);
      ctx.next();
    };
  }

  /** The same headers on a response answered before the router (a refused host). */
  public static void apply(MultiMap headers, String tileOrigin) {
    headers
        .set("Strict-Transport-Security", "max-age=31536000")
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "no-referrer")
        .set("Content-Security-Policy", policy(tileOrigin));
  }

  private static String policy(String tileOrigin) {
    return "default-src 'self'; img-src 'self' data: " + tileOrigin + "; style-src 'self'; "
        + "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  }
}
