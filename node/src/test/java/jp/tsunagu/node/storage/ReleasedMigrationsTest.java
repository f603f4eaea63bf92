package jp.tsunagu.node.storage;

import static jp.tsunagu.node.storage.DatabaseTest.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.JavaMigration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes in service run databases migrated by an earlier release. Flyway applies a migration only if
 * its version is above the newest one a database has applied: a new migration numbered below that
 * (easy to do when several features reserve numbers at once) makes every upgraded node refuse to
 * start, while new databases, and so every other test, stay fine. This test upgrades a database made
 * with only the released migrations and checks each new migration is numbered above them.
 *
 * <p>When a release lands, its new versions join {@link #RELEASED}.
 */
class ReleasedMigrationsTest {

  /** Every migration version on the last landed release (up to V279). */
  static final Set<Integer> RELEASED = Set.of(1, 2, 3, 4, 5, 6, 7, 8, 10, 14, 16, 18, 20, 21, 22, 26, 27, 28, 40,
      60, 61, 90, 110, 120, 122, 130, 140, 141, 150, 155, 160, 163, 170, 180, 185, 186, 190, 191, 195, 196, 200, 202,
      210, 211, 212, 215, 225, 226, 230, 231, 235, 236, 237, 238, 239, 240, 250,
      253, 254, 255, 256, 257, 258, 259, 260, 261, 270, 272, 273, 276, 277, 278, 279);

  /** A SQL migration, or a Java one (a top-level class of package db.migration, not its nested classes). */
  private static final Pattern NAME = Pattern.compile("V(\\d+)__[^$]+\\.(sql|class)");

  @TempDir
  Path dir;

  @Test
  void every_new_migration_is_numbered_above_the_released_ones() throws Exception {
    int newestReleased = RELEASED.stream().max(Integer::compare).orElseThrow();
    Set<Integer> shipped = new TreeSet<>();
    for (Path file : migrationFiles()) {
      shipped.add(version(file));
    }
    assertThat(shipped).as("a released migration was removed or renumbered").containsAll(RELEASED);
    assertThat(shipped.stream().filter(v -> !RELEASED.contains(v)).toList())
        .as("new migrations must be numbered above V%d, the newest released one", newestReleased)
        .allMatch(v -> v > newestReleased);
  }

  @Test
  void a_database_of_the_last_release_upgrades_to_this_build() throws Exception {
    Path released = Files.createDirectories(dir.resolve("released"));
    List<JavaMigration> releasedJava = new ArrayList<>();
    for (Path file : migrationFiles()) {
      if (!RELEASED.contains(version(file))) {
        continue;
      }
      String name = file.getFileName().toString();
      if (name.endsWith(".class")) {
        releasedJava.add((JavaMigration) Class.forName("db.migration." + name.substring(0, name.length() - 6))
            .getDeclaredConstructor().newInstance());
      } else {
        Files.copy(file, released.resolve(name));
      }
    }
    Path database = dir.resolve("tsunagu.db");
    Flyway.configure().dataSource("jdbc:sqlite:" + database, null, null)
        .locations("filesystem:" + released).javaMigrations(releasedJava.toArray(JavaMigration[]::new))
        .table("schema_history").load().migrate();
    try (Database opened = Database.open(database, SETTINGS)) {
      assertThat(opened.appliedSchemaVersion().toCompletionStage().toCompletableFuture().join())
          .isEqualTo(opened.expectedSchemaVersion());
    }
  }

  private static List<Path> migrationFiles() throws IOException, URISyntaxException {
    Path folder = Paths.get(ReleasedMigrationsTest.class.getResource("/db/migration").toURI());
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(file -> NAME.matcher(file.getFileName().toString()).matches()).sorted().toList();
    }
  }

  private static int version(Path file) {
    Matcher matcher = NAME.matcher(file.getFileName().toString());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(file.toString());
    }
    return Integer.parseInt(matcher.group(1));
  }
}
