package jp.tsunagu.node.storage;

import jp.tsunagu.node.errors.CodedException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import io.vertx.core.internal.PromiseInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's single SQLite writer. Writes queue up while the previous transaction commits and are
 * then committed together (group commit): one {@code fsync} for many writes, so throughput grows
 * with concurrency instead of collapsing into SQLITE_BUSY. A transaction starts with the writes queued
 * and runs them while the writers just answered send their next ones, which join it. One failing write
 * rolls back alone and never takes its batch with it (see {@link #commit}). A write's future completes
 * only after its transaction is durably committed. Bulk writes (a gateway's batch of thousands of
 * readings) take a lane of their own: a transaction holds either the interactive writes queued (a nurse's post, the
 * audit entry of a read) or, when none waits (or after {@link #PEOPLE_AHEAD_OF_BULK} such transactions),
 * one bulk write, so an interactive write waits for at most the bulk transaction already running, never
 * for a queue of them; one that arrives while it runs is committed next, in a transaction of its own and
 * not in the bulk one (see {@link Joining#NONE_BULK}). Kept as one class past 300 lines: the writer thread, its batch and its transaction
 * statements are one state machine that only this class may touch.
 */
final class WriteQueue implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WriteQueue.class);
  private static final int STATEMENTS_KEPT = 256;
  private static final long MAX_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /**
   * How long the writer, under load, watches the queue before it blocks for the next write. Blocked, it
   * costs the caller whose write comes a wake-up of the writer thread, and when its core went idle meanwhile
   * (as both do during an {@code fsync}), a wake-up of that core by the hypervisor first; one such wake-up
   * came in every commit of 32 writers (1.1-1.5 a commit, counted as {@link WriterTimes#waitsForWrites}).
   * Watching for up to 100 us, 0.3-0.4 a commit. Only after a transaction of more than one write, so an idle
   * node's writer never spins.
   */
  static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
  /**
   * The most bulk writes one transaction holds: what an interactive write may wait for. One: four
   * gateway batches of 5,000 readings made a transaction of over a second on a loaded machine, and a
   * nurse's timeline read (its audit entry) waited for it; the fsync a batch then costs is small beside
   * its inserts.
   */
  static final int BULK_PER_TRANSACTION = 1;
  /**
   * How many transactions of people's writes may go ahead of a waiting bulk write before it gets its
   * turn. People's writes queued when the writer chooses go first: in turn with a waiting bulk write, a
   * timeline read's audit entry queued behind it waited for its work and then for its commit (the WAL
   * frames of a gateway's some 60 pages), about twice a person's own; four keep the bulk lane from
   * starving under a steady stream of people's writes (a few milliseconds each).
   */
  static final int PEOPLE_AHEAD_OF_BULK = 4;

  private final Connection connection;
  /** The writer's SQLite handle, asked how many rows its statements changed ({@link #rowsChanged}). */
  private final org.sqlite.core.DB sqlite;
  private final StatementCache statements;
  private TransactionStatements transaction;
  private final int maxBatch;
  private final Collection<WriterState<?>> states;
  private final Collection<CommitHook<?>> hooks;
  private final BlockingQueue<PendingWrite<?>> queue = new LinkedBlockingQueue<>();
  /** The bulk lane: taken only when no interactive write is queued; the writer is woken through {@link #queue}. */
  private final java.util.Queue<PendingWrite<?>> bulk = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean closed;
  /** Why the database cannot take writes now (a full disk, an I/O error), empty while it can. */
  private volatile Optional<WriteFault> fault = Optional.empty();
  private int lastBatchSize = 1;
  /**
   * Whether the next transaction's {@code begin immediate} already ran, while the writer waited for its
   * first write ({@link #beginAhead}): {@link #begin} then only starts the writer states.
   */
  private boolean begunAhead;
  private long lastBatchNanos;
  /** How long the open transaction has waited for more writes to join it ({@link #awaitMore}). */
  private long waitedInTransaction;
  /** The writer thread's CPU clock when the last {@code commit} statement returned. */
  private long commitEndedCpu;
  /** When the last bulk transaction began and when it was committed: what a queued write waited behind. */
  private long bulkBegun;
  private long bulkCommitted;
  /** The transactions of people's writes committed since the waiting bulk write was last passed over. */
  private int peopleAheadOfBulk;

  private final WorkCounts.Counters counts;
  private final WriterTimes.Counters times = new WriterTimes.Counters();

  WriteQueue(Connection connection, int maxBatch, Collection<WriterState<?>> states, Collection<CommitHook<?>> hooks,
      WorkCounts.Counters counts) throws SQLException {
    this.counts = counts;
    leaveTransactionsToTheWriter(connection);
    this.statements = new StatementCache(connection, STATEMENTS_KEPT, counts.writeStatements);
    this.connection = statements.connection();
    this.sqlite = connection.unwrap(org.sqlite.SQLiteConnection.class).getDatabase();
    this.transaction = new TransactionStatements(connection);
    this.maxBatch = maxBatch;
    this.states = states;
    this.hooks = hooks;
    this.thread = new Thread(this::run, "tsunagu-sqlite-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Tells the driver that the writer begins and ends its transactions itself, without a statement: in the
   * driver's auto-commit mode, every statement that completes is followed by its "is the connection still
   * in a transaction?" check, which steps a {@code begin} of its own (inside the writer's transaction,
   * an error SQLite builds a message for) and resets two statements, three native calls more for each
   * insert of the writer and an empty {@code begin} and {@code commit} after each of its commits. The flag
   * only: {@code setAutoCommit(false)} would begin a transaction. SQLite itself is unchanged: outside the
   * writer's {@code begin immediate} and {@code commit} each statement still commits on its own.
   */
  static void leaveTransactionsToTheWriter(Connection connection) throws SQLException {
    connection.unwrap(org.sqlite.SQLiteConnection.class).getConnectionConfig().setAutoCommit(false);
  }

  synchronized <T> CompletableFuture<T> submit(SqlWork<T> work) {
    PendingWrite<T> pending = new PendingWrite<>(work, new CompletableFuture<>(), null, null);
    enqueue(pending, queue);
    return pending.result();
  }

  /**
   * {@link #submit} for a caller on a Vert.x event loop: the answer completes {@code promise} on its own
   * event loop, and the answers of one transaction bound for the same event loop go there together, one
   * wake-up of that loop per transaction instead of one per write. {@code step}, when not null, is given
   * the write's times on the way (its request's path is recorded).
   */
  synchronized <T> void submit(SqlWork<T> work, PromiseInternal<T> promise, RequestPaths.Step step) {
    enqueue(new PendingWrite<>(work, null, promise, step), queue);
  }

  /** {@link #submit} in the bulk lane: committed when no interactive write waits. */
  synchronized <T> CompletableFuture<T> submitBulk(SqlWork<T> work) {
    PendingWrite<T> pending = new PendingWrite<>(work, new CompletableFuture<>(), null, null);
    if (enqueue(pending, bulk)) {
      queue.add(PendingWrite.wake());
    }
    return pending.result();
  }

  /**
   * Whether an interactive write is queued (the bulk lane's wake-ups do not count): a bulk write that
   * stores in parts ends its transaction after the part it is on, and the interactive write goes next.
   */
  boolean interactiveWaiting() {
    for (PendingWrite<?> pending : queue) {
      if (!pending.isSignal()) {
        return true;
      }
    }
    return false;
  }

  private boolean enqueue(PendingWrite<?> pending, java.util.Queue<PendingWrite<?>> lane) {
    if (closed) {
      pending.fail(closedError());
      return false;
    }
    lane.add(pending);
    counts.writes.increment();
    return true;
  }

  private void run() {
    List<PendingWrite<?>> batch = new ArrayList<>(maxBatch);
    try {
      while (!closed || !queue.isEmpty() || !bulk.isEmpty()) {
        // People's writes queued now go first, in a transaction of their own; a waiting bulk write goes
        // after at most PEOPLE_AHEAD_OF_BULK of those, and the people's writes that come while it runs
        // go right after it, in one of their own.
        boolean bulkWaiting = !bulk.isEmpty();
        boolean interactive = !(bulkWaiting && peopleAheadOfBulk >= PEOPLE_AHEAD_OF_BULK) && takeInteractive(batch);
        if (interactive) {
          peopleAheadOfBulk += bulkWaiting ? 1 : 0;
          long started = System.nanoTime();
          commit(batch, Joining.WRITES_THAT_COME);
          // What the gathering of interactive writes goes by (the bulk lane's transactions are no guide
          // to it): the transaction's own work, not the time it waited for writes to join it.
          lastBatchNanos = System.nanoTime() - started - waitedInTransaction;
          lastBatchSize = batch.size();
          if (lastBatchSize > 1 && !closed) {
            beginAhead();
          }
        } else {
          peopleAheadOfBulk = 0;
          for (PendingWrite<?> next = bulk.poll(); next != null; next = batch.size() < BULK_PER_TRANSACTION
              ? bulk.poll() : null) {
            batch.add(next);
          }
          if (!batch.isEmpty()) {
            commit(batch, Joining.NONE_BULK);
          }
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    endAhead();
    failRemaining();
    transaction.close();
    statements.close();
  }

  /**
   * Starts the batch with the interactive writes queued (waiting for the first only while no bulk write
   * does; after a transaction of several writes, watching the queue for up to {@link #SPIN_NANOS} before it
   * blocks); answers whether there were any. The stop and the bulk lane's wake-ups are dropped here.
   */
  private boolean takeInteractive(List<PendingWrite<?>> batch) throws InterruptedException {
    PendingWrite<?> first = queue.poll();
    if (first == null && bulk.isEmpty() && lastBatchSize > 1 && spinFor(SPIN_NANOS, false)) {
      first = queue.poll();
    }
    if (first == null && bulk.isEmpty()) {
      // no write came while it watched: the transaction begun for it is not held while the writer blocks
      endAhead();
      times.waitsForWrites.increment();
      first = queue.take();
    }
    if (first == null) {
      return false;
    }
    if (!first.isSignal()) {
      batch.add(first);
    }
    drainWrites(batch);
    return !batch.isEmpty();
  }

  /** Adds the writes queued now (up to the batch's limit), dropping signals; answers how many. */
  private int drainWrites(List<PendingWrite<?>> batch) {
    int before = batch.size();
    queue.drainTo(batch, maxBatch - before);
    batch.subList(before, batch.size()).removeIf(PendingWrite::isSignal);
    return batch.size() - before;
  }

  /**
   * Under load, waits a little for more writes to join the open transaction: writers acknowledged by
   * the last commit are about to send their next write, and a transaction that leaves them out costs
   * them a whole extra commit ({@code fsync}). The writes already there run meanwhile, so the time the
   * callers take to send theirs is no longer added to the statements'. The wait ends when the batch is
   * as large as the last one or half the last transaction's duration after it began, whichever comes
   * first, so a single writer never waits and a falling load shrinks the wait with the batches. The writer
   * watches the queue for up to {@link #SPIN_NANOS} before it blocks. Answers whether more came; the time
   * spent waiting goes to {@link #waitedInTransaction}.
   */
  private boolean awaitMore(List<PendingWrite<?>> batch, long deadline) {
    if (drainWrites(batch) > 0) {
      return true;
    }
    long started = System.nanoTime();
    long left = deadline - started;
    if (left <= 0) {
      return false;
    }
    if (spinFor(Math.min(left, SPIN_NANOS), true)) {
      waitedInTransaction += System.nanoTime() - started;
      return drainWrites(batch) > 0 || awaitMore(batch, deadline);
    }
    PendingWrite<?> next;
    times.waitsForWrites.increment();
    try {
      next = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      // committed as gathered so far; the writer's loop ends at its next wait
      Thread.currentThread().interrupt();
      return false;
    } finally {
      waitedInTransaction += System.nanoTime() - started;
    }
    if (next == null) {
      return false;
    }
    if (!next.isSignal()) {
      batch.add(next);
    }
    drainWrites(batch);
    return true;
  }

  /**
   * Watches the queue until a write (or a signal) is in it or for {@code nanos}; answers whether one is.
   * The time it watched is counted ({@code inTransaction}: with a transaction open).
   */
  private boolean spinFor(long nanos, boolean inTransaction) {
    long started = System.nanoTime();
    long now = started;
    boolean came = true;
    while (queue.isEmpty()) {
      if (now - started >= nanos) {
        came = false;
        break;
      }
      Thread.onSpinWait();
      now = System.nanoTime();
    }
    long spun = now - started;
    times.spinNanos.add(spun);
    if (inTransaction) {
      times.spinInTransactionNanos.add(spun);
    }
    return came;
  }

  /**
   * Commits a batch. The common case, every write succeeding, runs without savepoints; only when
   * a write fails is the batch rolled back and run again with one savepoint per write, so that the
   * failing write rolls back alone and its neighbours still commit.
   */
  private void commit(List<PendingWrite<?>> batch, Joining joining) {
    Throwable failure = commitTogether(batch, joining);
    if (failure == null) {
      return;
    }
    if (batch.size() == 1) {
      batch.get(0).fail(asStorageFailure(failure));
    } else {
      commitIsolated(batch);
    }
  }

  /** Which writes, besides those of the batch, a transaction takes in before it commits. */
  private enum Joining {
    /** A people's transaction: the writes that come while it runs ({@link #awaitMore}). */
    WRITES_THAT_COME,
    /**
     * A bulk transaction: none. A person's write that comes while it runs is not committed in it: it
     * would wait there for the bulk transaction's commit (the WAL frames of a gateway's some 60 pages,
     * and the automatic checkpoint whenever they take the WAL past its limit), where its own commit is
     * a few pages; and when the bulk transaction fails, the people's writes in it were run again one by
     * one with it. The people's writes queued by its end are the next transaction (the loop's
     * {@code peopleAheadOfBulk} starts again at 0).
     */
    NONE_BULK,
    /** None: a write committed alone. */
    NONE
  }

  /**
   * Runs every write in one transaction, with those {@code joining} lets in, and returns the first
   * failure (all rolled back, the batch as gathered so far), or null.
   */
  private Throwable commitTogether(List<PendingWrite<?>> batch, Joining joining) {
    boolean bulk = joining == Joining.NONE_BULK;
    List<Object> values = new ArrayList<>(joining == Joining.WRITES_THAT_COME ? maxBatch : batch.size());
    int own = batch.size();
    long started = System.nanoTime();
    long cpuStarted = WriterTimes.Counters.cpuNow();
    long commitBegun;
    long changedBefore = rowsChangedWhileFaulted();
    waitedInTransaction = 0;
    try {
      begin();
      int wanted = joining == Joining.WRITES_THAT_COME ? Math.min(lastBatchSize, maxBatch) : 0;
      long deadline = started + Math.min(lastBatchNanos / 2, MAX_GATHER_NANOS);
      boolean unheld = false;
      do {
        for (int i = values.size(); i < batch.size(); i++) {
          unheld |= batch.get(i).work() instanceof UnheldWork;
          values.add(runWrite(batch.get(i), started));
        }
        // A write that must not wait for others (see Database#writeUnheld) ends the waiting: the writes
        // queued by now join the transaction, and it is committed without waiting for more.
      } while (batch.size() < wanted && (unheld ? drainWrites(batch) > 0 : awaitMore(batch, deadline)));
      commitBegun = commitTransaction();
      stepsCommitted(batch, commitBegun);
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      noteFault(e);
      return e;
    }
    long committed = System.nanoTime();
    times.transactions.increment();
    times.transactionNanos.add(committed - started - waitedInTransaction);
    times.gatherNanos.add(waitedInTransaction);
    // the CPU clock as read at the end of the commit (one system call fewer a transaction)
    long cpu = commitEndedCpu - cpuStarted;
    times.transactionCpuNanos.add(cpu);
    if (bulk) {
      bulkBegun = started;
      bulkCommitted = committed;
      times.bulkNanos.add(committed - started);
      times.bulkCommitNanos.add(committed - commitBegun);
      times.bulkTransactions.increment();
      times.bulkCpuNanos.add(cpu);
      times.joinedWrites.add(batch.size() - own);
    }
    clearFaultIfChanged(changedBefore);
    CompletableFuture<Void> acknowledged = committed();
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      outcomes.add(new Outcome(batch.get(i), values.get(i), null));
    }
    times.loopHandOffs.add(answer(outcomes, acknowledged));
    times.answerNanos.add(System.nanoTime() - committed);
    return null;
  }

  /**
   * Runs one write's work in the open transaction (begun at {@code transactionBegun}); a write whose
   * request's path is recorded is given its times, among them the part of its wait that overlapped the
   * last bulk transaction.
   */
  private Object runWrite(PendingWrite<?> write, long transactionBegun) throws SQLException {
    RequestPaths.Step step = write.step();
    if (step == null) {
      return write.work().run(connection);
    }
    step.started = System.nanoTime();
    step.transactionBegun = Math.max(step.queued, transactionBegun);
    step.behindBulk = Math.max(0, Math.min(bulkCommitted, transactionBegun) - Math.max(bulkBegun, step.queued));
    Object value = write.work().run(connection);
    step.worked = System.nanoTime();
    return value;
  }

  /** The commit's times, for the writes whose requests' paths are recorded. */
  private static void stepsCommitted(List<PendingWrite<?>> batch, long commitBegun) {
    long committed = System.nanoTime();
    for (PendingWrite<?> write : batch) {
      if (write.step() != null) {
        write.step().commitBegun = commitBegun;
        write.step().committed = committed;
      }
    }
  }

  WriterTimes times() {
    return times.snapshot();
  }

  /** Why the database cannot take writes now, if a write failed for the database's sake and none has committed since. */
  Optional<WriteFault> fault() {
    return fault;
  }

  /**
   * The rows the writer's statements changed so far, asked only while writes fail for the database's
   * sake (-1 otherwise): a transaction that changed none proves nothing (see {@link #clearFaultIfChanged}).
   */
  private long rowsChangedWhileFaulted() {
    return fault.isPresent() ? rowsChanged() : -1;
  }

  private long rowsChanged() {
    try {
      return sqlite.total_changes();
    } catch (SQLException e) {
      return -1;
    }
  }

  /**
   * Clears the fault after a commit that changed rows. A transaction that changed none (a job that found
   * nothing to do, a write that only read) commits even on a full disk, since SQLite then writes
   * nothing: it cleared the fault, and readiness came back while every real write still failed.
   */
  private void clearFaultIfChanged(long changedBefore) {
    if (fault.isPresent() && changedBefore >= 0 && rowsChanged() > changedBefore) {
      fault = Optional.empty();
    }
  }

  /**
   * Remembers a failure that is the database's and not the write's (a full disk, an I/O error, a
   * read-only file), until a commit that changed rows succeeds: health says the node cannot write meanwhile.
   * A write refused for its own content (a constraint) is no fault of the database.
   */
  private void noteFault(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause()) {
      if (e instanceof org.sqlite.SQLiteException sqlite) {
        String code = sqlite.getResultCode().name();
        if (code.startsWith("SQLITE_FULL") || code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_READONLY")
            || code.startsWith("SQLITE_CANTOPEN")) {
          Optional<WriteFault> before = fault;
          fault = Optional.of(new WriteFault(code, before.map(WriteFault::since).orElse(Instant.now())));
        }
        return;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(PendingWrite<T> write, Object value) {
    write.succeed((T) value);
  }

  private void commitIsolated(List<PendingWrite<?>> batch) {
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    long started = System.nanoTime();
    long cpuStarted = WriterTimes.Counters.cpuNow();
    long changedBefore = rowsChangedWhileFaulted();
    try {
      begin();
      for (PendingWrite<?> write : batch) {
        outcomes.add(runInSavepoint(write));
      }
      commitTransaction();
      clearFaultIfChanged(changedBefore);
      times.transactions.increment();
      times.transactionNanos.add(System.nanoTime() - started);
      times.transactionCpuNanos.add(WriterTimes.Counters.cpuNow() - cpuStarted);
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      noteFault(e);
      if (e instanceof CodedException) {
        // A commit hook refused the transaction as a whole (an instance that does not hold the
        // writer's lock refuses what would need replicating): each write is committed alone, so the
        // ones the hook lets through (a follower applying the leader's batch) are not refused with a
        // neighbour's local write, and each refused one answers the hook's code, as it would alone.
        LOG.warn("write transaction refused, {} writes committed one by one: {}", batch.size(), e.getMessage());
        batch.forEach(write -> commit(List.of(write), Joining.NONE));
        return;
      }
      LOG.error("write transaction failed, {} writes rolled back", batch.size(), e);
      StorageException failure = new StorageException("storage.write_failed", "the write could not be committed", e);
      batch.forEach(write -> write.fail(failure));
      return;
    }
    times.loopHandOffs.add(answer(outcomes, committed()));
  }

  /**
   * Completes each write's future with its outcome; when a commit hook holds the answers back (a
   * write acknowledged only once replicated), once that stage completes, and with
   * {@code storage.outcome_unknown} for the successful ones if it fails: they are committed here, and
   * whether they outlast this instance is not known (a follower may hold them, or get them later), so
   * the client is told neither that they happened nor that they did not. The failed ones are told at
   * once: nothing of them committed. Answers how many tasks it handed to event loops now.
   */
  private static int answer(List<Outcome> outcomes, CompletableFuture<Void> acknowledged) {
    if (acknowledged == null) {
      return EventLoopAnswers.deliver(outcomes);
    }
    outcomes.stream().filter(outcome -> outcome.failure() != null).forEach(Outcome::complete);
    acknowledged.whenComplete((done, error) -> {
      if (error == null) {
        // One task for each event loop waiting, not one for each write (as when answered at the commit).
        EventLoopAnswers.deliver(outcomes.stream().filter(outcome -> outcome.failure() == null).toList());
        return;
      }
      for (Outcome outcome : outcomes) {
        if (outcome.failure() == null) {
          outcome.write().fail(new StorageException("storage.outcome_unknown", "the write committed on this"
              + " instance but was not confirmed by enough followers in time: it may have been kept; a retry with"
              + " the same Idempotency-Key is carried out at most once", error));
        }
      }
    });
    return 0;
  }

  /** How one write of a committed transaction ended: its value, or why it alone was rolled back. */
  record Outcome(PendingWrite<?> write, Object value, Throwable failure) {
    void complete() {
      if (failure != null) {
        write.fail(failure);
      } else {
        WriteQueue.complete(write, value);
      }
    }
  }

  private static Throwable asStorageFailure(Throwable e) {
    return e instanceof SQLException
        ? new StorageException("storage.write_failed", "the write was refused by the database", e)
        : e;
  }

  private <T> Outcome runInSavepoint(PendingWrite<T> write) throws SQLException {
    transaction.savepoint.execute();
    states.forEach(WriterState::savepoint);
    try {
      T value = write.work().run(connection);
      transaction.release.execute();
      return new Outcome(write, value, null);
    } catch (SQLException | RuntimeException e) {
      transaction.rollbackToSavepoint.execute();
      states.forEach(WriterState::rollbackToSavepoint);
      transaction.release.execute();
      return new Outcome(write, null, asStorageFailure(e));
    }
  }

  /** Runs the commit hooks in the transaction, then commits it; answers when the commit statement began. */
  private long commitTransaction() throws SQLException {
    for (CommitHook<?> hook : hooks) {
      hook.beforeCommit(connection);
    }
    long started = System.nanoTime();
    long cpuStarted = WriterTimes.Counters.cpuNow();
    transaction.commit.execute();
    times.commitNanos.add(System.nanoTime() - started);
    commitEndedCpu = WriterTimes.Counters.cpuNow();
    times.commitCpuNanos.add(commitEndedCpu - cpuStarted);
    counts.commits.increment();
    return started;
  }

  private void begin() throws SQLException {
    if (begunAhead) {
      begunAhead = false;
    } else {
      transaction.begin.execute();
    }
    states.forEach(WriterState::begin);
  }

  /**
   * Under load, begins the next transaction as soon as the last one's answers are on their way, while the
   * callers send their next writes: {@code begin immediate} takes the WAL's read mark and write lock (four
   * {@code fcntl} calls on the {@code -shm} file, 15-25 us of the writer's CPU a transaction on this machine
   * under load), and the first write that comes then runs at once instead of after them. A failure here is
   * left for {@link #begin} to meet again and report as the write's.
   */
  private void beginAhead() {
    try {
      transaction.begin.execute();
      begunAhead = true;
      times.begunAhead.increment();
    } catch (SQLException e) {
      LOG.debug("beginning the next transaction ahead failed; it begins when its first write comes", e);
    }
  }

  /**
   * Rolls back a transaction begun ahead that no write came for, before the writer blocks or stops: an
   * empty transaction is not to hold the WAL's write lock (another process's writer waits for it) for as
   * long as the node is idle.
   */
  private void endAhead() {
    if (!begunAhead) {
      return;
    }
    begunAhead = false;
    times.unusedBeginnings.increment();
    try {
      transaction.rollback.execute();
    } catch (SQLException e) {
      LOG.debug("rolling back a transaction begun ahead failed", e);
      renewTransactionStatements();
    }
  }

  /**
   * Hands the committed values on; the owners' follow-ups must not undo a commit that has happened.
   * Returns what the writes' answers wait for (null: nothing, the common single-instance case).
   */
  private CompletableFuture<Void> committed() {
    List<CompletableFuture<?>> holds = null;
    for (WriterState<?> state : states) {
      try {
        state.committed();
      } catch (RuntimeException e) {
        LOG.error("a follow-up of a commit failed", e);
      }
    }
    for (CommitHook<?> hook : hooks) {
      if (hook.awaitsAnswers()) {
        continue;
      }
      java.util.concurrent.CompletionStage<?> hold;
      try {
        hold = hook.committed();
      } catch (RuntimeException e) {
        LOG.error("a commit hook's follow-up failed", e);
        hold = null;
      }
      if (hold != null) {
        holds = holds == null ? new ArrayList<>() : holds;
        holds.add(hold.toCompletableFuture());
      }
    }
    CompletableFuture<Void> answered = holds == null ? null : CompletableFuture.allOf(holds.toArray(CompletableFuture[]::new));
    for (CommitHook<?> hook : hooks) {
      if (hook.awaitsAnswers()) {
        try {
          hook.committed(answered == null ? null : answered.minimalCompletionStage());
        } catch (RuntimeException e) {
          LOG.error("a commit hook's follow-up failed", e);
        }
      }
    }
    return answered;
  }

  private void rollbackQuietly() {
    // Whatever the writes set in memory goes with them, also when the rollback itself fails.
    states.forEach(WriterState::rolledBack);
    hooks.forEach(CommitHook::rolledBack);
    try {
      transaction.rollback.execute();
    } catch (SQLException e) {
      LOG.debug("no transaction left to roll back", e);
    }
    renewTransactionStatements();
  }

  /**
   * After a failed transaction the driver can leave a prepared statement unusable ("statement is not
   * executing" at every later use: a full disk stopped all writes until a restart). The writer's
   * cached statements, the transaction's own among them, are dropped and prepared afresh: a cost
   * paid only after a failure, and the writer works again as soon as the database can take writes.
   */
  private void renewTransactionStatements() {
    transaction.close();
    statements.close();
    try {
      transaction = new TransactionStatements(connection);
    } catch (SQLException e) {
      LOG.error("the writer's transaction statements could not be prepared again; the next write tries again", e);
    }
  }

  private void failRemaining() {
    PendingWrite<?> pending;
    while ((pending = queue.poll()) != null || (pending = bulk.poll()) != null) {
      pending.fail(closedError());
    }
  }

  private static StorageException closedError() {
    return new StorageException("storage.closed", "the database is closed", null);
  }

  /** Lets queued writes finish, then stops the writer thread. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      queue.add(PendingWrite.stop());
    }
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The transaction-control statements, prepared once: at tens of thousands of writes a second,
   * parsing "savepoint w" for every write is a measurable share of the cost.
   */
  private static final class TransactionStatements {
    final PreparedStatement begin;
    final PreparedStatement commit;
    final PreparedStatement rollback;
    final PreparedStatement savepoint;
    final PreparedStatement release;
    final PreparedStatement rollbackToSavepoint;

    TransactionStatements(Connection connection) throws SQLException {
      begin = connection.prepareStatement("begin immediate");
      commit = connection.prepareStatement("commit");
      rollback = connection.prepareStatement("rollback");
      savepoint = connection.prepareStatement("savepoint w");
      release = connection.prepareStatement("release w");
      rollbackToSavepoint = connection.prepareStatement("rollback to w");
    }

    void close() {
      for (PreparedStatement statement : List.of(begin, commit, rollback, savepoint, release, rollbackToSavepoint)) {
        try {
          statement.close();
        } catch (SQLException e) {
          LOG.debug("closing a transaction statement failed", e);
        }
      }
    }
  }

  /**
   * A queued write and where its answer goes: a future ({@link #submit(SqlWork)}), or a promise of a
   * Vert.x context ({@link #submit(SqlWork, PromiseInternal, RequestPaths.Step)}).
   */
  record PendingWrite<T>(SqlWork<T> work, CompletableFuture<T> result, PromiseInternal<T> promise,
      RequestPaths.Step step) {
    private static final SqlWork<Void> WAKE = c -> null;

    static PendingWrite<Void> stop() {
      return new PendingWrite<>(null, new CompletableFuture<>(), null, null);
    }

    /** Wakes the writer for a bulk write; does nothing itself. */
    static PendingWrite<Void> wake() {
      return new PendingWrite<>(WAKE, new CompletableFuture<>(), null, null);
    }

    /** The stop or a wake-up: no write of its own. */
    boolean isSignal() {
      return work == null || work == WAKE;
    }

    void succeed(T value) {
      if (promise != null) {
        promise.complete(value);
      } else {
        result.complete(value);
      }
    }

    void fail(Throwable failure) {
      if (promise != null) {
        promise.fail(failure);
      } else {
        result.completeExceptionally(failure);
      }
    }
  }
}
