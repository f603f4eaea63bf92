package jp.tsunagu.node.storage;

import static jp.tsunagu.node.storage.DatabaseTest.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import jp.tsunagu.node.config.NodeConfig;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that migrates an existing database to a newer schema first keeps a consistent copy of it,
 * named by both versions, that opens as the older schema with its rows; a new database and a
 * database already at this build's schema get no copy, and the operator can turn the copy off.
 */
class MigrationBackupTest {

  @TempDir
  Path dir;

  @Test
  void migrating_an_existing_database_keeps_a_copy_of_it_at_its_old_schema_first() throws Exception {
    Path file = dir.resolve("tsunagu.db");
    atOldSchema(file, "10");
    try (Database database = Database.open(file, SETTINGS)) {
      assertThat(database.appliedSchemaVersion().toCompletionStage().toCompletableFuture().join())
          .isEqualTo(database.expectedSchemaVersion());
      List<Path> copies = copies();
      assertThat(copies).hasSize(1);
      String name = copies.get(0).getFileName().toString();
      assertThat(name).startsWith("tsunagu.db.v10-before-v" + database.expectedSchemaVersion() + ".");
      try (Connection copy = DriverManager.getConnection("jdbc:sqlite:" + copies.get(0));
          Statement s = copy.createStatement()) {
        assertThat(text(s, "pragma integrity_check")).isEqualTo("ok");
        assertThat(text(s, "select max(cast(version as integer)) from schema_history")).isEqualTo("10");
        assertThat(text(s, "select value from node_meta where key = 'before'")).isEqualTo("kept");
      }
    }
    try (Database again = Database.open(file, SETTINGS)) {
      assertThat(copies()).as("nothing to migrate: no new copy").hasSize(1);
    }
  }

  @Test
  void a_new_database_gets_no_copy_and_the_operator_can_turn_the_copy_off() throws Exception {
    try (Database fresh = Database.open(dir.resolve("fresh.db"), SETTINGS)) {
      assertThat(copies()).isEmpty();
    }
    Path file = dir.resolve("tsunagu.db");
    atOldSchema(file, "10");
    NodeConfig.Storage off = new NodeConfig.Storage(4, Duration.ofSeconds(10), 256, false);
    try (Database database = Database.open(file, off)) {
      assertThat(copies()).isEmpty();
    }
  }

  /** A database as an older build left it: migrated up to {@code version}, with a row of its own. */
  private static void atOldSchema(Path file, String version) throws Exception {
    Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null).locations("classpath:db/migration")
        .table("schema_history").target(version).load().migrate();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.executeUpdate("insert into node_meta (key, value) values ('before', 'kept')");
    }
  }

  private List<Path> copies() throws Exception {
    Path folder = dir.resolve(Migrations.BACKUPS);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.toList();
    }
  }

  private static String text(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
