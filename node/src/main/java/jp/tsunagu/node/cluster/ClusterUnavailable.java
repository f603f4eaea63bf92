package jp.tsunagu.node.cluster;

import jp.tsunagu.node.errors.CodedException;

/**
 * A request an instance of a clustered node cannot serve now, though it may a moment later (503):
 * {@code cluster.leader_changed} (the leader changed while it carried a forwarded write: nothing
 * or all of it was done, and a retry with the same Idempotency-Key is safe), {@code cluster.no_leader},
 * {@code cluster.joining}, {@code cluster.lagging} (a session's last write has not reached it yet),
 * {@code cluster.not_confirmed} (followers did not confirm a leader's batch in time: its writes'
 * outcome is unknown, told to their clients as {@code storage.outcome_unknown}).
 */
public final class ClusterUnavailable extends CodedException {

  public ClusterUnavailable(String code, String message) {
    super(Kind.UNAVAILABLE, code, message, null, null);
  }
}
