package jp.tsunagu.node.web.idempotency;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * A create carrying a new {@code Idempotency-Key}, from its guard to its answer: whether its key
 * row has committed with the create, and the way its answer is kept for retries. Lives on the
 * request's routing context and is used on its event loop only.
 */
public final class KeyedRequest {

  private static final String KEY = KeyedRequest.class.getName();

  private final IdempotencyKeys keys;
  private final String scope;
  private final String key;
  private final String fingerprint;
  private boolean committed;
  private boolean released;
  /** The answer the create wrote with its own transaction ({@link #keepWithCreate}), if it did. */
  private volatile StoredKey.Answer keptWithCreate;

  KeyedRequest(IdempotencyKeys keys, String scope, String key, String fingerprint) {
    this.keys = keys;
    this.scope = scope;
    this.key = key;
    this.fingerprint = fingerprint;
  }

  /** The keyed create a request is, if it is one. */
  public static Optional<KeyedRequest> of(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(KEY));
  }

  void attachTo(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  String scope() {
    return scope;
  }

  String key() {
    return key;
  }

  String fingerprint() {
    return fingerprint;
  }

  /**
   * Keeps the create's answer for retries in the create's own transaction: called inside the work of
   * the write the key joins (on the writer, before the key row is written after it), so the answer is
   * written with the key row and needs no write of its own once the create has committed, which the
   * client would wait for (one commit, one {@code fsync}, fewer). Whatever the route then answers is
   * sent as it is and not kept again; so a route keeps here what a retry may be shown later, which
   * can be less than its first answer.
   */
  public void keepWithCreate(int status, String contentType, String body) {
    keptWithCreate = new StoredKey.Answer(status, contentType, body);
  }

  /** The answer to write with the key row, or null when the create keeps its answer afterwards. */
  StoredKey.Answer keptWithCreate() {
    return keptWithCreate;
  }

  /** The write that took the key row has committed: from now on the create has happened. */
  void committed() {
    committed = true;
  }

  /**
   * Keeps the answer for retries when the create has committed (an answer before that, such as a
   * refusal, is not kept: nothing happened, and a retry is carried out afresh), then lets a retry in.
   * {@code showAgain} false keeps only that it was answered, for an answer that may be shown once.
   */
  public Future<Void> keep(int status, String contentType, String body, boolean showAgain) {
    Future<Void> kept = committed && keptWithCreate == null
        ? keys.keepAnswer(this, new StoredKey.Answer(status, contentType, body), showAgain)
        : Future.succeededFuture();
    return kept.andThen(done -> release());
  }

  /** Lets a retry with this key be carried out (or answered from the stored row). */
  void release() {
    if (!released) {
      released = true;
      keys.release(this);
    }
  }
}
