package jp.tsunagu.node.teamsync;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The signer's record of this node's writes whose origin signatures were handed over to be sent from memory
 * and not stored (see {@link EventSigner#onSignedWrites}): the apply of each countersigned event stores the
 * signature with the write's settlement. Kept so that the signer neither signs them again nor hands them
 * over twice, and stores those no apply took in time, or that are to go from the outbox after all.
 */
final class DeferredWrites {

  /** How long a handed-over write waits for its apply before the signer stores its signature itself. */
  static final long WAIT_MILLIS = 2_000;
  /**
   * At most this many at once (more are stored at once as before), well under a signer's page, so that the
   * oldest unsigned writes the signer reads, these among them, always leave room for newer ones.
   */
  static final int MAX = 64;

  private record Deferred(String envelope, long since, boolean due) {}

  private final Map<String, Deferred> writes = new LinkedHashMap<>();
  private final AtomicBoolean timerSet = new AtomicBoolean();

  /** Keeps a write handed over unstored; false when full (then it is stored as before). */
  synchronized boolean add(String eventId, String envelope, long nanoTime) {
    if (writes.size() >= MAX) {
      return false;
    }
    writes.put(eventId, new Deferred(envelope, nanoTime, false));
    return true;
  }

  /** The envelope of a write handed over and not stored, or null. */
  synchronized String envelope(String eventId) {
    Deferred deferred = writes.get(eventId);
    return deferred == null ? null : deferred.envelope();
  }

  /** Whether the signer is to store it now: it waited its time, or the listener gave it back. */
  synchronized boolean due(String eventId, long nanoTime) {
    Deferred deferred = writes.get(eventId);
    return deferred == null || deferred.due()
        || nanoTime - deferred.since() >= TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
  }

  /** Every write kept is to be stored now; answers whether there was any. */
  synchronized boolean allDue() {
    writes.replaceAll((id, deferred) -> new Deferred(deferred.envelope(), deferred.since(), true));
    return !writes.isEmpty();
  }

  /** Its signature stored (by the signer). */
  synchronized void stored(String eventId) {
    writes.remove(eventId);
  }

  /**
   * Forgets the writes no longer unsigned (an apply stored them, or the board was dropped): those not among
   * the oldest unsigned writes just read, when that read was the whole of them.
   */
  synchronized void keepOnly(List<OutboxSql.UnsignedWrite> read, boolean whole) {
    if (!whole || writes.isEmpty()) {
      return;
    }
    Set<String> unsigned = new HashSet<>();
    read.forEach(write -> unsigned.add(write.eventId()));
    writes.keySet().retainAll(unsigned);
  }

  /** Wakes the signer once the writes kept now have waited their time (one timer at a time). */
  void wakeWhenDue(Runnable wake) {
    if (timerSet.compareAndSet(false, true)) {
      CompletableFuture.delayedExecutor(WAIT_MILLIS + 10, TimeUnit.MILLISECONDS).execute(() -> {
        timerSet.set(false);
        boolean left;
        synchronized (this) {
          left = !writes.isEmpty();
        }
        if (left) {
          wake.run();
          wakeWhenDue(wake);
        }
      });
    }
  }

  synchronized void clear() {
    writes.clear();
  }

  /** For tests: how many are kept unstored. */
  synchronized int size() {
    return writes.size();
  }
}
