package jp.tsunagu.node.web;

import io.vertx.core.json.JsonObject;
import jp.tsunagu.node.errors.CodedException;

/**
 * The check of a JSON request body against the schema its listener's API document states for the route
 * (see {@code web.openapi}). A listener puts its check on each request under {@link #KEY};
 * {@link JsonBodies} runs it after the strict reader and the text policy, where the route reads its
 * body, so authentication and the route's guards still answer first.
 */
public interface BodySchema {

  /** The request context key under which a listener puts its check. */
  String KEY = BodySchema.class.getName();

  /**
   * Refuses (with an {@link CodedException}) a body that is not the structure the document states for
   * the route ({@code POST /api/v1/patients/:boardId/posts}); a route the document gives no JSON
   * schema passes.
   */
  void check(String method, String routePath, JsonObject body);
}
