package jp.tsunagu.node.teamsync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import jp.tsunagu.node.storage.Database;

/**
 * Which of the rows waiting for {@link EventSigner} it may sign: those whose write transaction is
 * acknowledged (issue 24). On a single instance that is every committed row, as soon as it is committed.
 * On a clustered node's leader a commit is acknowledged only once {@code cluster.syncReplicas} followers
 * applied its batch: a leader that dies before that has the batch discarded when it rejoins, and the next
 * leader gives the board's seq to another event; had it been signed, a partner would hold an event the home
 * node does not, and a home node a write this node lost.
 *
 * <p>Each unsigned row gets the writer's next number in its own transaction ({@link #next}), so numbers grow
 * in commit order. A transaction's commit carries the last number given; once the transaction is
 * acknowledged every row up to that number may be signed: the rows of earlier transactions too, even one
 * whose acknowledgement failed, since followers apply batches in order and the one that applied this batch
 * holds those. A transaction that no later one confirms (its client was answered {@code storage.outcome_unknown})
 * stays unsigned here: while this instance leads, the next acknowledged write confirms it (followers that
 * come back fetch the batches they missed before they apply a new one); once another instance leads, either
 * a follower had applied it after all, and the new leader signs it at its start as the cluster's history, or
 * none had, and this instance, found diverged when it next follows, is rebuilt from the new leader's
 * snapshot without it.
 *
 * <p>The rows already in the database when the numbers are first given (at start, and again when the
 * instance becomes a clustered node's leader) came from an earlier run or by replication: they are
 * acknowledged, and numbering goes on above them. The numbers are never given again in a process, so an
 * acknowledgement that arrives late cannot cover a row written after it.
 */
final class AcknowledgedWrites {

  private final Runnable wake;
  /** The highest number given to a row; confined to the writer thread; it never goes back. */
  private long given;
  /** Whether the rows in the database were read since start or the last leadership (writer thread only). */
  private boolean known;
  /** The highest number whose transaction is acknowledged: the signer reads rows up to it. */
  private final AtomicLong acknowledged = new AtomicLong();

  /** {@code wake}: told (on any thread) each time more rows may be signed. */
  AcknowledgedWrites(Database database, Runnable wake) {
    this.wake = wake;
    database.commitHookAwaitingAnswers(AcknowledgedWrites.class, c -> committing(), this::committed);
    database.onForgetWriterStates(() -> known = false);
  }

  /** The number of a row about to be written unsigned; in the write's transaction, on the writer. */
  long next(Connection c) throws SQLException {
    know(c);
    return ++given;
  }

  /** Reads the highest number among the rows waiting, if not known since start or the last leadership; on the writer. */
  void know(Connection c) throws SQLException {
    if (known) {
      return;
    }
    long highest = highestWaiting(c);
    given = Math.max(given, highest);
    known = true;
    raise(highest);
  }

  /** The rows up to this number may be signed. */
  long acknowledgedThrough() {
    return acknowledged.get();
  }

  /** Just before a commit: the last number given, when rows up to it may still wait for an acknowledgement. */
  private Long committing() {
    return given > acknowledged.get() ? given : null;
  }

  /** After the commit, in commit order; {@code answered} null: nothing holds the writes' answers. */
  private void committed(Long through, CompletionStage<Void> answered) {
    if (through == null) {
      return;
    }
    if (answered == null) {
      raise(through);
      return;
    }
    answered.whenComplete((done, failure) -> {
      if (failure == null) {
        raise(through);
      }
    });
  }

  private void raise(long through) {
    if (acknowledged.getAndAccumulate(through, Math::max) < through) {
      wake.run();
    }
  }

  private static long highestWaiting(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select coalesce(max(n), 0) from (select max(write_order) n"
        + " from team_events_unsigned union all select max(write_order) from sync_outbox_unsigned)");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
