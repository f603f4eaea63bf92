package jp.tsunagu.node.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The JSON object a form-like request carries, read once in one way for every feature: by the
 * strict reader ({@link StrictJson}), then checked against the text policy of the route's fields
 * ({@link TextPolicy}, {@link TextInventory}), then against the schema of the listener's API document
 * ({@link BodySchema}).
 */
public final class JsonBodies {

  private static final String CHECKED = JsonBodies.class.getName();

  private JsonBodies() {}

  /**
   * The request body as a JSON object with its text normalised. An absent body, malformed JSON
   * (invalid UTF-8, duplicate keys, comments, NaN) and JSON that is not an object all get the same
   * answer: 400 {@code validation.malformed}; text the policy refuses gets its own stable code.
   */
  public static JsonObject required(RoutingContext ctx) {
    JsonObject checked = ctx.get(CHECKED);
    if (checked != null) {
      return checked;
    }
    JsonObject body = StrictJson.object(ctx.body() == null ? null : ctx.body().buffer());
    TextPolicy.apply(body, TextInventory.route(ctx.request().method().name(), routePath(ctx)));
    BodySchema schema = ctx.get(BodySchema.KEY);
    if (schema != null) {
      schema.check(ctx.request().method().name(), routePath(ctx), body);
    }
    ctx.put(CHECKED, body);
    return body;
  }

  /** The path pattern of the current route as mounted ({@code /api/v1/patients/:boardId}). */
  static String routePath(RoutingContext ctx) {
    String mount = ctx.mountPoint() == null ? "" : ctx.mountPoint();
    String path = ctx.currentRoute() == null || ctx.currentRoute().getPath() == null ? ""
        : ctx.currentRoute().getPath();
    String full = mount.endsWith("/") && path.startsWith("/") ? mount + path.substring(1) : mount + path;
    return full.length() > 1 && full.endsWith("/") ? full.substring(0, full.length() - 1) : full;
  }
}
