package jp.tsunagu.node.teamsync;

import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's origin envelopes of its writes sent lately to their home nodes, as signed here: the home node
 * pushes each back countersigned, embedding the envelope unchanged, and a replica's verification need not check
 * a signature this node made itself (one Ed25519 verification of the five a partner's write costs the team).
 * Any other envelope, one this node no longer holds among them, is verified as every other.
 */
final class OwnEnvelopes {

  /** Kept: more than a few seconds of writes at any rate a member node submits them. */
  private static final int KEPT = 4_096;

  private final RecentIds envelopes = new RecentIds(KEPT);
  private final AtomicLong taken = new AtomicLong();
  private final AtomicLong checked = new AtomicLong();

  synchronized void signed(String envelope) {
    envelopes.add(envelope);
  }

  /** Whether the origin envelope is byte for byte one signed here (counted, for the figures and tests). */
  boolean signedHere(String originEnvelope) {
    boolean own;
    synchronized (this) {
      own = envelopes.contains(originEnvelope);
    }
    (own ? taken : checked).incrementAndGet();
    return own;
  }

  /** For tests: origin signatures taken as this node's own, not checked again. */
  long taken() {
    return taken.get();
  }

  /** For tests: origin signatures of received events checked (any not signed here). */
  long checked() {
    return checked.get();
  }
}
