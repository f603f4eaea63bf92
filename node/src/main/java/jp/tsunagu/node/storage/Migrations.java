package jp.tsunagu.node.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import jp.tsunagu.node.config.NodeConfig;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Versioned schema migrations (Flyway, {@code classpath:db/migration}, {@code V<n>__<what>.sql}). */
final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final String HISTORY_TABLE = "schema_history";
  /** The one migration that runs outside Flyway's transaction, in one of its own. */
  private static final String REBUILT_IN_OWN_TRANSACTION = "279";

  private Migrations() {}

  /** Where the copies taken before migrations are kept, beside the database. */
  static final String BACKUPS = "backups-before-migration";

  /** Applies pending migrations and returns the newest version this build ships. */
  static String migrate(String url, Path file, NodeConfig.Storage settings) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout((int) settings.busyTimeout().toMillis());
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl(url);
    Flyway flyway = Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .table(HISTORY_TABLE)
        .load();
    MigrationInfoService before = flyway.info(); // one read of the schema history for both checks
    refuseNewerSchema(before);
    forgetFailuresRolledBack(dataSource, before);
    if (settings.backupBeforeMigration()) {
      keepCopyBeforeMigrating(before, dataSource, file);
    }
    MigrateResult result = flyway.migrate();
    if (result.migrationsExecuted > 0) {
      LOG.info("applied {} schema migration(s), now at version {}", result.migrationsExecuted, result.targetSchemaVersion);
    }
    MigrationInfo newest = null;
    for (MigrationInfo info : flyway.info().all()) {
      newest = info;
    }
    return newest == null ? "0" : newest.getVersion().getVersion();
  }

  /**
   * A failed V279 is tried again at the next start. Every other migration runs in a transaction of
   * Flyway's, rolled back together with the record of its failure; V279 cannot (it turns foreign keys off
   * between transactions) and rolls its own transaction back before it fails, so its record of a failure,
   * which would stop every later start, names a change not made. Only that record is dropped (Flyway's
   * repair would also accept changed checksums of applied migrations).
   */
  private static void forgetFailuresRolledBack(SQLiteDataSource dataSource, MigrationInfoService history) {
    if (java.util.Arrays.stream(history.all()).noneMatch(info -> info.getState().isFailed()
        && info.getVersion() != null && info.getVersion().getVersion().equals(REBUILT_IN_OWN_TRANSACTION))) {
      return;
    }
    try (Connection connection = dataSource.getConnection();
        java.sql.PreparedStatement statement = connection.prepareStatement(
            "delete from " + HISTORY_TABLE + " where success = 0 and version = ?")) {
      statement.setString(1, REBUILT_IN_OWN_TRANSACTION);
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new StorageException("storage.migration_history", "the record of the failed migration V"
          + REBUILT_IN_OWN_TRANSACTION + " could not be dropped: " + e.getMessage(), e);
    }
  }

  /**
   * A database a newer build has migrated is not opened: this build cannot know what the newer
   * schema means, and writing to it could lose data. Going back to an older build is a restore of
   * the backup taken before the upgrade.
   */
  private static void refuseNewerSchema(MigrationInfoService history) {
    MigrationInfo[] all = history.all();
    java.util.List<MigrationInfo> future = java.util.Arrays.stream(all)
        .filter(info -> info.getState().name().startsWith("FUTURE")).toList();
    if (!future.isEmpty()) {
      String applied = future.get(future.size() - 1).getVersion().getVersion();
      String shipped = java.util.Arrays.stream(all).filter(info -> !future.contains(info))
          .reduce((first, second) -> second).map(info -> info.getVersion().getVersion()).orElse("0");
      throw new StorageException("storage.schema_newer", "the database is at schema version " + applied
          + ", newer than this build's " + shipped + ": it was written by a newer Tsunagu. Start that build,"
          + " or restore the backup taken before the upgrade (a downgrade is a restore)", null);
    }
  }

  /**
   * Before migrating an existing database (not a new one) to a newer schema, keeps a consistent copy of
   * it ({@code VACUUM INTO}: a snapshot made by SQLite itself, never a file copy of a live database)
   * beside it, named by the versions, and logs where: going back is restoring that copy with the older
   * build. A copy that cannot be made stops the start; migrating without it is the operator's choice
   * ({@code storage.backupBeforeMigration: off}).
   */
  private static void keepCopyBeforeMigrating(MigrationInfoService info, SQLiteDataSource dataSource, Path file) {
    MigrationInfo current = info.current();
    MigrationInfo[] pending = info.pending();
    if (current == null || current.getVersion() == null || pending.length == 0) {
      return;
    }
    String from = current.getVersion().getVersion();
    String to = pending[pending.length - 1].getVersion().getVersion();
    Path folder = file.toAbsolutePath().getParent().resolve(BACKUPS);
    Path copy = folder.resolve(file.getFileName() + ".v" + from + "-before-v" + to + "."
        + java.time.Instant.now().toString().replace(':', '-') + ".db");
    try {
      java.nio.file.Files.createDirectories(folder);
      try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
        statement.execute("vacuum into '" + copy.toString().replace("'", "''") + "'");
      }
    } catch (SQLException | java.io.IOException e) {
      throw new StorageException("storage.backup_failed", "the copy of the database before migrating it from"
          + " schema " + from + " to " + to + " could not be written to " + copy + ": " + e.getMessage()
          + " (free space there, or set storage.backupBeforeMigration to off to migrate without it)", e);
    }
    LOG.warn("migrating the database from schema {} to {}; its copy from before is {}", from, to, copy);
  }

  /** The newest successfully applied version recorded in the database, or "0". */
  static String appliedVersion(Connection connection) throws SQLException {
    String sql = "select version from " + HISTORY_TABLE
        + " where success = 1 and version is not null order by installed_rank desc limit 1";
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : "0";
    }
  }
}
