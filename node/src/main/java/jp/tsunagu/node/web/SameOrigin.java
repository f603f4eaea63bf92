package jp.tsunagu.node.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import jp.tsunagu.node.errors.CodedException;

/**
 * Defence in depth beside the CSRF token: a state-changing request (any method but GET, HEAD and
 * OPTIONS) that a browser says comes from another site is refused with 403 {@code request.cross_origin}
 * before any route runs. {@code Sec-Fetch-Site} must be {@code same-origin} (or {@code none}, typed by
 * the user); without it, an {@code Origin} must be one of the node's own web origins. A client that
 * sends neither (not a browser) is left to the CSRF token as before.
 */
public final class SameOrigin {

  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  private static final Set<String> ALLOWED_FETCH_SITES = Set.of("same-origin", "none");

  private SameOrigin() {}

  public static Handler<RoutingContext> handler(ServedHosts hosts) {
    return ctx -> {
      if (SAFE.contains(ctx.request().method()) || fromHere(ctx, hosts)) {
        ctx.next();
      } else {
        ctx.fail(CodedException.forbidden("request.cross_origin", "他のサイトからの操作は受け付けません。"));
      }
    };
  }

  private static boolean fromHere(RoutingContext ctx, ServedHosts hosts) {
    String site = ctx.request().getHeader("Sec-Fetch-Site");
    if (site != null) {
      return ALLOWED_FETCH_SITES.contains(site.trim().toLowerCase(java.util.Locale.ROOT));
    }
    String origin = ctx.request().getHeader("Origin");
    return origin == null || isServedOrigin(origin.trim(), hosts);
  }

  private static boolean isServedOrigin(String origin, ServedHosts hosts) {
    try {
      URI uri = new URI(origin);
      String path = uri.getRawPath();
      return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && (path == null || path.isEmpty())
          && uri.getRawQuery() == null && uri.getRawUserInfo() == null
          && hosts.serves(HostAndPort.create(uri.getHost(), uri.getPort()));
    } catch (URISyntaxException e) {
      return false; // "null" (an opaque origin) and anything unparsable
    }
  }
}
