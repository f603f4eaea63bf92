package jp.tsunagu.node.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL's committed pages into the database file on a thread and connection of its own (a
 * passive checkpoint: it never holds up a commit or a read), so that the writer's own automatic
 * checkpoint finds them copied already. That one still runs, when the WAL reaches
 * {@link Database#WAL_CHECKPOINT_PAGES}, because only the writer can start the WAL again from its
 * beginning; it then copies only the pages committed since this thread's last pass. Without this
 * thread, a gateway's readings (some 60 pages in as many places of the file, each batch) made every
 * automatic checkpoint copy hundreds of scattered pages and {@code fsync} them inside the commit of
 * whichever transaction crossed the limit, and the people's writes in it (a nurse's timeline read's
 * audit entry) waited for all of it.
 */
final class WalCheckpointer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
  /**
   * The least time between two passes: each pass that copied something ends with an {@code fsync} of the
   * database file, and those share the disk with the writer's own.
   */
  static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final Connection connection;
  private final Thread thread;
  private volatile boolean closed;
  private volatile boolean wanted;
  private final LongAdder passes = new LongAdder();

  WalCheckpointer(Connection connection) {
    this.connection = connection;
    this.thread = new Thread(this::run, "tsunagu-wal-checkpointer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** A transaction committed: there are pages to copy (the next pass comes at most {@link #PAUSE_NANOS} later). */
  void committed() {
    if (!wanted) {
      wanted = true;
      LockSupport.unpark(thread);
    }
  }

  private void run() {
    boolean failing = false;
    try (Statement statement = connection.createStatement()) {
      while (!closed) {
        if (!wanted) {
          LockSupport.park(this);
          continue;
        }
        wanted = false;
        try {
          // A busy answer (the writer's own checkpoint is running) is no failure: the next commit asks again.
          statement.execute("pragma wal_checkpoint(passive)");
          passes.increment();
          failing = false;
        } catch (SQLException e) {
          // A full disk or an I/O error: the writer's commits say so to their callers and health; here it is
          // logged once, and the next commit asks again.
          if (!failing) {
            LOG.warn("a passive WAL checkpoint failed; the writer's own checkpoints go on", e);
          }
          failing = true;
        }
        LockSupport.parkNanos(PAUSE_NANOS);
      }
    } catch (SQLException e) {
      LOG.warn("the WAL checkpointer could not start; the writer's own checkpoints go on", e);
    }
  }

  /** The passes run since the database was opened. */
  long passes() {
    return passes.sum();
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("closing the checkpointer's connection failed", e);
    }
  }
}
