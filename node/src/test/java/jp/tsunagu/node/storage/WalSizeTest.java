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
 * The WAL is written over from its start once a checkpoint emptied it, so that a commit's sync finds
 * the file at its size (a growing file makes each sync dearer), and it stays small and bounded.
 */
class WalSizeTest {

  /** A frame of the WAL: its header and a 4 KiB page. */
  private static final long FRAME = 24 + 4096;
  private static final String BODY = "訪問看護記録".repeat(200);

  @TempDir
  Path dir;

  private static void commitRows(Database database, int transactions, int rowsEach) throws Exception {
    for (int t = 0; t < transactions; t++) {
      database.submitWrite(c -> {
        try (PreparedStatement insert = c.prepareStatement("insert into notes (body) values (?)")) {
          for (int r = 0; r < rowsEach; r++) {
            insert.setString(1, BODY);
            insert.executeUpdate();
          }
        }
        return null;
      }).get();
    }
  }

  @Test
  void after_its_first_checkpoint_a_steady_stream_of_commits_writes_the_wal_over_instead_of_growing_it()
      throws Exception {
    Path file = dir.resolve("steady.db");
    Path wal = dir.resolve("steady.db-wal");
    try (Database database = Database.open(file, SETTINGS)) {
      database.submitWrite(c -> update(c, "create table notes (id integer primary key, body text not null)")).get();
      // each commit a page or two: past the checkpoint's 256 pages, so the WAL has wrapped
      commitRows(database, 300, 1);
      long wrapped = Files.size(wal);
      commitRows(database, 300, 1);

      assertThat(Files.size(wal)).as("written over from its start, not grown")
          .isLessThanOrEqualTo(wrapped + 4 * FRAME);
      assertThat(wrapped).isLessThanOrEqualTo(32 + (Database.WAL_CHECKPOINT_PAGES + 8) * FRAME);
      assertThat(database.submitRead(c -> count(c, "select count(*) from notes")).get()).isEqualTo(600);
    }
  }

  @Test
  void a_wal_a_large_transaction_grew_is_cut_back_to_the_kept_size_once_it_is_written_over_again() throws Exception {
    Path file = dir.resolve("large.db");
    Path wal = dir.resolve("large.db-wal");
    try (Database database = Database.open(file, SETTINGS)) {
      database.submitWrite(c -> update(c, "create table notes (id integer primary key, body text not null)")).get();
      commitRows(database, 1, 3_000);
      assertThat(Files.size(wal)).as("one transaction of about 2,000 pages").isGreaterThan(Database.WAL_KEPT_BYTES);

      commitRows(database, 3, 1);

      assertThat(Files.size(wal)).isLessThanOrEqualTo(Database.WAL_KEPT_BYTES);
      assertThat(database.submitRead(c -> count(c, "select count(*) from notes")).get()).isEqualTo(3_003);
    }
  }
}
