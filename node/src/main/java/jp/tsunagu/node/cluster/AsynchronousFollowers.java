package jp.tsunagu.node.cluster;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The leader's batches for the followers that no write waits for. A write is answered once
 * {@code syncReplicas} followers applied it, so only that many need each batch at once: the most
 * advanced ones, as their answers last told ({@link #atOnce}). The others get the batches committed
 * meanwhile together, every {@link #DELAY_MILLIS}, and so commit them together: one message, one
 * transaction and one {@code fsync} where they had one of each for every batch or two. Their work
 * (CPU and disk, which instances share on one machine) is taken off the path a write waits on, and
 * they stay at most that delay behind (plus their commit), far inside {@code cluster.maxReadyLag}.
 *
 * <p>Safety does not depend on which followers are waited for: a write is answered only once
 * {@code syncReplicas} followers, whichever, confirmed its batch, and the one elected after a leader
 * dies is the most advanced. When a follower waited for stops answering (killed, paused), the others
 * pass it within one delay and are then sent each batch at once in its place. On the leader's event
 * loop only.
 */
final class AsynchronousFollowers {

  /**
   * How long the batches for a follower no write waits for are held before they go together: short
   * beside a person's read on that instance (read-your-writes waits for the session's last write) and
   * a live update's way there, long beside a commit (several batches a message).
   */
  static final long DELAY_MILLIS = 20;

  private final Vertx vertx;
  private final int syncReplicas;
  private final long delayMillis;
  private final BiConsumer<String, List<ReplicationBatch>> send;
  /** The batches held for each follower, in commit order. */
  private final Map<String, List<ReplicationBatch>> held = new LinkedHashMap<>();
  private boolean timerSet;

  /**
   * {@code delayMillis}: how long batches are held ({@link #DELAY_MILLIS} but in tests); {@code send}: sends
   * a follower its batches, in order (in messages of at most {@link ReplicationLink#MAX_PER_MESSAGE}).
   */
  AsynchronousFollowers(Vertx vertx, int syncReplicas, long delayMillis,
      BiConsumer<String, List<ReplicationBatch>> send) {
    this.vertx = vertx;
    this.syncReplicas = syncReplicas;
    this.delayMillis = delayMillis;
    this.send = send;
  }

  /**
   * The followers sent each batch as it is committed: every one when no more than {@code syncReplicas}
   * are present (or none is waited for: all are then kept as close as they can be), otherwise the
   * {@code syncReplicas} that applied the most, ties going to the first by name so the choice stays put.
   */
  List<String> atOnce(List<String> followers, Map<String, Long> applied) {
    if (syncReplicas == 0 || followers.size() <= syncReplicas) {
      return followers;
    }
    return followers.stream()
        .sorted(Comparator.<String>comparingLong(follower -> applied.getOrDefault(follower, -1L)).reversed()
            .thenComparing(Comparator.naturalOrder()))
        .limit(syncReplicas)
        .toList();
  }

  /** Holds {@code batches} for {@code follower} until the next send of held batches. */
  void hold(String follower, List<ReplicationBatch> batches) {
    held.computeIfAbsent(follower, f -> new ArrayList<>()).addAll(batches);
    if (!timerSet) {
      timerSet = true;
      vertx.setTimer(delayMillis, t -> sendHeld());
    }
  }

  /**
   * The batches held for a follower that is now sent each batch at once: they go before the new ones,
   * so it receives them in order. Empty when none are held.
   */
  List<ReplicationBatch> release(String follower) {
    List<ReplicationBatch> batches = held.remove(follower);
    return batches == null ? List.of() : batches;
  }

  /** Drops the batches held from {@code fromBatch} on: their leader did not commit them (see {@link LeaderCommits}). */
  void drop(long fromBatch) {
    held.values().forEach(batches -> batches.removeIf(batch -> batch.batchId() >= fromBatch));
    held.values().removeIf(List::isEmpty);
  }

  private void sendHeld() {
    timerSet = false;
    List<Map.Entry<String, List<ReplicationBatch>>> due = new ArrayList<>(held.entrySet());
    held.clear();
    due.forEach(entry -> send.accept(entry.getKey(), entry.getValue()));
  }
}
