package jp.tsunagu.node.cluster;

import java.util.concurrent.CompletionStage;
import java.util.function.LongConsumer;
import jp.tsunagu.node.storage.CommitHook;
import jp.tsunagu.node.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of a write transaction: its batch is gathered inside the transaction
 * ({@link BatchWriter}) and shipped to the followers just before the commit statement, so that their
 * commits (each with its {@code fsync}) run while this instance's own commit does, as a Raft leader
 * sends an entry while it writes it to its own log. A write is answered only once both are done: its
 * commit here is durable and {@code syncReplicas} followers applied its batch durably.
 *
 * <p><b>Why it is safe.</b> Until now a follower held only batches the leader had committed. Now a
 * follower may hold a batch whose commit on the leader then fails (a full disk, an I/O error). Such a
 * batch is treated as what it is, a write whose outcome is unknown: its writes are answered
 * {@code storage.outcome_unknown} (never "failed": a follower may hold them, and a retry with the same
 * Idempotency-Key is carried out at most once), nothing more is written under its token (the next
 * transaction would take the same number with other changes, which a follower holding the batch would
 * skip as applied and then find its chain broken), and the instance stops leading. The most advanced
 * follower is elected, as after any failover: if one holds the batch, it becomes the cluster's history
 * (acceptable only because nobody was told the write failed), and the old leader, whose database lacks
 * it, takes it from the new leader as it follows. If none holds it, it is gone, as a write lost with a
 * leader that died before any follower had it. Should the old leader's file hold the batch after all
 * (an {@code fsync} that failed after the WAL's frames were written), it holds the same batch the
 * followers may hold, so its chain follows theirs, or, if the new leader wrote another batch under the
 * number, it is found diverged and rebuilt from the leader's snapshot, never followed with its own state.
 */
final class LeaderCommits implements CommitHook.SentBeforeCommit<ReplicationBatch> {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderCommits.class);

  private final BatchWriter writer;
  private final ReplicationLink link;
  /** Makes the instance stop leading under the given token (it contends again a little later). */
  private final LongConsumer stepDown;

  LeaderCommits(BatchWriter writer, ReplicationLink link, LongConsumer stepDown) {
    this.writer = writer;
    this.link = link;
    this.stepDown = stepDown;
  }

  /** Gathers each write transaction's batch on {@code database} and ships it ahead of the commit. */
  void install(Database database) {
    database.sentBeforeCommitHook("cluster.replication", writer::gather, this);
  }

  @Override
  public CompletionStage<?> send(ReplicationBatch batch) {
    return link.ship(batch);
  }

  @Override
  public void committed(ReplicationBatch batch) {
    link.committed(batch);
  }

  @Override
  public void notCommitted(ReplicationBatch batch, Throwable failure) {
    LOG.error("batch {} went to the followers but its commit here failed ({}): its writes are answered"
        + " storage.outcome_unknown, nothing more is written under token {}, and this instance stops leading",
        batch.batchId(), failure.toString(), batch.token());
    writer.notCommitted(batch);
    link.notCommitted(batch);
    stepDown.accept(batch.token());
  }
}
