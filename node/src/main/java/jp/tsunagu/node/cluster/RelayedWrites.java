package jp.tsunagu.node.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.storage.LeaderRelay;
import jp.tsunagu.node.storage.StorageException;

/**
 * The records a follower writes beside a read (an audit record of a read of patient data, a session's
 * idle touch), sent to the leader as data over the clustered event bus (mutual TLS), so that the read
 * itself is answered by the follower from its own database instead of travelling whole to the leader.
 *
 * <p><b>Why data and not the whole request:</b> such a record is a fixed shape (an audit event, a
 * session and a time), so sending it is a few hundred bytes and a single insert on the leader, while
 * forwarding the read cost the leader the read itself and sent the answer back over the bus. The
 * record stays the leader's to write: it is appended to the one audit chain by the one writer, gets the
 * leader's time in chain order, and comes back to every instance by replication like any row.
 *
 * <p><b>No unaudited disclosure:</b> the future of {@link #send} completes only when the leader
 * answers, and the leader answers only once its write is committed and acknowledged by its
 * synchronous replicas, as every write of its. Until then the read waits; when no leader takes the
 * record (none elected, or it does not answer in time) the read fails 503 {@code cluster.no_leader}
 * and discloses nothing.
 *
 * <p><b>Batched per follower:</b> one message is on its way at a time; what is asked meanwhile waits
 * and goes in the next message, which the leader writes in one transaction. When idle a record goes
 * at once (no added delay), under load a follower costs the leader one transaction per round trip
 * instead of one per read. Writes given with the same coalescing key (a session's touch) that are
 * still waiting become one.
 */
public final class RelayedWrites implements LeaderRelay {

  /** Longer than the leader takes to have a write replicated ({@link ReplicationLink#ACK_TIMEOUT_MILLIS}). */
  static final long TIMEOUT_MILLIS = ReplicationLink.ACK_TIMEOUT_MILLIS + 5_000;
  /** The most writes one message carries; more wait for the next. */
  static final int MAX_BATCH = 500;

  private final Vertx vertx;
  private final Database database;
  private final String address;
  private final BooleanSupplier leads;
  /** Waiting to be sent, in order; a coalescing key or a key of its own. Guarded by itself. */
  private final LinkedHashMap<Object, Pending> queued = new LinkedHashMap<>();
  private boolean sending;
  private MessageConsumer<JsonObject> consumer;

  private static final class Pending {
    final String kind;
    JsonObject data;
    final List<CompletableFuture<Void>> waiting = new ArrayList<>(1);

    Pending(String kind, JsonObject data) {
      this.kind = kind;
      this.data = data;
    }
  }

  RelayedWrites(Vertx vertx, Database database, String clusterName, BooleanSupplier leads) {
    this.vertx = vertx;
    this.database = database;
    this.address = address(clusterName);
    this.leads = leads;
  }

  /** The address the leader listens on (only the leader does). */
  static String address(String clusterName) {
    return "tsunagu.cluster." + clusterName + ".relayed";
  }

  @Override
  public boolean relays() {
    return !leads.getAsBoolean();
  }

  @Override
  public Future<Void> send(String kind, String coalesce, JsonObject data) {
    Context caller = Vertx.currentContext();
    CompletableFuture<Void> done = new CompletableFuture<>();
    boolean start;
    synchronized (queued) {
      Object key = coalesce == null ? new Object() : kind + "\u0000" + coalesce;
      Pending pending = queued.get(key);
      if (pending == null) {
        pending = new Pending(kind, data);
        queued.put(key, pending);
      } else {
        pending.data = data;
      }
      pending.waiting.add(done);
      start = !sending;
      sending = true;
    }
    if (start) {
      sendNext();
    }
    return caller == null ? Future.fromCompletionStage(done) : Future.fromCompletionStage(done, caller);
  }

  /** Sends what waits, if anything; the answer sends the next. */
  private void sendNext() {
    List<Pending> batch = new ArrayList<>();
    synchronized (queued) {
      Iterator<Pending> next = queued.values().iterator();
      while (next.hasNext() && batch.size() < MAX_BATCH) {
        batch.add(next.next());
        next.remove();
      }
      if (batch.isEmpty()) {
        sending = false;
        return;
      }
    }
    JsonArray writes = new JsonArray();
    batch.forEach(p -> writes.add(new JsonObject().put("kind", p.kind).put("data", p.data)));
    vertx.eventBus().<JsonObject>request(address, new JsonObject().put("writes", writes),
            new DeliveryOptions().setSendTimeout(TIMEOUT_MILLIS))
        .onComplete(answer -> {
          RuntimeException failure = answer.succeeded() ? null : refusal(answer.cause());
          for (Pending pending : batch) {
            for (CompletableFuture<Void> waiting : pending.waiting) {
              if (failure == null) {
                waiting.complete(null);
              } else {
                waiting.completeExceptionally(failure);
              }
            }
          }
          sendNext();
        });
  }

  /**
   * Why the leader did not take the records: none to take them, or none answering in time, is
   * {@code cluster.no_leader}; the leader's own refusal keeps its code.
   */
  static RuntimeException refusal(Throwable e) {
    if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      String code = reply.getMessage() == null ? "" : reply.getMessage();
      if (code.equals("cluster.leader_changed")) {
        return new ClusterUnavailable(code,
            "処理中に書き込みを受け付けるサーバーが替わりました。もう一度お試しください。");
      }
      if (code.startsWith("storage.")) {
        return new StorageException(code, "the leader could not write relayed records: " + code, null);
      }
    }
    return new ClusterUnavailable("cluster.no_leader",
        "書き込みを受け付けるサーバーが決まっていません。少し待って再度お試しください。");
  }

  /** This instance leads: followers' records come here from now on. */
  synchronized void lead() {
    if (consumer == null) {
      consumer = vertx.eventBus().consumer(address, this::onRelayed);
    }
  }

  /** This instance no longer leads. */
  synchronized void follow() {
    if (consumer != null) {
      consumer.unregister();
      consumer = null;
    }
  }

  private void onRelayed(Message<JsonObject> message) {
    if (!leads.getAsBoolean()) {
      message.fail(503, "cluster.leader_changed");
      return;
    }
    List<Map.Entry<String, JsonObject>> writes = new ArrayList<>();
    JsonArray sent = message.body().getJsonArray("writes", new JsonArray());
    for (int i = 0; i < sent.size(); i++) {
      JsonObject write = sent.getJsonObject(i);
      writes.add(new AbstractMap.SimpleImmutableEntry<>(write.getString("kind"), write.getJsonObject("data")));
    }
    database.writeRelayed(writes).onSuccess(v -> message.reply(new JsonObject().put("written", writes.size())))
        .onFailure(e -> message.fail(503, leadersCode(e)));
  }

  /** A write refused because this instance lost the lock meanwhile is the follower's leader change. */
  private static String leadersCode(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof CodedException coded) {
        return coded.code().equals("cluster.not_leader") || coded.code().startsWith("cluster.")
            ? "cluster.leader_changed" : coded.code();
      }
    }
    return "storage.write_failed";
  }
}
