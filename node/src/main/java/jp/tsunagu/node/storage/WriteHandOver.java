package jp.tsunagu.node.storage;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The writes on their way from their callers (the event loops, any thread) to the one writer thread,
 * without a lock. A {@code LinkedBlockingQueue} takes its put lock for every write and, whenever the
 * writer had just emptied it, its take lock as well, the one the writer holds while it drains: an event
 * loop that met the writer there was parked and woken again, and with several event loops writing at once
 * they queued for the put lock among themselves. Here a write is one compare-and-set on the queue, and the
 * writer thread is woken ({@code unpark}) only when it is parked for want of writes, which it says before
 * it parks and checks the queue once more after (so a write added meanwhile is never left waiting).
 * Several threads may add; only the writer thread takes.
 */
final class WriteHandOver<T> {

  private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
  /** The writer thread while it is parked (or about to park) for want of writes, else null. */
  private volatile Thread parked;

  /** Adds {@code item} and wakes the writer if it waits for one. */
  void add(T item) {
    queue.offer(item);
    Thread waiting = parked;
    if (waiting != null) {
      LockSupport.unpark(waiting);
    }
  }

  T poll() {
    return queue.poll();
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Removes {@code item} if no one took it yet; answers whether this call removed it. */
  boolean remove(T item) {
    return queue.remove(item);
  }

  /** What is queued now, for a look only (weakly consistent). */
  Iterable<T> queued() {
    return queue;
  }

  /** Moves up to {@code max} queued items to {@code into}, in order; answers how many. */
  int drainTo(List<? super T> into, int max) {
    int moved = 0;
    T next;
    while (moved < max && (next = queue.poll()) != null) {
      into.add(next);
      moved++;
    }
    return moved;
  }

  /** The next item, waiting as long as it takes. */
  T take() throws InterruptedException {
    T next;
    while ((next = pollOrPark(Long.MAX_VALUE)) == null) {
      // woken without an item (a spurious wake-up): look again
    }
    return next;
  }

  /** The next item, waiting for up to {@code timeout}; null if none came. */
  T poll(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    T next;
    while ((next = pollOrPark(deadline - System.nanoTime())) == null) {
      if (deadline - System.nanoTime() <= 0) {
        return null;
      }
    }
    return next;
  }

  /** Takes an item, or parks once (for at most {@code nanos}) and takes one if it came; null if none did. */
  private T pollOrPark(long nanos) throws InterruptedException {
    T next = queue.poll();
    if (next != null || nanos <= 0) {
      return next;
    }
    parked = Thread.currentThread();
    try {
      // looked at again after saying so: an adder that came before it read no waiter, and its item is here
      next = queue.poll();
      if (next != null) {
        return next;
      }
      if (nanos == Long.MAX_VALUE) {
        LockSupport.park(this);
      } else {
        LockSupport.parkNanos(this, nanos);
      }
    } finally {
      parked = null;
    }
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    return queue.poll();
  }
}
