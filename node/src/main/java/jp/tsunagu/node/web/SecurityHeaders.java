package jp.tsunagu.node.web;

import io.vertx.core.Handler;
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
    String policy = "default-src 'self'; img-src 'self' data: " + tileOrigin + "; style-src 'self'; "
        + "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    return ctx -> {
      ctx.response()
          .putHeader("Strict-Transport-Security", "max-age=31536000")
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("X-Frame-Options", "DENY")
          .putHeader("Referrer-Policy", "no-referrer")
          .putHeader("Content-Security-Policy", policy);
      ctx.next();
    };
  }
}
