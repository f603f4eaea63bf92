package jp.tsunagu.node.family;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;
import jp.tsunagu.node.identity.Secrets;
import jp.tsunagu.node.web.RouteSet;

/**
 * The family account's session, on a cookie of its own so that it never becomes a professional's
 * session: the professionals' two-factor rule (device certificate and password) is untouched, and
 * no professional route ever sees a family account as its caller. The filter is the wall of the
 * family door: a request with a good family session reaches only the notebook's API
 * ({@code /api/v1/family/…}); every other API route answers the same 404 as a missing record.
 */
final class FamilySessions implements RouteSet {

  static final String COOKIE = "__Host-tsunagu-family";
  static final String NOTEBOOK_API = "/api/v1/family/";
  private static final String KEY = "tsunagu.family";

  /** A logged-in family account and the CSRF token bound to its session. */
  record Caller(FamilyAccount account, String sessionHash, String csrfToken) {}

  private final FamilyContext family;

  FamilySessions(FamilyContext family) {
    this.family = family;
  }

  static Optional<Caller> of(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(KEY));
  }

  @Override
  public void mountFilters(Router root) {
    root.route().handler(this::load);
  }

  private void load(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    if (cookie == null || cookie.getValue().isEmpty()) {
      ctx.next();
      return;
    }
    String hash = Secrets.sha256(cookie.getValue());
    Instant now = family.now();
    family.services().database().read(c -> FamilySql.session(c, hash).flatMap(s -> {
      try {
        return FamilySql.byId(c, s.accountId()).map(a -> new Caller(a, hash, s.csrfToken()))
            .filter(caller -> alive(s, now) && "active".equals(caller.account().status()));
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
    })).onSuccess(caller -> {
      if (caller.isPresent()) {
        ctx.put(KEY, caller.get());
        family.services().database().write(c -> {
          FamilySql.touchSession(c, hash, now.toString());
          return null;
        });
      } else {
        ctx.response().addCookie(cookie("").setMaxAge(0));
      }
      if (caller.isPresent() && !ctx.request().path().startsWith(NOTEBOOK_API)
          && (ctx.request().path().startsWith("/api/") || ctx.request().path().startsWith("/admin/"))) {
        ctx.fail(FamilyErrors.notFound());
      } else {
        ctx.next();
      }
    }).onFailure(ctx::fail);
  }

  private boolean alive(FamilySql.SessionRow session, Instant now) {
    return now.isBefore(Instant.parse(session.createdAt()).plus(family.sessionFor()))
        && now.isBefore(Instant.parse(session.lastSeenAt()).plus(family.idleFor()));
  }

  /**
   * The step before a notebook route: on to it for a family account's caller, 404 for anyone else (to them the
   * notebook does not exist), a CSRF refusal for a change without the session's token.
   */
  static void requireCaller(RoutingContext ctx) {
    Optional<Caller> caller = of(ctx);
    if (caller.isEmpty()) {
      ctx.fail(FamilyErrors.notFound());
      return;
    }
    if (ctx.request().method() != HttpMethod.GET
        && !Secrets.sameToken(ctx.request().getHeader("X-CSRF-Token"), caller.get().csrfToken())) {
      ctx.fail(FamilyErrors.csrf());
      return;
    }
    ctx.next();
  }

  /** The caller of a route behind {@link #requireCaller}. */
  static Caller caller(RoutingContext ctx) {
    return of(ctx).orElseThrow();
  }

  static Cookie cookie(String value) {
    return Cookie.cookie(COOKIE, value).setPath("/").setSecure(true).setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT);
  }
}
