package jp.tsunagu.node.web;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.List;

/**
 * A feature's routes (identity, care, resources, …). Each web verticle instance builds its own
 * routers and asks every feature to add its routes, so handlers stay on their event loop.
 */
public interface RouteSet {

  /**
   * Adds JSON API routes to the sub-router mounted at {@code /api/v1} (on the web listener) or
   * {@code /admin/v1} (on the admin listener), e.g. {@code api.get("/patients/:id")}.
   */
  default void mountApi(Router api) {}

  /**
   * Adds handlers that every request passes before any feature's routes (the identity feature's
   * certificate gate and session loading).
   */
  default void mountFilters(Router root) {}

  /** Adds server-rendered pages to the listener's root router, e.g. the public portal. */
  default void mountPages(Router root) {}

  /** Mounts every feature on a listener: filters first, then pages, then the API at {@code apiMount}. */
  static void mountAll(Vertx vertx, Router root, String apiMount, List<RouteSet> features) {
    features.forEach(feature -> feature.mountFilters(root));
    Router api = Router.router(vertx);
    for (RouteSet feature : features) {
      feature.mountApi(api);
      feature.mountPages(root);
    }
    root.route(apiMount + "/*").subRouter(api);
  }
}
