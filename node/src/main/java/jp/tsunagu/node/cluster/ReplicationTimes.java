package jp.tsunagu.node.cluster;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;
import jp.tsunagu.node.storage.Database;

/**
 * Where a replicated write's time goes, as running totals since the instance started: on the leader,
 * the batches shipped and how long their writes' answers were held until enough followers had
 * applied them; on a follower, the batches received and how long each took from its arrival to the
 * answer (waiting for the batches before it, applying, committing); on both, the database's
 * transactions and writes. What is left of the leader's hold beyond the follower's time was spent on
 * the event bus (TLS, both ways). The writer's time in transactions and in their commit statement
 * (the WAL's {@code fsync} included) tells how much of it the database took. Shown in the {@code cluster} check of {@code /health/ready}, so the
 * operator and the benchmark can tell which part a slow write waits for; counts only, no data.
 */
final class ReplicationTimes {

  private final LongAdder shipped = new LongAdder();
  private final LongAdder heldNanos = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder receivedNanos = new LongAdder();

  void held(long nanos) {
    shipped.increment();
    heldNanos.add(nanos);
  }

  void received(long nanos) {
    received.increment();
    receivedNanos.add(nanos);
  }

  /** The totals, with the database's transactions and writes beside them. */
  JsonObject toJson(Database database) {
    return new JsonObject().put("shipped", shipped.sum()).put("heldMicros", heldNanos.sum() / 1_000)
        .put("received", received.sum()).put("receivedMicros", receivedNanos.sum() / 1_000)
        .put("commits", database.workCounts().commits()).put("writes", database.workCounts().writes())
        .put("transactionMicros", database.writerTimes().transactionNanos() / 1_000)
        .put("commitMicros", database.writerTimes().commitNanos() / 1_000);
  }
}
