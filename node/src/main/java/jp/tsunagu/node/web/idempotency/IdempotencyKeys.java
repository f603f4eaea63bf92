package jp.tsunagu.node.web.idempotency;

import io.vertx.core.Future;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import jp.tsunagu.node.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Idempotency-Key} on the web API's create routes (draft-ietf-httpapi-idempotency-key-header).
 * A create with a new key records the key in the create's own transaction
 * ({@link Database#joinNextWrite}), so after a crash the key and what it created are there together
 * or not at all; the answer is written with it when the route said how it is made from what its
 * write returns ({@link KeyedRequest#answerFromWrite}), else kept beside it before the client gets
 * it. A retry with the same key by the same caller ({@link KeyScope}) gets that first answer with {@code Idempotent-Replayed: true}
 * and creates nothing; the same key with another request gets 422 {@code idempotency.key_reused}, a
 * retry while the first attempt runs 409 {@code idempotency.in_progress}, and a retry of a create
 * whose answer is not there to repeat 409 {@code idempotency.completed}. On a clustered node a retry
 * is shown either only once the create is confirmed by followers, as any write's answer is (a create
 * first answered {@code storage.outcome_unknown} may be held by the leader alone). Keys are kept for
 * a day. One per node.
 */
public final class IdempotencyKeys {

  /** How long a key is honoured and kept. */
  public static final Duration KEPT = Duration.ofHours(24);
  static final String REPLAYED = "Idempotent-Replayed";
  /** Route metadata of a guarded route, for the check that the API document lists exactly those. */
  private static final String GUARDED = "tsunagu.idempotency";
  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyKeys.class);

  private record Running(String fingerprint, Instant since) {}

  private final Database database;
  private final Clock clock;
  /** Keys whose first attempt is being carried out in this node, by scope and key. */
  private final Map<String, Running> running = new ConcurrentHashMap<>();

  public IdempotencyKeys(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /**
   * Puts the key check on a create route, after its role and CSRF guards (so that a replay is only
   * ever shown to a caller the route still lets in) and before its handler.
   */
  public Route guard(Route route) {
    return route.putMetadata(GUARDED, Boolean.TRUE).handler(this::check);
  }

  /** Whether a mounted route honours {@code Idempotency-Key}. */
  public static boolean guards(Route route) {
    return Boolean.TRUE.equals(route.getMetadata(GUARDED));
  }

  private void check(RoutingContext ctx) {
    Optional<IdempotencyKey> key = IdempotencyKey.of(ctx.request());
    Optional<String> scope = KeyScope.of(ctx);
    if (key.isEmpty() || scope.isEmpty()) {
      ctx.next();
      return;
    }
    KeyedRequest request = new KeyedRequest(this, scope.get(), key.get().value(), Fingerprint.of(ctx));
    Running earlier = running.putIfAbsent(slot(request), new Running(request.fingerprint(), clock.instant()));
    if (earlier != null) {
      ctx.fail(earlier.fingerprint().equals(request.fingerprint()) ? IdempotencyErrors.inProgress()
          : IdempotencyErrors.reused());
      return;
    }
    long keptSince = keptSince(clock.instant());
    database.read(c -> IdempotencySql.find(c, request.scope(), request.key(), keptSince)).onComplete(found -> {
      if (found.failed()) {
        request.release();
        ctx.fail(found.cause());
      } else if (found.result().isEmpty()) {
        carryOut(ctx, request);
      } else {
        request.release();
        answerRetry(ctx, request, found.result().get());
      }
    });
  }

  /** The first attempt: the key row joins the create's write, and the route goes on. */
  private void carryOut(RoutingContext ctx, KeyedRequest request) {
    request.attachTo(ctx);
    long now = clock.millis();
    long keptSince = keptSince(Instant.ofEpochMilli(now));
    database.joinNextWrite((c, written) -> IdempotencySql.insert(c, request.scope(), request.key(),
        request.fingerprint(), now, keptSince, request.answerToWrite(written)), request::committed);
    // A client that gave up has not ended the attempt: its key stays taken until the route answers.
    ctx.addEndHandler(done -> {
      if (done.succeeded()) {
        request.release();
      }
    });
    ctx.next();
  }

  private void answerRetry(RoutingContext ctx, KeyedRequest request, StoredKey stored) {
    if (!stored.fingerprint().equals(request.fingerprint())) {
      ctx.fail(IdempotencyErrors.reused());
      return;
    }
    // Whatever a retry is shown says the create happened, so it is shown only once the create is as
    // lasting as any write answered: a clustered node's leader may hold the key committed and not yet
    // confirmed by its followers (the first attempt was answered storage.outcome_unknown), and a leader
    // that died after a replay would take the create with it. A write after the key's, of the key's row,
    // is answered only once followers confirm it, and they apply batches in order: it confirms the
    // create as well, or fails as the create did, and the client retries again. One commit a replay,
    // and none on a single instance, where the key was durable once committed.
    Future<Void> confirmed = database.acknowledgesWrites()
        ? database.writeAside(c -> IdempotencySql.confirm(c, request.scope(), request.key()))
        : Future.succeededFuture();
    confirmed.onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
      } else {
        replay(ctx, stored);
      }
    });
  }

  private static void replay(RoutingContext ctx, StoredKey stored) {
    if (stored.answer().isEmpty() || !stored.answerKept()) {
      ctx.fail(IdempotencyErrors.completed());
    } else {
      StoredKey.Answer answer = stored.answer().get();
      ctx.response().setStatusCode(answer.status()).putHeader(REPLAYED, "true");
      if (answer.contentType() != null) {
        ctx.response().putHeader("Content-Type", answer.contentType());
      }
      ctx.response().end(answer.body() == null ? "" : answer.body());
    }
  }

  Future<Void> keepAnswer(KeyedRequest request, StoredKey.Answer answer, boolean showAgain) {
    return database.writeAside(c -> {
      IdempotencySql.answer(c, request.scope(), request.key(), answer, showAgain);
      return (Void) null;
    }).onFailure(e -> LOG.warn("the answer of a create could not be kept for its retries; they get {}",
        "idempotency.completed", e));
  }

  void release(KeyedRequest request) {
    running.remove(slot(request));
  }

  /**
   * Removes the keys older than {@link #KEPT} at {@code now}, and forgets attempts this node has
   * been carrying out for longer than that (a route that never answered); returns how many keys went.
   */
  public Future<Integer> prune(Instant now) {
    Instant keptSince = now.minus(KEPT);
    running.values().removeIf(attempt -> attempt.since().isBefore(keptSince));
    return database.writeAside(c -> IdempotencySql.prune(c, keptSince.toEpochMilli()));
  }

  /** {@link #prune} at the node's clock's now. */
  public Future<Integer> prune() {
    return prune(clock.instant());
  }

  private static long keptSince(Instant now) {
    return now.minus(KEPT).toEpochMilli();
  }

  private static String slot(KeyedRequest request) {
    return request.scope() + '\n' + request.key();
  }
}
