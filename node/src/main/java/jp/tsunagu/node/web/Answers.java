package jp.tsunagu.node.web;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.web.idempotency.KeyedRequest;

/**
 * How a create route answers: the JSON it sends is kept first for retries of the request's
 * {@code Idempotency-Key} (see {@link jp.tsunagu.node.web.idempotency.IdempotencyKeys}), so a
 * client that never got it gets the same answer when it sends again. Without a key it is just the
 * response.
 */
public final class Answers {

  static final String JSON = "application/json";

  private Answers() {}

  /** 201 with what was created. */
  public static void created(RoutingContext ctx, JsonObject body) {
    send(ctx, 201, JSON, body.encode(), true);
  }

  /**
   * 201 with an answer that may be shown only once (initial credentials, certificate retrieval
   * numbers): it is not kept, and a retry with the request's key learns only that the create was done.
   */
  public static void createdOnce(RoutingContext ctx, JsonObject body) {
    send(ctx, 201, JSON, body.encode(), false);
  }

  /** Any other answer of a create route (e.g. 200 with a report of what was made). */
  public static void json(RoutingContext ctx, int status, JsonObject body) {
    send(ctx, status, JSON, body.encode(), true);
  }

  static void send(RoutingContext ctx, int status, String contentType, String body, boolean showAgain) {
    Future<Void> kept = KeyedRequest.of(ctx).map(keyed -> keyed.keep(status, contentType, body, showAgain))
        .orElse(Future.succeededFuture());
    kept.onComplete(ignored -> {
      if (!ctx.response().ended() && !ctx.response().closed()) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", contentType).end(body);
      }
    });
  }
}
