package jp.tsunagu.node.identity;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * The session and CSRF cookies. {@code __Host-} names make browsers insist on Secure, Path=/ and
 * no Domain, so no other host can plant them; SameSite=Strict keeps them off cross-site requests.
 */
final class SessionCookies {

  static final String SESSION = "__Host-tsunagu-session";
  static final String CSRF = "__Host-tsunagu-csrf";

  private SessionCookies() {}

  static Optional<String> session(RoutingContext ctx) {
    return value(ctx, SESSION);
  }

  static Optional<String> csrf(RoutingContext ctx) {
    return value(ctx, CSRF);
  }

  static void setSession(RoutingContext ctx, String id) {
    ctx.response().addCookie(cookie(SESSION, id));
  }

  static void setCsrf(RoutingContext ctx, String token) {
    ctx.response().addCookie(cookie(CSRF, token));
  }

  static void clearSession(RoutingContext ctx) {
    ctx.response().addCookie(cookie(SESSION, "").setMaxAge(0));
  }

  private static Cookie cookie(String name, String value) {
    return Cookie.cookie(name, value).setPath("/").setSecure(true).setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT);
  }

  private static Optional<String> value(RoutingContext ctx, String name) {
    Cookie cookie = ctx.request().getCookie(name);
    return cookie == null || cookie.getValue().isEmpty() ? Optional.empty() : Optional.of(cookie.getValue());
  }
}
