package jp.tsunagu.node.storage;

import static jp.tsunagu.node.storage.DatabaseTest.SETTINGS;
import static jp.tsunagu.node.storage.DatabaseTest.count;
import static jp.tsunagu.node.storage.DatabaseTest.update;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committed pages reach the database file on the checkpointer's own thread, long before the writer's
 * automatic checkpoint would copy them (at {@link Database#WAL_CHECKPOINT_PAGES} pages of WAL), and the
 * writer still starts the WAL again from its beginning.
 */
class WalCheckpointerTest {

  private static final String BODY = "訪問看護記録".repeat(200);

  @TempDir
  Path dir;

  @Test
  void committed_pages_are_copied_into_the_database_file_without_waiting_for_the_writers_checkpoint()
      throws Exception {
    Path file = dir.resolve("copied.db");
    try (Database database = Database.open(file, SETTINGS)) {
      database.submitWrite(c -> update(c, "create table notes (id integer primary key, body text not null)")).get();
      long before = Files.size(file);
      // about 80 pages of WAL in 40 commits: far below the writer's own checkpoint
      for (int t = 0; t < 40; t++) {
        database.submitWrite(c -> {
          try (PreparedStatement insert = c.prepareStatement("insert into notes (body) values (?)")) {
            insert.setString(1, BODY);
            return insert.executeUpdate();
          }
        }).get();
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (Files.size(file) < before + 30 * 4096L && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }

      assertThat(Files.size(file)).as("the new rows' pages are in the database file").isGreaterThanOrEqualTo(
          before + 30 * 4096L);
      assertThat(database.submitRead(c -> count(c, "select count(*) from notes")).get()).isEqualTo(40L);
    }
  }
}
