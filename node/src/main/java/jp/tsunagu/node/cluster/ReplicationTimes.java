package jp.tsunagu.node.cluster;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;
import jp.tsunagu.node.storage.Database;

/**
 * Where a replicated write's time goes, as running totals since the instance started: on the leader,
 * the batches shipped and how long their writes' answers were held until enough followers had
 * applied them, and the messages they went in (batches committed together travel in one); on a
 * follower, the batches received, the messages they came in, and how long each took from its arrival to the
 * answer (waiting for the batches before it, applying, committing), and of that how long it waited for
 * the writer and how long its own statements took; on both, the database's
 * transactions and writes. What is left of the leader's hold beyond the follower's time was spent on
 * the event bus (TLS, both ways). The writer's time in transactions and in their commit statement
 * (the WAL's {@code fsync} included), the time open transactions waited for more writes to join them,
 * and the writer thread's CPU in that commit statement, tell how much
 * of it the database took. Shown in the {@code cluster} check of {@code /health/ready}, so the
 * operator and the benchmark can tell which part a slow write waits for; counts only, no data.
 */
final class ReplicationTimes {

  private final LongAdder shipped = new LongAdder();
  private final LongAdder heldNanos = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder receivedNanos = new LongAdder();
  private final LongAdder messagesSent = new LongAdder();
  private final LongAdder messagesReceived = new LongAdder();
  private final LongAdder queuedNanos = new LongAdder();
  private final LongAdder applyNanos = new LongAdder();

  void held(long nanos) {
    shipped.increment();
    heldNanos.add(nanos);
  }

  /** A message of batches went to the followers (one each). */
  void sent() {
    messagesSent.increment();
  }

  /** A message of the leader's arrived (it may carry several batches). */
  void receivedMessage() {
    messagesReceived.increment();
  }

  /**
   * A received batch's work on the writer: how long after its message's arrival the writer began it
   * (waiting behind the transaction the writer was in, and the batches before it), and how long its
   * statements took (its commit, which it may share with the batches after it, not included).
   */
  void applied(long queued, long applying) {
    queuedNanos.add(queued);
    applyNanos.add(applying);
  }

  void received(long nanos) {
    received.increment();
    receivedNanos.add(nanos);
  }

  /** The totals, with the database's transactions and writes beside them. */
  JsonObject toJson(Database database) {
    return new JsonObject().put("shipped", shipped.sum()).put("heldMicros", heldNanos.sum() / 1_000)
        .put("received", received.sum()).put("receivedMicros", receivedNanos.sum() / 1_000)
        .put("messagesSent", messagesSent.sum()).put("messagesReceived", messagesReceived.sum())
        .put("queuedMicros", queuedNanos.sum() / 1_000).put("applyMicros", applyNanos.sum() / 1_000)
        .put("gatherMicros", database.writerTimes().gatherNanos() / 1_000)
        .put("commits", database.workCounts().commits()).put("writes", database.workCounts().writes())
        .put("transactionMicros", database.writerTimes().transactionNanos() / 1_000)
        .put("commitMicros", database.writerTimes().commitNanos() / 1_000)
        .put("commitCpuMicros", database.writerTimes().commitCpuNanos() / 1_000);
  }
}
