package jp.tsunagu.node.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.lock.FencedLock;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contends for the node's one writer: the CP {@link FencedLock} named after the cluster. The lock is
 * owned by a thread, so one thread of its own takes it (waiting as long as another instance holds
 * it), keeps checking it still holds it, and tells the instance when it is elected (with the fence,
 * the token every batch then carries) and when it lost the lock (its CP session ended: it was paused
 * or cut off long enough for another instance to be elected). Fences only grow, so a follower that
 * has seen a batch of the new leader refuses any later batch of the old one.
 */
public final class Leadership implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
  private static final long CHECK_MILLIS = 500;
  /** How soon an instance that may not lead yet asks again: the dead leader's member just left, every 250 ms counts. */
  private static final long WAIT_MILLIS = 250;
  /**
   * How long the last confirmation that this instance holds the lock is trusted for a commit: less
   * than the CP session's length (the lock is lost once the session lapses), more than a check's
   * period and its round trip on a busy machine. A leader paused past its lease (SIGSTOP, a long
   * garbage collection) resumes with its last confirmation older than this and commits nothing until
   * its check has answered: the writes it finds waiting are refused, retryable, instead of committed
   * under a lock another instance may hold by now (fencing would refuse them on every follower, and
   * this instance would be left holding batches nobody else has).
   */
  static final long LEASE_MILLIS = (ClusterOptions.SESSION_SECONDS - 1) * 1_000L;

  /**
   * How long an instance that stepped down waits before it contends again: several times the period at
   * which members publish their positions ({@link Positions}), so a follower that holds the batch this
   * instance failed to commit is seen as more advanced, and elected, before this instance asks again.
   */
  static final long STEP_DOWN_MILLIS = 1_000;

  private final FencedLock lock;
  private final BooleanSupplier mayLead;
  private final LongUnaryOperator elected;
  private final Runnable lost;
  private final Thread thread;
  private volatile long token;
  /** When the lock was last found held by this instance (asked then, answered yes), in nanoTime. */
  private volatile long confirmedNanos;
  private volatile boolean closed;
  /** The token under which this instance was asked to stop leading ({@link #stepDown}); 0: none. */
  private volatile long stepDownToken;

  /**
   * {@code mayLead} says whether this instance may take the lock now: only one that has applied at
   * least as many batches as every other member present, so the new leader holds every batch a
   * write was answered for (each was applied by {@code syncReplicas} followers).
   */
  /**
   * {@code elected} readies the instance to lead once it holds the lock and returns the token its
   * batches carry, from the lock's fence ({@link TokenGenerations}).
   */
  public Leadership(HazelcastInstance hazelcast, String clusterName, BooleanSupplier mayLead,
      LongUnaryOperator elected, Runnable lost) {
    this.lock = CpProxies.once(() -> hazelcast.getCPSubsystem().getLock("tsunagu-writer-" + clusterName));
    this.mayLead = mayLead;
    this.elected = elected;
    this.lost = lost;
    this.thread = new Thread(this::run, "tsunagu-leadership");
    this.thread.setDaemon(true);
  }

  public Leadership start() {
    thread.start();
    return this;
  }

  /** The fence of the lock this instance holds now; 0 when it is not the leader. */
  public long token() {
    return token;
  }

  public boolean isLeader() {
    return token > 0;
  }

  /**
   * The token a commit is made with now: {@link #token()}, refused with {@code cluster.lease_lapsed}
   * (503, nothing committed, a retry is safe) while this instance leads but has not confirmed it holds
   * the lock within {@link #LEASE_MILLIS}.
   */
  public long writingToken() {
    long current = token;
    long unconfirmedMillis = (System.nanoTime() - confirmedNanos) / 1_000_000;
    if (current > 0 && unconfirmedMillis > LEASE_MILLIS) {
      throw new ClusterUnavailable("cluster.lease_lapsed",
          "書き込みを受け付けるサーバーを確認しています。少し待って再度お試しください。");
    }
    return current;
  }

  /**
   * Stops leading under {@code fromToken} (nothing happens if the instance leads under another): the
   * leadership thread gives the lock up at once, the instance follows, and it contends again only after
   * {@link #STEP_DOWN_MILLIS}. Another instance is elected meanwhile if one may lead.
   */
  public void stepDown(long fromToken) {
    if (fromToken > 0 && token == fromToken) {
      stepDownToken = fromToken;
      java.util.concurrent.locks.LockSupport.unpark(thread);
    }
  }

  private boolean askedToStepDown() {
    return stepDownToken != 0 && stepDownToken == token;
  }

  private void run() {
    while (!closed) {
      try {
        if (!mayLead.getAsBoolean()) {
          pause(WAIT_MILLIS);
          continue;
        }
        // Tried for a while only, so that an instance that fell behind meanwhile stops contending.
        long fence = lock.tryLockAndGetFence(CHECK_MILLIS, TimeUnit.MILLISECONDS);
        if (fence == FencedLock.INVALID_FENCE) {
          continue;
        }
        if (closed) {
          lock.unlock();
          return;
        }
        // Ready first (the writer's values read again, the followers reached), then open for writes;
        // the check just below confirms the lock again at once.
        long readied = elected.applyAsLong(fence);
        confirmedNanos = System.nanoTime();
        token = readied;
        LOG.info("elected the node's writer with fencing token {} (fence {})", token, fence);
        while (!closed && !askedToStepDown() && confirmed()) {
          // Woken early by stepDown; a spurious wake-up only checks the lock sooner.
          java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(CHECK_MILLIS));
          if (Thread.interrupted()) {
            throw new InterruptedException();
          }
        }
        if (closed) {
          release();
          return;
        }
        if (askedToStepDown()) {
          stepDownToken = 0;
          release();
          LOG.warn("stepped down as the node's writer; contending again in {} ms", STEP_DOWN_MILLIS);
          lost.run();
          pause(STEP_DOWN_MILLIS);
          continue;
        }
      } catch (InterruptedException e) {
        release();
        return;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.warn("the writer's lock was lost or could not be taken: {}", e.toString());
      }
      if (token > 0) {
        token = 0;
        LOG.warn("no longer the node's writer");
        lost.run();
      }
      pause(WAIT_MILLIS);
    }
  }

  /** Whether this instance still holds the lock; the moment asked becomes its last confirmation. */
  private boolean confirmed() {
    long asked = System.nanoTime();
    if (!lock.isLockedByCurrentThread()) {
      return false;
    }
    confirmedNanos = asked;
    return true;
  }

  /** Unlocks on the owning thread at close, so another instance is elected without waiting for the session to end. */
  private void release() {
    if (token == 0) {
      return;
    }
    token = 0;
    try {
      lock.unlock();
    } catch (RuntimeException e) {
      LOG.debug("the writer's lock was already gone at close", e);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Gives the lock up (another instance is elected) and stops contending. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
