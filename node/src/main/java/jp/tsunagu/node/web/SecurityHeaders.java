package jp.tsunagu.node.web;

import io.vertx.ext.web.RoutingContext;

/** Headers every response carries: no sniffing, no framing, no referrer leaks, HTTPS only. */
public final class SecurityHeaders {

  private SecurityHeaders() {}

  public static void add(RoutingContext ctx) {
    ctx.response()
        .putHeader("Strict-Transport-Security", "max-age=31536000")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; "
                + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    ctx.next();
  }
}
