package jp.tsunagu.node.web;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import jp.tsunagu.node.web.idempotency.KeyedRequest;

/**
 * How a create route answers: the JSON it sends is kept first for retries of the request's
 * {@code Idempotency-Key} (see {@link jp.tsunagu.node.web.idempotency.IdempotencyKeys}), so a
 * client that never got it gets the same answer when it sends again. Without a key it is just the
 * response. A route whose answer is what its write returns says so first ({@link #keepWithCreate}):
 * the answer is then kept in the create's own transaction, so no crash or failover after the commit
 * can lose it.
 */
public final class Answers {

  static final String JSON = "application/json";

  private Answers() {}

  /**
   * Called before the create's write, whose returned JSON object is the 201 answer the route then
   * sends unchanged: that answer is kept with the create, in its transaction.
   */
  public static void keepWithCreate(RoutingContext ctx) {
    keepWithCreate(ctx, 201, JsonObject.class, json -> json);
  }

  /**
   * Called before the create's write: the route answers {@code status} with {@code answer} applied to
   * what the write returns, and that answer is made inside the write and kept with the create, in its
   * transaction ({@code answer} giving null for a value the route answers otherwise keeps nothing with
   * it). Returns {@code answer}, for the route to make the answer it sends with the same code.
   */
  public static <T> Function<T, JsonObject> keepWithCreate(RoutingContext ctx, int status, Class<T> written,
      Function<T, JsonObject> answer) {
    KeyedRequest.of(ctx).ifPresent(keyed -> keyed.answerFromWrite(status, JSON, written, value -> {
      JsonObject made = answer.apply(value);
      return made == null ? null : made.encode();
    }));
    return answer;
  }

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
