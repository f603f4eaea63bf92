package jp.tsunagu.node.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import jp.tsunagu.node.config.NodeConfig;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Versioned schema migrations (Flyway, {@code classpath:db/migration}, {@code V<n>__<what>.sql}). */
final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final String HISTORY_TABLE = "schema_history";

  private Migrations() {}

  /** Applies pending migrations and returns the newest version this build ships. */
  static String migrate(String url, NodeConfig.Storage settings) {
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

  /** The newest successfully applied version recorded in the database, or "0". */
  static String appliedVersion(Connection connection) throws SQLException {
    String sql = "select version from " + HISTORY_TABLE
        + " where success = 1 and version is not null order by installed_rank desc limit 1";
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : "0";
    }
  }
}
