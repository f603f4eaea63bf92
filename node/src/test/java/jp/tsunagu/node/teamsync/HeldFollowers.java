package jp.tsunagu.node.teamsync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import jp.tsunagu.node.TsunaguNode;

/**
 * A node's database made a clustered leader's as far as its writes see it: every transaction's answer waits
 * for an acknowledgement, given the way replication gives it (an acknowledging commit hook whose stage
 * completes once followers applied the batch). The followers answer at once until {@link #hold}; then they
 * apply nothing until {@link #release} (every batch since acknowledged, in order); {@link #fail} refuses the
 * batches held so far, as replication does after its timeout, and goes on holding.
 */
final class HeldFollowers {

  private final List<CompletableFuture<Void>> held = new ArrayList<>();
  private boolean holding;

  private HeldFollowers() {}

  /** The followers of {@code node}'s writer from now on. */
  static HeldFollowers of(TsunaguNode node) {
    HeldFollowers followers = new HeldFollowers();
    node.services().database().acknowledgingCommitHook(HeldFollowers.class, c -> null,
        ignored -> followers.batchCommitted());
    return followers;
  }

  private synchronized CompletionStage<?> batchCommitted() {
    if (!holding) {
      return null;
    }
    CompletableFuture<Void> acknowledgement = new CompletableFuture<>();
    held.add(acknowledgement);
    return acknowledgement;
  }

  synchronized void hold() {
    holding = true;
  }

  /** The transactions committed and not acknowledged yet. */
  synchronized int waiting() {
    return held.size();
  }

  /** Every transaction held is acknowledged, and the ones after are at once. */
  void release() {
    for (CompletableFuture<Void> acknowledgement : takeHeld()) {
      acknowledgement.complete(null);
    }
  }

  /** Every transaction held so far is refused (no follower applied it); the followers still apply nothing. */
  void fail() {
    for (CompletableFuture<Void> acknowledgement : takeHeld(true)) {
      acknowledgement.completeExceptionally(new IllegalStateException("no follower applied the batch"));
    }
  }

  private synchronized List<CompletableFuture<Void>> takeHeld() {
    return takeHeld(false);
  }

  private synchronized List<CompletableFuture<Void>> takeHeld(boolean stillHolding) {
    holding = stillHolding;
    List<CompletableFuture<Void>> taken = List.copyOf(held);
    held.clear();
    return taken;
  }
}
