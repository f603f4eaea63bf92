package jp.tsunagu.node.web;

import io.vertx.ext.web.Router;

/**
 * A feature's routes (identity, care, resources, …). Each web verticle instance builds its own
 * routers and asks every feature to add its routes, so handlers stay on their event loop.
 */
public interface Feature {

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
}
