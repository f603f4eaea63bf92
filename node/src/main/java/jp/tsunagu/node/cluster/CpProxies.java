package jp.tsunagu.node.cluster;

import com.hazelcast.cp.internal.exception.MetadataRaftGroupInitInProgressException;
import java.util.function.Supplier;

/**
 * Takes a CP data structure (the writer's lock, the token generation) once the CP subsystem can hand
 * it out. While the CP members are still forming their metadata group (instances started together,
 * a slow machine) Hazelcast refuses with {@link MetadataRaftGroupInitInProgressException}, which is
 * a wait, not a fault: the instance asks again for a bounded time before it gives up starting.
 */
final class CpProxies {

  private static final long WAIT_MILLIS = 120_000;
  private static final long PAUSE_MILLIS = 250;

  private CpProxies() {}

  static <T> T once(Supplier<T> proxy) {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (true) {
      try {
        return proxy.get();
      } catch (MetadataRaftGroupInitInProgressException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
