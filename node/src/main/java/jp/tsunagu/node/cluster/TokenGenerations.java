package jp.tsunagu.node.cluster;

import com.hazelcast.cp.IAtomicLong;
import java.util.concurrent.ExecutionException;
import jp.tsunagu.node.storage.Database;

/**
 * The tokens batches carry, made to grow across a restart of every instance. The lock's fence grows
 * only while its CP group lives, and the open-source edition keeps CP state in memory: after all
 * instances restarted, fences start low again, and followers that durably remember a higher token
 * would refuse every batch for ever. So a batch carries {@code generation << 40 | fence}: the first
 * leader of a CP group's life sets the generation (in the group, once) to one above the generation of
 * the highest token its database has seen, and every later leader of that life uses it. The elected
 * instance is the one that applied the most batches, so it has seen the latest generation.
 */
final class TokenGenerations {

  static final int FENCE_BITS = 40;

  private final IAtomicLong generation;
  private final Database database;

  TokenGenerations(IAtomicLong generation, Database database) {
    this.generation = generation;
    this.database = database;
  }

  /** The token a leader elected with {@code fence} writes with. Called on the leadership thread (it waits). */
  long tokenFor(long fence) {
    long current = generation.get();
    if (current == 0) {
      long seen;
      try {
        seen = database.submitRead(ReplicationPosition::of).get().token();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading the replication position", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("the replication position could not be read", e.getCause());
      }
      generation.compareAndSet(0, (seen >>> FENCE_BITS) + 1);
      current = generation.get();
    }
    return (current << FENCE_BITS) | fence;
  }
}
