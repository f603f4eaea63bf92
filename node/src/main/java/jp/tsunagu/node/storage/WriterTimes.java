package jp.tsunagu.node.storage;

import java.util.concurrent.atomic.LongAdder;

/**
 * Where the writer thread's time went since the database was opened, in wall-clock nanoseconds: inside
 * write transactions ({@code transactionNanos}, from {@code begin} to the end of {@code commit}, less the
 * time an open transaction waited for more writes to join it), and of
 * that in the {@code commit} statement itself ({@code commitNanos}: writing the WAL and its {@code fsync}
 * under {@code synchronous=FULL}). What is left of the elapsed time the writer spent waiting for writes
 * to come, i.e. on its callers and the hand-offs. The same two spans are also counted in the writer
 * thread's CPU time ({@code transactionCpuNanos}, {@code commitCpuNanos}; the kernel's time in the
 * {@code fsync} included). Of those, the bulk lane's transactions ({@code bulkTransactions}) and their
 * CPU from {@code begin} to the end of {@code commit} ({@code bulkCpuNanos}, the interactive writes that
 * joined them included), and how many interactive writes were committed in one ({@code joinedWrites}); the
 * bulk transactions' wall-clock time ({@code bulkNanos}, what a person's write queued behind one may wait) and
 * of that in their commits ({@code bulkCommitNanos}).
 * And how often the writer found no write queued and blocked until one came ({@code waitsForWrites}, before
 * a transaction or inside an open one): each such wait costs the caller whose write ends it a wake-up of
 * the writer thread (a system call) and the writer a switch off and back onto a core.
 * Under load the writer begins the next transaction while it waits for its first write ({@code begunAhead});
 * those no write came for before it blocked were rolled back ({@code unusedBeginnings}). And how long open
 * transactions waited for more writes to join them ({@code gatherNanos}, left out of
 * {@code transactionNanos}): the writes already in them waited as long.
 * Of the time outside the commit: how long the writer watched the queue for a write instead of blocking
 * ({@code spinNanos}, wall time on a core; of it {@code spinInTransactionNanos} while a transaction was open,
 * which its CPU clock counts in {@code transactionCpuNanos}), and how long it took, once a commit returned,
 * to hand the answers on ({@code answerNanos}: the writer states' and hooks' follow-ups, then the tasks
 * that carry the answers to the event loops waiting for them, {@code loopHandOffs}, each a wake-up of a
 * loop that sleeps).
 * Benchmarks read it to say where a write's time goes.
 */
public record WriterTimes(long transactions, long transactionNanos, long commitNanos, long transactionCpuNanos,
    long commitCpuNanos, long bulkTransactions, long bulkCpuNanos, long joinedWrites, long bulkNanos,
    long bulkCommitNanos, long waitsForWrites, long begunAhead, long unusedBeginnings,
    long gatherNanos, long spinNanos, long spinInTransactionNanos, long answerNanos, long loopHandOffs) {

  /** What was spent between {@code before} and this. */
  public WriterTimes minus(WriterTimes before) {
    return new WriterTimes(transactions - before.transactions, transactionNanos - before.transactionNanos,
        commitNanos - before.commitNanos, transactionCpuNanos - before.transactionCpuNanos,
        commitCpuNanos - before.commitCpuNanos, bulkTransactions - before.bulkTransactions,
        bulkCpuNanos - before.bulkCpuNanos, joinedWrites - before.joinedWrites, bulkNanos - before.bulkNanos,
        bulkCommitNanos - before.bulkCommitNanos, waitsForWrites - before.waitsForWrites,
        begunAhead - before.begunAhead, unusedBeginnings - before.unusedBeginnings,
        gatherNanos - before.gatherNanos, spinNanos - before.spinNanos,
        spinInTransactionNanos - before.spinInTransactionNanos, answerNanos - before.answerNanos,
        loopHandOffs - before.loopHandOffs);
  }

  /** The running totals the writer thread adds to. */
  static final class Counters {
    final LongAdder transactions = new LongAdder();
    final LongAdder transactionNanos = new LongAdder();
    final LongAdder commitNanos = new LongAdder();
    final LongAdder transactionCpuNanos = new LongAdder();
    final LongAdder commitCpuNanos = new LongAdder();
    final LongAdder bulkTransactions = new LongAdder();
    final LongAdder bulkCpuNanos = new LongAdder();
    final LongAdder joinedWrites = new LongAdder();
    final LongAdder bulkNanos = new LongAdder();
    final LongAdder bulkCommitNanos = new LongAdder();
    final LongAdder waitsForWrites = new LongAdder();
    final LongAdder begunAhead = new LongAdder();
    final LongAdder unusedBeginnings = new LongAdder();
    final LongAdder gatherNanos = new LongAdder();
    final LongAdder spinNanos = new LongAdder();
    final LongAdder spinInTransactionNanos = new LongAdder();
    final LongAdder answerNanos = new LongAdder();
    final LongAdder loopHandOffs = new LongAdder();

    WriterTimes snapshot() {
      return new WriterTimes(transactions.sum(), transactionNanos.sum(), commitNanos.sum(), transactionCpuNanos.sum(),
          commitCpuNanos.sum(), bulkTransactions.sum(), bulkCpuNanos.sum(), joinedWrites.sum(), bulkNanos.sum(),
          bulkCommitNanos.sum(), waitsForWrites.sum(), begunAhead.sum(), unusedBeginnings.sum(),
          gatherNanos.sum(), spinNanos.sum(), spinInTransactionNanos.sum(), answerNanos.sum(), loopHandOffs.sum());
    }

    /** The calling thread's CPU time, in nanoseconds (one system call: read once per transaction, not per write). */
    static long cpuNow() {
      return THREADS.getCurrentThreadCpuTime();
    }

    private static final java.lang.management.ThreadMXBean THREADS =
        java.lang.management.ManagementFactory.getThreadMXBean();
  }
}
