package jp.tsunagu.node.backup;

import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.backup.BackupTarget;
import jp.tsunagu.federation.backup.Generation;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's backups: one run at a time on a thread of its own (the operator's, or the schedule's),
 * its progress for the admin API, every finished run recorded in the database and the audit log,
 * and the age of the last good backup for readiness and metrics.
 */
public final class NodeBackups implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeBackups.class);
  private static final int RUNS_KEPT = 20;
  /** A daily schedule plus a grace for a long backup: older than this, the last backup is stale. */
  static final Duration STALE_AFTER = Duration.ofHours(26);

  private final NodeConfig config;
  private final Database database;
  private final AuditLog audit;
  private final Clock clock;
  private final BackupJob job;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
    Thread t = new Thread(runnable, "tsunagu-backup");
    t.setDaemon(true);
    return t;
  });
  private final AtomicReference<BackupRun> running = new AtomicReference<>();
  private final Map<String, BackupRun> recent = new LinkedHashMap<>();
  private volatile Optional<Instant> lastSuccess = Optional.empty();
  private volatile Optional<Instant> lastAttempt = Optional.empty();

  NodeBackups(NodeServices services) {
    this.config = services.config();
    this.database = services.database();
    this.audit = new AuditLog(services.database(), services.clock());
    this.clock = services.clock();
    this.job = new BackupJob(services.config(), services.keys(), services.clock());
    if (config.backup().configured()) {
      lastSuccess = newestBackup().map(Generation::createdAt);
      lastAttempt = lastSuccess;
    }
  }

  /** @return whether a target and a recipient are configured */
  public boolean configured() {
    return config.backup().configured();
  }

  /**
   * Starts a backup on the backup thread.
   *
   * @throws CodedException {@code backup.not_configured}, {@code backup.in_progress} (both 409)
   */
  BackupRun start(BackupRun.Trigger trigger, boolean withKeys) {
    if (!configured()) {
      throw new CodedException(CodedException.Kind.CONFLICT, "backup.not_configured",
          "this node has no backup target: set backup.target and backup.recipient in its configuration");
    }
    BackupRun run = new BackupRun(UUID.randomUUID().toString(), trigger, clock.instant());
    if (!running.compareAndSet(null, run)) {
      throw new CodedException(CodedException.Kind.CONFLICT, "backup.in_progress",
          "a backup of this node is being made right now (run " + running.get().id() + "); try again when it has finished");
    }
    lastAttempt = Optional.of(run.startedAt());
    remember(run);
    thread.execute(() -> execute(run, withKeys));
    return run;
  }

  private void execute(BackupRun run, boolean withKeys) {
    try {
      Generation made = job.run(run, withKeys);
      run.succeeded(made, clock.instant());
      lastSuccess = Optional.of(made.createdAt());
      LOG.info("backup {} written to {} ({} bytes, {} attachment objects added)", made.name(), job.target().root(),
          made.archiveBytes(), made.objectsAdded());
    } catch (CodedException e) {
      fail(run, e.code(), e.getMessage(), e);
    } catch (ProtocolException e) {
      fail(run, e.code(), e.getMessage(), e);
    } catch (RuntimeException e) {
      fail(run, "backup.failed", "the backup failed: " + e, e);
    } finally {
      record(run); // before the next run may start, and while the list still shows this one from memory
      running.set(null);
      run.publish();
    }
  }

  private void fail(BackupRun run, String code, String message, Exception cause) {
    run.failed(code, message, clock.instant());
    LOG.error("backup run {} ({}) failed: {}: {}", run.id(), run.trigger().name().toLowerCase(java.util.Locale.ROOT),
        code, message, code.equals("backup.failed") ? cause : null);
  }

  /** Keeps the finished run in the database and the audit log (a backup is a copy of every record). */
  private void record(BackupRun run) {
    JsonObject json = run.toRecord();
    String trigger = json.getString("trigger");
    try {
      database.submitWrite(c -> {
        try (PreparedStatement s = c.prepareStatement("insert into backup_runs (id, trigger, started_at, finished_at,"
            + " state, backup_name, code, message) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
          s.setString(1, run.id());
          s.setString(2, trigger);
          s.setString(3, json.getString("startedAt"));
          s.setString(4, json.getString("finishedAt"));
          s.setString(5, json.getString("state"));
          s.setString(6, run.backup().map(Generation::name).orElse(null));
          JsonObject error = json.getJsonObject("error");
          s.setString(7, error == null ? null : error.getString("code"));
          s.setString(8, error == null ? null : error.getString("message"));
          s.executeUpdate();
        }
        JsonObject detail = new JsonObject().put("run", run.id());
        run.backup().ifPresent(b -> detail.put("backup", b.name()).put("archiveBytes", b.archiveBytes())
            .put("withKeys", b.withKeys()));
        audit.append(c, run.backup().isPresent()
            ? AuditEvent.success(trigger, "backup.created", "node:" + config.node().name(), detail)
            : AuditEvent.refused(trigger, "backup.failed", "node:" + config.node().name(),
                detail.put("code", json.getJsonObject("error").getString("code"))));
        return null;
      }).join();
    } catch (RuntimeException e) {
      LOG.error("backup run {} could not be recorded: {}", run.id(), e.getMessage());
    }
  }

  private synchronized void remember(BackupRun run) {
    recent.put(run.id(), run);
    while (recent.size() > RUNS_KEPT) {
      recent.remove(recent.keySet().iterator().next());
    }
  }

  synchronized Optional<BackupRun> run(String id) {
    return Optional.ofNullable(recent.get(id));
  }

  /** Blocking (reads the target and the database): the backups in the target and the recent runs. */
  JsonObject overview() {
    NodeConfig.Backup settings = config.backup();
    JsonObject json = new JsonObject().put("configured", configured())
        .put("target", settings.target().map(t -> t.resolve(config.node().name()).toString()).orElse(null))
        .put("schedule", settings.dailyAt().map(t -> t + " " + settings.zone()).orElse("off"))
        .put("retention", new JsonObject().put("daily", settings.keepDaily()).put("weekly", settings.keepWeekly())
            .put("monthly", settings.keepMonthly()));
    List<Generation> generations = configured() ? job.target().list() : List.of();
    json.put("backups", new io.vertx.core.json.JsonArray(generations.stream().map(BackupJson::generation).toList()));
    Optional<Generation> newest = generations.stream().filter(Generation::good).findFirst();
    json.put("lastSuccess", newest.map(g -> new JsonObject().put("name", g.name()).put("createdAt", g.createdAt().toString())
        .put("ageSeconds", Duration.between(g.createdAt(), clock.instant()).toSeconds())).orElse(null));
    json.put("stale", stale());
    json.put("runs", new io.vertx.core.json.JsonArray(runs().stream().map(BackupRun::toJson).toList()));
    return json;
  }

  /** The newest runs first: the one running, then those recorded. */
  private List<BackupRun> runs() {
    List<BackupRun> runs = new ArrayList<>();
    BackupRun now = running.get();
    if (now != null) {
      runs.add(now);
    }
    runs.addAll(database.submitRead(c -> {
      List<BackupRun> recorded = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("select id, trigger, started_at, finished_at, state, code, message"
          + " from backup_runs order by started_at desc limit " + RUNS_KEPT); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          if (now != null && now.id().equals(rs.getString(1))) {
            continue; // shown from memory already
          }
          recorded.add(BackupRun.finished(rs.getString(1), BackupRun.Trigger.valueOf(rs.getString(2)
              .toUpperCase(java.util.Locale.ROOT)), Instant.parse(rs.getString(3)), Instant.parse(rs.getString(4)),
              rs.getString(5), rs.getString(6), rs.getString(7)));
        }
      }
      return recorded;
    }).join());
    return runs;
  }

  private Optional<Generation> newestBackup() {
    try {
      return job.target().list().stream().filter(Generation::good).findFirst();
    } catch (ProtocolException e) {
      LOG.warn("the backup target cannot be read: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /** @return when the newest good backup was made, if any */
  public Optional<Instant> lastSuccess() {
    return lastSuccess;
  }

  /** @return when the last run started (or the newest backup was made, after a restart) */
  Optional<Instant> lastAttempt() {
    return lastAttempt;
  }

  /** @return whether a schedule is configured and the newest good backup is older than it allows */
  public boolean stale() {
    if (config.backup().dailyAt().isEmpty()) {
      return false;
    }
    return lastSuccess.map(at -> Duration.between(at, clock.instant()).compareTo(STALE_AFTER) > 0).orElse(true);
  }

  /** Stops the backup thread; a backup cut off here leaves only files aside, cleared by the next one. */
  @Override
  public void close() {
    thread.shutdownNow();
  }

  BackupTarget target() {
    return job.target();
  }
}
