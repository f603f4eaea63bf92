package jp.tsunagu.node.web.openapi;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Paths as Vert.x mounts them ({@code /patients/:boardId}) and as OpenAPI writes them
 * ({@code /patients/{boardId}}), and the routes a router really has.
 */
final class RoutePaths {

  /** Routes that only check a documented route's body before it; not routes of their own. */
  static final String BODY_CHECK = "openapi.body-check";

  private static final Pattern VERTX_PARAM = Pattern.compile(":([A-Za-z0-9_]+)");
  private static final Pattern OPENAPI_PARAM = Pattern.compile("\\{([A-Za-z0-9_]+)}");

  private RoutePaths() {}

  /** {@code /patients/{boardId}} as Vert.x mounts it: {@code /patients/:boardId}. */
  static String mounted(String openApiPath) {
    return OPENAPI_PARAM.matcher(openApiPath).replaceAll(":$1");
  }

  /** {@code /patients/:boardId} as OpenAPI writes it: {@code /patients/{boardId}}. */
  static String documented(String vertxPath) {
    return VERTX_PARAM.matcher(vertxPath).replaceAll("{$1}");
  }

  /**
   * Every route of a router and its sub-routers that answers given methods under {@code basePath}, as
   * {@code "GET /api/v1/patients/{boardId}"}; handlers for any method (filters, body handlers) are
   * not routes of the API.
   */
  static Set<String> of(Router root, String basePath) {
    return of(root, basePath, route -> true);
  }

  /** {@link #of(Router, String)}, only the routes {@code which} accepts. */
  static Set<String> of(Router root, String basePath, Predicate<Route> which) {
    Set<String> routes = new TreeSet<>();
    collect(root, "", basePath, which, routes);
    return routes;
  }

  private static void collect(Router router, String prefix, String basePath, Predicate<Route> which,
      Set<String> routes) {
    for (Route route : router.getRoutes()) {
      String path = route.getPath() == null ? null : join(prefix, route.getPath());
      if (route.getSubRouter() != null) {
        collect(route.getSubRouter(), path == null ? prefix : path.replaceFirst("/?\\*$", ""), basePath, which,
            routes);
      } else if (path != null && route.methods() != null && !route.methods().isEmpty() && which.test(route)
          && !BODY_CHECK.equals(route.getName()) && (path.equals(basePath) || path.startsWith(basePath + "/"))) {
        for (HttpMethod method : route.methods()) {
          routes.add(method.name() + " " + documented(path));
        }
      }
    }
  }

  private static String join(String prefix, String path) {
    if (prefix.isEmpty()) {
      return path;
    }
    return prefix.endsWith("/") && path.startsWith("/") ? prefix + path.substring(1) : prefix + path;
  }
}
