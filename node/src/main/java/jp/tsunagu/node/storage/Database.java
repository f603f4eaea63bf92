package jp.tsunagu.node.storage;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.context.storage.AccessMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import jp.tsunagu.node.config.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The node's SQLite database: one file, WAL, {@code synchronous=FULL}, foreign keys on. All writes
 * go through one writer thread with group commit ({@link WriteQueue}); reads run on a small pool of
 * read-only connections, which WAL lets proceed while a write commits. Callers never block an
 * event loop: every method returns a future.
 */
public final class Database implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private static final int READER_STATEMENTS_KEPT = 128;
  /** Where a request's {@link JoinedWork} waits on its context for the request's next write. */
  private static final String JOINED = JoinedWork.class.getName();
  /**
   * SQLite's own page cache per reader connection, in KiB (negative, as the pragma takes it). The
   * default 2 MiB holds a few timelines: with many professionals reading, each page of 50 posts then
   * re-decodes most of its B-tree pages (1.5 ms instead of 0.15 ms). 64 MiB per reader keeps the
   * pages of the boards in daily use between commits (in WAL mode SQLite empties a connection's
   * cache when another connection has committed; the first page of each timeline is kept apart, in
   * the care feature's own cache, for that reason).
   */
  private static final int READER_CACHE_KIB = 64 * 1024;
  /**
   * WAL pages after which the writer's commit copies them into the database file (SQLite's default is
   * 1,000). Until its first checkpoint a WAL is appended to and grows; after it, SQLite writes it again
   * from its start, over blocks the file already has. On this machine's disk a 4 KiB write synced over
   * a kept file took 264 us, appended to a growing one 543 us (with {@code fsync}, which SQLite uses,
   * the file's size and times then go to the file system's journal too): with 1,000 pages the first
   * 4 MiB of commits after each start paid the dearer sync (in the foundation benchmark, 4 MiB of WAL grew
   * in every round of 32,000 writes; now 1 MiB). With 256 pages the WAL wraps after 1 MiB; the
   * checkpoints come four times as often, each with the {@code fsync} of the database file.
   */
  static final int WAL_CHECKPOINT_PAGES = 256;
  /**
   * The most bytes of WAL kept on disk after a checkpoint let SQLite write it again from its start: a
   * large transaction (a gateway's backlog) or readers holding a checkpoint back may grow it past its
   * usual 1 MiB, and without a limit the file would keep that size until the database is closed.
   */
  static final long WAL_KEPT_BYTES = 4L << 20;

  private final String url;
  private final NodeConfig.Storage settings;
  private final Map<Object, WriterState<?>> writerStates = new ConcurrentHashMap<>();
  /**
   * The touch tables' look first, plain hooks next, then acknowledging ones, each in the order registered
   * (see {@link #hook}).
   */
  private final List<CommitHook<?>> commitHooks = new CopyOnWriteArrayList<>();
  private final Map<Object, Boolean> commitHookKeys = new ConcurrentHashMap<>();
  /** The touch tables' one look per transaction, run as the first hook (see {@link #touchTableHook}). */
  private final TouchLooks touchLooks = new TouchLooks();
  private int acknowledgingHooks;
  private final List<Consumer<Set<String>>> replicationListeners = new CopyOnWriteArrayList<>();
  /** Told on the writer when {@link #forgetWriterStates} runs. */
  private final List<Runnable> forgetting = new CopyOnWriteArrayList<>();
  private final Map<String, java.util.function.Function<JsonObject, SqlWork<?>>> relayable = new ConcurrentHashMap<>();
  private volatile LeaderRelay relay;
  private final WriteQueue writes;
  private final WriteProbe probe;
  private final Connection writer;
  private final ExecutorService readers;
  private final List<Connection> readerConnections = new CopyOnWriteArrayList<>();
  private final ThreadLocal<StatementCache> readerConnection = new ThreadLocal<>();
  private final EffectiveSettings effectiveSettings;
  private final WorkCounts.Counters counts = new WorkCounts.Counters();
  private final String expectedSchemaVersion;
  private final RequestPaths requestPaths = new RequestPaths();

  private Database(Path file, NodeConfig.Storage settings) throws SQLException {
    this.url = "jdbc:sqlite:" + file.toAbsolutePath();
    this.settings = settings;
    this.expectedSchemaVersion = Migrations.migrate(url, file, settings);
    this.writer = connect(false);
    this.effectiveSettings = EffectiveSettings.readFrom(writer);
    Consumer<Void> nothingToTell = looked -> { };
    commitHooks.add(new CommitHook<>(touchLooks::look, nothingToTell));
    this.writes = new WriteQueue(writer, settings.maxWriteBatch(), writerStates.values(), commitHooks,
        counts);
    this.probe = new WriteProbe(writes);
    AtomicInteger readerNumber = new AtomicInteger();
    this.readers = Executors.newFixedThreadPool(settings.readConnections(), runnable -> {
      Thread thread = new Thread(runnable, "tsunagu-sqlite-reader-" + readerNumber.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Opens (creating if needed) and migrates the database file. */
  public static Database open(Path file, NodeConfig.Storage settings) {
    try {
      Database database = new Database(file, settings);
      LOG.info("database {} open: journal_mode={} synchronous={} foreign_keys={} busy_timeout={}ms sqlite={} schema={}",
          file.getFileName(), database.effectiveSettings.journalMode(), database.effectiveSettings.synchronous(),
          database.effectiveSettings.foreignKeys(), database.effectiveSettings.busyTimeoutMillis(),
          database.effectiveSettings.sqliteVersion(), database.expectedSchemaVersion);
      if (!database.effectiveSettings.durable()) {
        database.close();
        throw new StorageException("storage.not_durable",
            "SQLite did not accept WAL + synchronous=FULL + foreign keys on " + file, null);
      }
      return database;
    } catch (SQLException e) {
      throw new StorageException("storage.unavailable", "cannot open database " + file + ": " + e.getMessage(), e);
    }
  }

  private Connection connect(boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout((int) settings.busyTimeout().toMillis());
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    // Each write runs in a savepoint; keep its sub-journal in memory instead of a temp file.
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    // No feature reads generated keys; left on, the driver runs "select last_insert_rowid()" after
    // every insert.
    config.setGetGeneratedKeys(false);
    // No memory map of the file: every audited read appends to it, and each time the file grew,
    // every connection unmapped and mapped it again and faulted its pages back in. Measured on the
    // timeline benchmark's data set (3 million posts), a page read from the database took 0.86-0.90
    // ms of CPU with pread() from the operating system's cache against 1.1-1.3 ms with a map.
    config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, "0");
    if (readOnly) {
      config.setCacheSize(-READER_CACHE_KIB);
    } else {
      config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, String.valueOf(WAL_CHECKPOINT_PAGES));
      config.setPragma(SQLiteConfig.Pragma.JOURNAL_SIZE_LIMIT, String.valueOf(WAL_KEPT_BYTES));
    }
    Connection connection = DriverManager.getConnection(url, config.toProperties());
    if (readOnly) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("pragma query_only = 1");
      }
    }
    return connection;
  }

  /** Queues a write; the future completes once it is durably committed, or fails alone. */
  public <T> CompletableFuture<T> submitWrite(SqlWork<T> work) {
    return writes.submit(work);
  }

  /**
   * {@link #submitWrite} in the writer's bulk lane, for large machine-delivered writes (a gateway's batch
   * of readings): committed, as durably, in a transaction of its own when no interactive write is queued
   * (or in turn with them), so that people's writes wait for at most the bulk write already running;
   * those queued by the time it is done are committed in its transaction, as durably.
   */
  public <T> CompletableFuture<T> submitBulkWrite(SqlWork<T> work) {
    return writes.submitBulk(work);
  }

  /**
   * Whether a person's write (not the bulk lane's) is queued at the writer now. A bulk write that can
   * stop between parts asks it inside its transaction: it takes more parts while nobody waits, and
   * ends its transaction at the next part when somebody does.
   */
  public boolean interactiveWriteWaiting() {
    return writes.interactiveWaiting();
  }

  /** {@link #submitBulkWrite} for Vert.x code: the result is delivered on the caller's context. */
  public <T> Future<T> writeBulk(SqlWork<T> work) {
    return onCallerContext(submitBulkWrite(work));
  }

  /**
   * The writer's in-memory value registered under {@code key} (created on first call, with how to
   * read it from the database and what to tell after each commit that changed it); every caller
   * with the same key shares it.
   */
  @SuppressWarnings("unchecked")
  public <T> WriterState<T> writerState(Object key, SqlWork<T> load, Consumer<T> onCommit) {
    return (WriterState<T>) writerStates.computeIfAbsent(key, k -> new WriterState<>(load, onCommit));
  }

  /**
   * Registers, under {@code key}, work to run at the end of every write transaction before it
   * commits (on the writer's connection, inside the transaction) and what to do with its result
   * once the commit is durable; the first registration under a key stands. Writes already queued
   * may commit before the hook takes part.
   */
  public <T> void commitHook(Object key, SqlWork<T> beforeCommit, Consumer<T> afterCommit) {
    hook(key, new CommitHook<>(beforeCommit, afterCommit), false);
  }

  /**
   * A {@link #commitHook} whose follow-up also says when the transaction's writes may be answered:
   * their futures complete only once the returned stage does, and fail with
   * {@code storage.outcome_unknown} if it fails (the transaction stays committed here). Several
   * instances of a node use it to answer a write only after followers applied it.
   */
  public <T> void acknowledgingCommitHook(Object key, SqlWork<T> beforeCommit,
      java.util.function.Function<T, java.util.concurrent.CompletionStage<?>> acknowledged) {
    hook(key, new CommitHook<>(beforeCommit, acknowledged), true);
  }

  /**
   * An {@link #acknowledgingCommitHook} whose result goes out just before the commit statement rather
   * than after the commit (see {@link CommitHook.SentBeforeCommit}): a clustered leader ships its batch
   * so that the followers' commits overlap its own. A write is still answered only once its commit here
   * is durable and the stage {@code send} returned completed; when the commit fails after the batch went
   * out, its writes are answered {@code storage.outcome_unknown} and not run again.
   */
  public <T> void sentBeforeCommitHook(Object key, SqlWork<T> beforeCommit, CommitHook.SentBeforeCommit<T> sending) {
    hook(key, new CommitHook<>(beforeCommit, sending), true);
  }

  /**
   * Whether writes are answered only once an {@link #acknowledgingCommitHook acknowledging hook} says so
   * (an instance of a clustered node): a write committed here may then not be acknowledged yet.
   */
  public synchronized boolean acknowledgesWrites() {
    return acknowledgingHooks > 0;
  }

  /**
   * A {@link #commitHook} whose look at the transaction is a {@link TouchTable}'s select: the writer reads
   * every touch table in one statement before the hooks run, and hands each its own rows.
   */
  public <T> void touchTableHook(Object key, TouchTable<T> table, Consumer<T> afterCommit) {
    touchTableHook(key, table, new CommitHook<>(lookAt(table), afterCommit));
  }

  /**
   * A {@link #commitHook} whose follow-up is told, with its result, what the transaction's writes wait
   * for before they are answered (see {@link #touchTableHookAwaitingAnswers}, the same for a touch table).
   */
  public <T> void commitHookAwaitingAnswers(Object key, SqlWork<T> beforeCommit,
      java.util.function.BiConsumer<T, java.util.concurrent.CompletionStage<Void>> afterCommit) {
    hook(key, new CommitHook<>(beforeCommit, afterCommit), false);
  }

  /**
   * A {@link #touchTableHook} whose follow-up is told, with its rows, what the transaction's writes wait
   * for before they are answered: null where nothing holds them (a single instance, a follower applying
   * its leader's batch), else the stage of the {@link #acknowledgingCommitHook acknowledging hooks} (a
   * clustered leader's, until followers applied the batch), failed where they fail. It runs after every
   * other hook's follow-up, on the writer thread, in commit order: for what must not be told of before
   * the writes may be answered (live events, whose ids a deposed leader's lost batch would give again).
   */
  public <T> void touchTableHookAwaitingAnswers(Object key, TouchTable<T> table,
      java.util.function.BiConsumer<T, java.util.concurrent.CompletionStage<Void>> afterCommit) {
    touchTableHook(key, table, new CommitHook<>(lookAt(table), afterCommit));
  }

  /** The rows of {@code table} that the writer's one look before the hooks found. */
  private <T> SqlWork<T> lookAt(TouchTable<T> table) {
    return c -> touchLooks.take(c, table);
  }

  /** Registers the hook and, with it, its table in the one look; neither when the key is taken. */
  private synchronized void touchTableHook(Object key, TouchTable<?> table, CommitHook<?> hook) {
    if (hook(key, hook, false)) {
      touchLooks.add(table);
    }
  }

  /**
   * Adds a hook unless one is registered under {@code key}; answers whether it did. Hooks run in a fixed
   * order: the touch tables' look first, plain ones next, then acknowledging ones, so that replication (an
   * acknowledging hook) gathers whatever the other hooks wrote in the transaction, and never depends on
   * the order of a hash map.
   */
  private synchronized boolean hook(Object key, CommitHook<?> hook, boolean acknowledging) {
    if (commitHookKeys.putIfAbsent(key, Boolean.TRUE) != null) {
      return false;
    }
    if (acknowledging) {
      commitHooks.add(hook);
      acknowledgingHooks++;
    } else {
      commitHooks.add(commitHooks.size() - acknowledgingHooks, hook);
    }
    return true;
  }

  /**
   * Makes the writer read every in-memory value ({@link #writerState}) again from the database at its
   * next use: an instance that becomes a clustered node's leader received its rows by replication,
   * past the values its writer may still hold from when it led before.
   */
  public CompletableFuture<Void> forgetWriterStates() {
    return submitWrite(c -> {
      writerStates.values().forEach(WriterState::rolledBack);
      forgetting.forEach(Runnable::run);
      return null;
    });
  }

  /**
   * Registers what the writer runs, on its thread, each time {@link #forgetWriterStates} does: before any
   * write of an instance that becomes a clustered node's leader. For a value kept beside the writer that,
   * unlike a {@link #writerState}, must not be read again after a transaction rolls back, only here.
   */
  public void onForgetWriterStates(Runnable onWriter) {
    forgetting.add(onWriter);
  }

  /**
   * Registers what to do when rows arrive by replication rather than through this process's own
   * writes (an instance of a clustered node applying its leader's batch): what a feature keeps in
   * memory from those tables is read again. Told the names of the tables that changed.
   */
  public void onReplicated(Consumer<Set<String>> listener) {
    replicationListeners.add(listener);
  }

  /** Rows of {@code tables} arrived by replication and are committed (called by the cluster's link). */
  public void replicated(Set<String> tables) {
    for (Consumer<Set<String>> listener : replicationListeners) {
      try {
        listener.accept(tables);
      } catch (RuntimeException e) {
        LOG.warn("a listener for replicated rows failed", e);
      }
    }
  }

  /**
   * Registers a write that may be given as data ({@link LeaderRelay}): {@code work} makes the write
   * from the values. Every instance registers the same kinds (the same build); the first
   * registration of a kind stands.
   */
  public void relayable(String kind, java.util.function.Function<JsonObject, SqlWork<?>> work) {
    relayable.putIfAbsent(kind, work);
  }

  /** Where writes given as data go while this instance does not write (set by a clustered node's instance). */
  public void relayTo(LeaderRelay leader) {
    this.relay = leader;
  }

  /**
   * The way to the leader when writes made here must go there now; empty on a single instance and
   * on the leader, which write as always.
   */
  public Optional<LeaderRelay> relay() {
    LeaderRelay current = relay;
    return current != null && current.relays() ? Optional.of(current) : Optional.empty();
  }

  /**
   * The leader's side of {@link LeaderRelay}: makes the writes, given as kinds and values, in one
   * transaction, which commits (and is answered) as every other write. A kind this build does not
   * know fails the whole, before anything is written.
   */
  public Future<Void> writeRelayed(List<Map.Entry<String, JsonObject>> writes) {
    List<SqlWork<?>> works = new java.util.ArrayList<>(writes.size());
    for (Map.Entry<String, JsonObject> write : writes) {
      java.util.function.Function<JsonObject, SqlWork<?>> work = relayable.get(write.getKey());
      if (work == null) {
        return Future.failedFuture(new StorageException("storage.relay_unknown",
            "no relayed write of kind " + write.getKey(), null));
      }
      works.add(work.apply(write.getValue()));
    }
    return writeAside(c -> {
      for (SqlWork<?> work : works) {
        work.run(c);
      }
      return null;
    });
  }

  /**
   * Runs a read on a reader connection. One asked for after the database has closed (a timer's, while the node
   * stops) fails with {@code storage.closed}, as a write does, instead of throwing at its caller.
   */
  public <T> CompletableFuture<T> submitRead(SqlWork<T> work) {
    try {
      return CompletableFuture.supplyAsync(() -> {
        counts.reads.increment();
        try {
          return work.run(currentReader());
        } catch (SQLException e) {
          throw new StorageException("storage.read_failed", "the read failed", e);
        }
      }, readers);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new StorageException("storage.closed", "the database is closed", e));
    }
  }

  /**
   * {@link #submitWrite} for Vert.x code: the result is delivered on the caller's context. Work a
   * request bound with {@link #joinNextWrite} runs in the same transaction, after {@code work}.
   */
  public <T> Future<T> write(SqlWork<T> work) {
    Context context = Vertx.currentContext();
    JoinedWork joined = context instanceof ContextInternal request ? takeJoined(request) : null;
    if (joined == null) {
      return writeAside(work);
    }
    SqlWork<T> both = c -> {
      T value = work.run(c);
      joined.work().run(c, value);
      return value;
    };
    return onCallerLoop(both).andThen(done -> {
      if (done.succeeded()) {
        joined.afterCommit().run();
      } else {
        // Nothing of it is committed: the request's next write may still carry it.
        ((ContextInternal) context).localContextData().putIfAbsent(JOINED, joined);
      }
    });
  }

  /** The request's bound work, if any; never makes the context's local data where there is none. */
  private static JoinedWork takeJoined(ContextInternal context) {
    Map<Object, Object> locals = context.isDuplicate()
        ? context.getLocal(ContextInternal.LOCAL_MAP, AccessMode.CONCURRENT) : null;
    return locals == null ? null : (JoinedWork) locals.remove(JOINED);
  }

  /**
   * {@link #writeAside} for a write whose caller sends nothing more until it is answered, so that
   * writes queued behind it come only after its answer: the writer commits it with the writes queued
   * and does not hold its transaction open for more to join it (what it does for people's writes, whose
   * senders, answered by the last commit, are about to send their next). An instance of a clustered
   * node applies its leader's batches so: the leader sends the next ones only after its next commit, and
   * its writes wait for this one's answer, so every millisecond held open here is added to them.
   */
  public <T> Future<T> writeUnheld(SqlWork<T> work) {
    return onCallerLoop(new UnheldWork<>(work));
  }

  /**
   * A write that never carries the work a request bound with {@link #joinNextWrite}: for records
   * written beside what a request does (an audited refusal or read), which are not what it creates.
   */
  public <T> Future<T> writeAside(SqlWork<T> work) {
    return onCallerLoop(work);
  }

  /**
   * A write answered on the caller's context; on an event loop, through the writer's per-loop hand-off
   * (see {@link EventLoopAnswers}) rather than a future per write.
   */
  private <T> Future<T> onCallerLoop(SqlWork<T> work) {
    if (!(Vertx.currentContext() instanceof ContextInternal context)) {
      return onCallerContext(submitWrite(work));
    }
    io.vertx.core.internal.PromiseInternal<T> promise = context.promise();
    writes.submit(work, promise, requestPaths.step(true));
    return promise.future();
  }

  /**
   * Binds {@code work} to the next {@link #write} made on the caller's request context, to run in
   * the same transaction (a crash then leaves both or neither), after that write's own work and with
   * what it returned, and {@code afterCommit} to run once that write has committed. Called on a
   * request's handler, whose context Vert.x duplicated for it.
   */
  public void joinNextWrite(JoinedSqlWork work, Runnable afterCommit) {
    if (!(Vertx.currentContext() instanceof ContextInternal request) || !request.isDuplicate()) {
      throw new StorageException("storage.no_request_context", "work can be bound only on a request's context", null);
    }
    request.localContextData().put(JOINED, new JoinedWork(work, afterCommit));
  }

  /** {@link #submitRead} for Vert.x code: the result is delivered on the caller's context. */
  public <T> Future<T> read(SqlWork<T> work) {
    RequestPaths.Step step = requestPaths.step(false);
    if (step == null) {
      return onCallerContext(submitRead(work));
    }
    return onCallerContext(submitRead(c -> {
      step.started = System.nanoTime();
      try {
        return work.run(c);
      } finally {
        step.worked = System.nanoTime();
      }
    })).andThen(done -> step.answered = System.nanoTime());
  }

  /** Where the requests' storage steps are recorded when a benchmark asks (see {@link RequestPaths}). */
  public RequestPaths requestPaths() {
    return requestPaths;
  }

  private static <T> Future<T> onCallerContext(CompletableFuture<T> future) {
    Context context = Vertx.currentContext();
    // Completing a new stage with the unwrapped cause: throwing from handle() would wrap it in a
    // CompletionException again, and callers would see that instead of e.g. their CodedException.
    CompletableFuture<T> unwrapped = new CompletableFuture<>();
    future.whenComplete((value, error) -> {
      if (error != null) {
        unwrapped.completeExceptionally(unwrap(error));
      } else {
        unwrapped.complete(value);
      }
    });
    return context == null ? Future.fromCompletionStage(unwrapped) : Future.fromCompletionStage(unwrapped, context);
  }

  private static RuntimeException unwrap(Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    return cause instanceof RuntimeException runtime ? runtime
        : new StorageException("storage.failed", "storage operation failed", cause);
  }

  private Connection currentReader() throws SQLException {
    StatementCache statements = readerConnection.get();
    if (statements == null) {
      Connection connection = connect(true);
      statements = new StatementCache(connection, READER_STATEMENTS_KEPT, counts.readStatements);
      readerConnection.set(statements);
      readerConnections.add(connection);
    }
    return statements.connection();
  }

  /** The work done since the database was opened (reads, writes, their statements, commits). */
  public WorkCounts workCounts() {
    return counts.snapshot();
  }

  /** Where the writer thread's time went since the database was opened (transactions, their commits). */
  public WriterTimes writerTimes() {
    return writes.times();
  }

  /** The schema version a database file's migrations reached, as its connection reads it ("0": none yet). */
  public static String schemaVersion(java.sql.Connection connection) throws java.sql.SQLException {
    return Migrations.appliedVersion(connection);
  }

  /** Why writes fail now (a full disk, an I/O error), empty while the database takes them. */
  public Optional<WriteFault> writeFault() {
    return writes.fault();
  }

  /**
   * While {@link #writeFault} names a fault, tries a write that needs room ({@link WriteProbe}), which
   * clears the fault if it commits; completes, never failing, once it is done (at once without a fault).
   * Readiness asks it, so a node that was full is ready again as soon as it can write, with no write
   * from outside.
   */
  public Future<Void> probeWrites() {
    return writeFault().isEmpty() ? Future.succeededFuture() : onCallerContext(probe.run());
  }

  public EffectiveSettings effectiveSettings() {
    return effectiveSettings;
  }

  /** The newest migration version shipped with this build. */
  public String expectedSchemaVersion() {
    return expectedSchemaVersion;
  }

  /** The newest migration version recorded as applied in the database file. */
  public Future<String> appliedSchemaVersion() {
    return read(Migrations::appliedVersion);
  }

  @Override
  public void close() {
    writes.close();
    readers.shutdown();
    try {
      readers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Connection connection : readerConnections) {
      closeQuietly(connection);
    }
    closeQuietly(writer);
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.warn("closing a database connection failed", e);
    }
  }
}
