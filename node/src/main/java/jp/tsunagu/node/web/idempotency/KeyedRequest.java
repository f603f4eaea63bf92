package jp.tsunagu.node.web.idempotency;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A create carrying a new {@code Idempotency-Key}, from its guard to its answer: whether its key
 * row has committed with the create, and the way its answer is kept for retries. Lives on the
 * request's routing context and is used on its event loop only.
 */
public final class KeyedRequest {

  private static final String KEY = KeyedRequest.class.getName();
  private static final Logger LOG = LoggerFactory.getLogger(KeyedRequest.class);

  private final IdempotencyKeys keys;
  private final String scope;
  private final String key;
  private final String fingerprint;
  private boolean committed;
  private boolean released;
  /** The answer the create wrote with its own transaction ({@link #keepWithCreate}), if it did. */
  private volatile StoredKey.Answer keptWithCreate;
  /** How the route makes its answer from what its write returns ({@link #answerFromWrite}), if it said. */
  private volatile Function<Object, StoredKey.Answer> fromWrite;
  /** The answer {@link #fromWrite} made in the write that committed with the key row. */
  private volatile StoredKey.Answer madeFromWrite;

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

  /**
   * Declares, before the create's write, how the route's answer is made from what that write returns:
   * the answer is then made inside the write and kept with the key row, so it is durable (and, in a
   * cluster, replicated) with the create itself and a retry after any crash or failover is shown it.
   * A write that returns something else, or whose value {@code body} makes no answer of (null: the
   * route answers it otherwise), keeps nothing with it, and the answer is kept afterwards.
   */
  public <T> void answerFromWrite(int status, String contentType, Class<T> written, Function<? super T, String> body) {
    fromWrite = value -> {
      String made = written.isInstance(value) ? body.apply(written.cast(value)) : null;
      return made == null ? null : new StoredKey.Answer(status, contentType, made);
    };
  }

  /**
   * The answer to write with the key row, given what the create's write returned; null when the
   * create keeps its answer afterwards. Runs on the writer, inside the create's transaction, again
   * whenever the write is run again.
   */
  StoredKey.Answer answerToWrite(Object written) {
    Function<Object, StoredKey.Answer> made = fromWrite;
    madeFromWrite = made == null ? null : made.apply(written);
    return keptWithCreate != null ? keptWithCreate : madeFromWrite;
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
    StoredKey.Answer answer = new StoredKey.Answer(status, contentType, body);
    Future<Void> kept = committed && !keptAlready(answer, showAgain)
        ? keys.keepAnswer(this, answer, showAgain)
        : Future.succeededFuture();
    return kept.andThen(done -> release());
  }

  /**
   * Whether the answer is kept already with the create: one the route kept itself, or the very answer
   * made from its write. One made from the write that is not what the route sends (its answer is not
   * made from that write alone) is replaced by what is sent, as before, in a write of its own.
   */
  private boolean keptAlready(StoredKey.Answer sent, boolean showAgain) {
    if (keptWithCreate != null) {
      return true;
    }
    StoredKey.Answer made = madeFromWrite;
    if (made == null) {
      return false;
    }
    boolean same = showAgain && made.equals(sent);
    if (!same) {
      LOG.warn("the answer kept with a create is not the one sent (status {} and {}); the one sent is kept after it",
          made.status(), sent.status());
    }
    return same;
  }

  /** Lets a retry with this key be carried out (or answered from the stored row). */
  void release() {
    if (!released) {
      released = true;
      keys.release(this);
    }
  }
}
