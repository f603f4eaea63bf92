package jp.tsunagu.node.web;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The JSON object a form-like request carries, read once in one way for every feature. */
public final class JsonBodies {

  private JsonBodies() {}

  /**
   * The request body as a JSON object. An absent body, malformed JSON and JSON that is not an
   * object all get the same answer: 400 {@code validation.malformed}.
   */
  public static JsonObject required(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body() == null ? null : ctx.body().asJsonObject();
      if (body != null) {
        return body;
      }
    } catch (DecodeException | ClassCastException e) {
      // same answer as an empty body
    }
    throw ApiException.badRequest("validation.malformed", "送信内容を読み取れません。");
  }
}
