package jp.tsunagu.node.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.audit.AuditCheckpoint;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.jws.TrustStore;
import jp.tsunagu.node.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node's signed audit checkpoint ({@link AuditCheckpoint}, {@code audit-checkpoint.jws}
 * in the data directory) at the head of the audit chain. After each commit that added audit rows the
 * writer tells it the new head's sequence number; a thread of its own then reads the committed head
 * on a reader connection, signs it, forces it to disk and renames it into place. Many commits in a
 * row share one checkpoint, and the single writer never waits for any of it.
 *
 * <p>A checkpoint only moves forward along the same chain: if the row it covers is gone or
 * different (rows deleted at the end, the log rewritten, a database restored from a backup without
 * its checkpoint), the node logs an error, keeps the old checkpoint as
 * {@code audit-checkpoint-conflict-<time>.jws} for {@code audit verify} to report, and starts
 * afresh from the current head so that new rows are covered again.
 */
public final class AuditCheckpoints implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AuditCheckpoints.class);
  // Each checkpoint costs an Ed25519 signature (about 1 ms of CPU) and an fsync: at 20 ms they took
  // an eighth of the node's CPU under a timeline load. A quarter of a second is what an attacker
  // deleting the newest rows could hide in.
  private static final Duration MIN_INTERVAL = Duration.ofMillis(250);

  /**
   * What the writer saw: the head, and whether the row of the checkpoint it compared with
   * ({@code against}) is still there as it was.
   */
  private record Seen(AuditLog.Head head, Optional<AuditCheckpoint> against, boolean continuous) {}

  private final Database database;
  private final NodeIdentity identity;
  private final Path file;
  private final Clock clock;
  private final ExecutorService files;
  private final AtomicBoolean requested = new AtomicBoolean();
  private long lastWritten = System.nanoTime() - MIN_INTERVAL.toNanos();
  private volatile Optional<AuditCheckpoint> written;
  private final java.util.function.Consumer<AuditLog.Head> onCommit = committed -> request();

  private AuditCheckpoints(Database database, NodeIdentity identity, Path dataDir, Clock clock) {
    this.database = database;
    this.identity = identity;
    this.file = dataDir.resolve(AuditCheckpoint.FILE);
    this.clock = clock;
    this.files = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "tsunagu-audit-checkpoint");
      thread.setDaemon(true);
      return thread;
    });
    this.written = readOwn();
  }

  /**
   * Starts keeping the checkpoint of a node's database: checks the existing one against the log
   * and brings it to the current head before the node serves.
   */
  public static AuditCheckpoints start(Database database, NodeIdentity identity, Path dataDir, Clock clock) {
    AuditCheckpoints checkpoints = new AuditCheckpoints(database, identity, dataDir, clock);
    checkpoints.write(database.submitRead(checkpoints::see).join());
    // The writer tells of every commit that moved the chain's head (rows rolled back never get
    // here); a reader sees the new head from then on.
    AuditLog.headOf(database).alsoTell(checkpoints.onCommit);
    return checkpoints;
  }

  private void request() {
    if (requested.compareAndSet(false, true)) {
      files.execute(this::catchUp);
    }
  }

  /** On the checkpoint thread: writes the committed head. */
  private void catchUp() {
    try {
      // Under load, at most one checkpoint per interval: its fsync would otherwise compete with the
      // database's own commits for the disk. Appends meanwhile join this checkpoint.
      long pause = lastWritten + MIN_INTERVAL.toNanos() - System.nanoTime();
      if (pause > 0) {
        TimeUnit.NANOSECONDS.sleep(pause);
      }
      // Cleared before the head is read: an append from now on asks again and gets a checkpoint of its own.
      requested.set(false);
      write(database.submitRead(this::see).join());
      lastWritten = System.nanoTime();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("the audit checkpoint could not be brought up to date: {}", e.getMessage());
    }
  }

  /** On a reader connection: the committed head, and whether the last checkpoint's row is still as it was. */
  private Seen see(Connection c) throws SQLException {
    AuditLog.Head head = AuditLog.lastRow(c);
    Optional<AuditCheckpoint> last = written;
    if (last.isEmpty()) {
      return new Seen(head, last, true);
    }
    try (PreparedStatement s = c.prepareStatement("select hash from audit_log where seq = ?")) {
      s.setLong(1, last.get().seq());
      try (ResultSet rs = s.executeQuery()) {
        return new Seen(head, last, rs.next() && rs.getString(1).equals(last.get().hash()));
      }
    }
  }

  /** On the checkpoint thread (or at start): signs and writes the head when it moved on. */
  private synchronized void write(Seen seen) {
    if (!seen.continuous()) {
      if (!seen.against().equals(written)) {
        request(); // compared with a checkpoint replaced since: look again against the current one
        return;
      }
      AuditCheckpoint last = seen.against().orElseThrow();
      LOG.error("the audit log no longer matches its signed checkpoint of {} (row {}; the log now ends at row {}):"
          + " rows were deleted or rewritten, or the database was restored without its checkpoint", last.at(),
          last.seq(), seen.head().seq());
      moveAside();
    } else if (seen.head().seq() <= written.map(AuditCheckpoint::seq).orElse(0L)) {
      return;
    }
    if (seen.head().seq() == 0) {
      return;
    }
    AuditCheckpoint next = new AuditCheckpoint(identity.name(), seen.head().seq(), seen.head().hash(),
        Instant.now(clock));
    try {
      AuditCheckpoint.write(file, next.sign(identity));
      written = Optional.of(next);
    } catch (ProtocolException e) {
      LOG.error("audit checkpoint not written: {}", e.getMessage());
    }
  }

  /** Keeps the current checkpoint file as a conflict for 'audit verify' to report; new rows are covered afresh. */
  private void moveAside() {
    Path kept = file.resolveSibling(AuditCheckpoint.CONFLICT_PREFIX
        + Instant.now(clock).toString().replace(':', '-') + ".jws");
    try {
      Files.move(file, kept);
      LOG.error("the old audit checkpoint is kept as {}; 'audit verify' reports it until an operator has looked"
          + " into it and removed it", kept.getFileName());
    } catch (IOException e) {
      LOG.error("could not keep the old audit checkpoint as {}: {}", kept, e.getMessage());
    }
    written = Optional.empty();
  }

  /** The current checkpoint if it is this node's own; anything else is moved aside as a conflict. */
  private Optional<AuditCheckpoint> readOwn() {
    Optional<String> text;
    try {
      text = AuditCheckpoint.read(file);
    } catch (ProtocolException e) {
      if (!e.code().equals("audit.checkpoint_corrupt")) {
        throw e;
      }
      // Kept as evidence like a checkpoint of another key: 'audit verify' reports it until an operator
      // has compared it with a backup and removed it; new rows are covered by a fresh checkpoint.
      LOG.error("{} is corrupt (not the text of a signed checkpoint)", file.getFileName());
      moveAside();
      return Optional.empty();
    }
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(AuditCheckpoint.verify(text.get(), TrustStore.empty().with(identity.card())));
    } catch (ProtocolException e) {
      LOG.error("{} is not a checkpoint signed by this node ({})", file.getFileName(), e.code());
      moveAside();
      return Optional.empty();
    }
  }

  /** Writes the last checkpoint and stops; call before the database closes. */
  @Override
  public void close() {
    AuditLog.headOf(database).stopTelling(onCommit);
    try {
      files.submit(this::catchUp).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("the last audit checkpoint was not written: {}", e.getMessage());
    }
    files.shutdown();
  }
}
