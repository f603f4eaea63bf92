package jp.tsunagu.node.storage;

import java.util.concurrent.atomic.LongAdder;

/**
 * How much work the database has done since it was opened: read jobs, write jobs, the statements
 * each kind ran, and the write transactions committed (each one {@code fsync} of the WAL under
 * {@code synchronous=FULL}). A request's cost in these units is the same on a busy machine as on a
 * quiet one, so a latency figure measured on shared hardware can be explained by them. Statements
 * are counted as features prepare them (one per execution); what triggers do inside them is not.
 */
public record WorkCounts(long reads, long readStatements, long writes, long writeStatements, long commits) {

  /** What was done between {@code before} and this. */
  public WorkCounts minus(WorkCounts before) {
    return new WorkCounts(reads - before.reads, readStatements - before.readStatements, writes - before.writes,
        writeStatements - before.writeStatements, commits - before.commits);
  }

  /** The running totals the storage threads add to. */
  static final class Counters {
    final LongAdder reads = new LongAdder();
    final LongAdder readStatements = new LongAdder();
    final LongAdder writes = new LongAdder();
    final LongAdder writeStatements = new LongAdder();
    final LongAdder commits = new LongAdder();

    WorkCounts snapshot() {
      return new WorkCounts(reads.sum(), readStatements.sum(), writes.sum(), writeStatements.sum(), commits.sum());
    }
  }
}
