package jp.tsunagu.node.storage;

import static jp.tsunagu.node.storage.DatabaseTest.SETTINGS;
import static jp.tsunagu.node.storage.DatabaseTest.update;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer counts how often it found no write queued and blocked until one came: what each caller's
 * write then costs in wake-ups, printed by the foundation benchmark as waits a commit.
 */
class WriterWaitsTest {

  @TempDir
  Path dir;

  @Test
  void an_idle_writer_counts_one_wait_before_it_starts_and_one_after_each_write_it_committed_alone()
      throws Exception {
    try (Database database = Database.open(dir.resolve("waits.db"), SETTINGS)) {
      assertThat(awaitBlocked(database).waitsForWrites()).as("nothing queued yet: it blocks at once").isEqualTo(1);
      database.submitWrite(c -> update(c, "create table marks (n integer)")).get();
      for (int n = 0; n < 3; n++) {
        // woken by each write, it commits it alone, then blocks again: one wait more, never a spin first
        WriterTimes rest = awaitBlocked(database);
        assertThat(rest.transactions()).isEqualTo(1 + n);
        assertThat(rest.waitsForWrites()).isEqualTo(rest.transactions() + 1);
        int value = n;
        database.submitWrite(c -> update(c, "insert into marks values (" + value + ")")).get();
      }
    }
  }

  /** The writer's times once it is blocked after its last transaction (by its own count, not by the clock). */
  private static WriterTimes awaitBlocked(Database database) throws InterruptedException {
    WriterTimes times = database.writerTimes();
    for (int i = 0; i < 10_000 && times.waitsForWrites() <= times.transactions(); i++) {
      Thread.sleep(1);
      times = database.writerTimes();
    }
    return times;
  }
}
