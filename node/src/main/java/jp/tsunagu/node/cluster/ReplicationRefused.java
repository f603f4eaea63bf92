package jp.tsunagu.node.cluster;

import jp.tsunagu.node.errors.CodedException;

/**
 * A follower refused a replicated batch, with a stable code: {@code cluster.stale_token} (it comes
 * from a leader deposed since), {@code cluster.batch_gap} (batches before it are missing),
 * {@code cluster.schema_mismatch} (the instances run different migrations), {@code cluster.bad_batch}
 * or {@code cluster.bad_value} (not what a leader writes). Nothing of a refused batch is applied.
 */
public final class ReplicationRefused extends CodedException {

  public ReplicationRefused(String code, String message) {
    super(Kind.CONFLICT, code, message, null, null);
  }
}
