package jp.tsunagu.node.web.idempotency;

import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Whose keys a request's {@code Idempotency-Key} is looked up among: the logged-in user's, or, on a
 * public create route, the anonymous browser's (its CSRF cookie). Two callers never see each other's
 * keys or answers. Put on the request by the identity feature before any route runs.
 */
public final class KeyScope {

  private static final String KEY = KeyScope.class.getName();

  private KeyScope() {}

  public static void user(RoutingContext ctx, String userId) {
    ctx.put(KEY, "user:" + userId);
  }

  /** An anonymous client, named by a hash of a secret only it holds. */
  public static void anonymousClient(RoutingContext ctx, String clientSecretHash) {
    ctx.put(KEY, "client:" + clientSecretHash);
  }

  static Optional<String> of(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(KEY));
  }
}
