package jp.tsunagu.node.web;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicReference;
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
  /** Where a keyed create's answer made in its write is left for the route to send (its context's key). */
  private static final String ENCODED = Answers.class.getName() + ".encoded";

  /** An answer made in a keyed create's write: the object the write returned and its text, kept with the key. */
  private record Encoded(JsonObject json, String body) {}

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
    KeyedRequest.of(ctx).ifPresent(keyed -> {
      AtomicReference<Encoded> encoded = new AtomicReference<>();
      ctx.put(ENCODED, encoded);
      keyed.answerFromWrite(status, JSON, written, value -> {
        JsonObject made = answer.apply(value);
        if (made == null) {
          return null;
        }
        String body = made.encode();
        encoded.set(new Encoded(made, body));
        return body;
      });
    });
    return answer;
  }

  /** 201 with what was created. */
  public static void created(RoutingContext ctx, JsonObject body) {
    send(ctx, 201, JSON, body.encode(), true);
  }

  /**
   * 201 with what the create's write returned, by a route that sends that object as the write made it
   * (nothing added or changed after the write): for a keyed create the text made in the write to be kept
   * with its key is sent as it is, not encoded a second time on the event loop.
   */
  public static void createdAsWritten(RoutingContext ctx, JsonObject written) {
    send(ctx, 201, JSON, encoded(ctx, written), true);
  }

  /**
   * The text of {@code json}: the one made in the create's write if that is where this very object was
   * encoded to be kept with its key, else its encoding now.
   */
  static String encoded(RoutingContext ctx, JsonObject json) {
    AtomicReference<Encoded> made = ctx.get(ENCODED);
    Encoded encoded = made == null ? null : made.get();
    return encoded != null && encoded.json() == json ? encoded.body() : json.encode();
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
