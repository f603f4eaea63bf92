package jp.tsunagu.node.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cluster.Address;
import com.hazelcast.cp.CPMember;
import com.hazelcast.cp.CPSubsystemManagementService;
import java.util.Collection;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives an instance started again its seat in the CP group. Hazelcast's CP membership is not
 * dynamic: without CP persistence, an instance whose process died (kill -9, a machine lost) stays a
 * CP member that never answers, and the instance started again on its address joins only as a member
 * without a vote. Left so, the group of three is down to two voters after one restart, and the next
 * lost instance leaves no majority to elect a leader. So an instance that joins without a CP seat
 * removes the CP member at its own address (its own former process: this process holds that address
 * now, so the other cannot be alive) and takes a seat. A CP member at another address is never removed
 * here: it may only be cut off, and removing it would be the operator's decision.
 */
final class CpSeat {

  private static final Logger LOG = LoggerFactory.getLogger(CpSeat.class);
  private static final long WAIT_SECONDS = 120;
  private static final long PAUSE_MILLIS = 500;

  private CpSeat() {}

  /** Blocks until this instance holds a CP seat, or fails after a bounded wait. */
  static void take(HazelcastInstance hazelcast, int cpMembers) {
    if (cpMembers < 1) {
      return;
    }
    CPSubsystemManagementService cp = hazelcast.getCPSubsystem().getCPSubsystemManagementService();
    try {
      if (!cp.awaitUntilDiscoveryCompleted(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the CP group did not form within " + WAIT_SECONDS + " s");
      }
      if (cp.getLocalCPMember() != null) {
        return;
      }
      Address self = hazelcast.getCluster().getLocalMember().getAddress();
      long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(WAIT_SECONDS);
      while (true) {
        try {
          Collection<CPMember> seats = await(cp.getCPMembers());
          for (CPMember seat : seats) {
            if (seat.getAddress().equals(self)) {
              // Refused while the former process is still listed as a member (not yet out for missed heartbeats).
              await(cp.removeCPMember(seat.getUuid()));
              LOG.info("removed the CP seat of this instance's former process {}", seat.getUuid());
            }
          }
          await(cp.promoteToCPMember());
          LOG.info("took a seat in the CP group");
          return;
        } catch (RuntimeException e) {
          if (System.currentTimeMillis() > deadline) {
            throw e;
          }
          Thread.sleep(PAUSE_MILLIS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while taking a CP seat", e);
    }
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
