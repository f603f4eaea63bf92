package jp.tsunagu.node.storage;

import static jp.tsunagu.node.storage.DatabaseTest.SETTINGS;
import static jp.tsunagu.node.storage.DatabaseTest.update;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a transaction of several writes the writer holds the next one open for more writes to join it
 * (their senders, just answered, are about to send them); a write made with
 * {@link Database#writeUnheld} (a follower applying its leader's batch, whose next batch comes only
 * after this one's answer) is committed without that wait. Told by the writer's own count of the time
 * transactions were held open, not by the clock.
 */
class UnheldWriteTest {

  @TempDir
  Path dir;

  @Test
  void a_write_after_a_transaction_of_several_is_held_open_for_more_but_an_unheld_one_is_not() throws Exception {
    try (Database database = Database.open(dir.resolve("unheld.db"), SETTINGS)) {
      database.submitWrite(c -> update(c, "create table marks (n integer)")).get();

      severalInOneTransaction(database);
      WriterTimes before = database.writerTimes();
      database.submitWrite(c -> update(c, "insert into marks values (1)")).get();
      WriterTimes held = database.writerTimes().minus(before);
      assertThat(held.transactions()).isEqualTo(1);
      assertThat(held.gatherNanos()).as("a people's write alone after several: held open for more").isPositive();

      severalInOneTransaction(database);
      before = database.writerTimes();
      database.writeUnheld(c -> update(c, "insert into marks values (2)")).toCompletionStage().toCompletableFuture()
          .get();
      WriterTimes unheld = database.writerTimes().minus(before);
      assertThat(unheld.transactions()).isEqualTo(1);
      assertThat(unheld.gatherNanos()).as("an unheld write: committed at once").isZero();
      assertThat(database.submitRead(c -> DatabaseTest.count(c, "select count(*) from marks")).get()).isEqualTo(5 + 5 + 2);
    }
  }

  /** Five writes committed in one transaction: queued while the writer was busy with a write before them. */
  private static void severalInOneTransaction(Database database) throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch queued = new CountDownLatch(1);
    CompletableFuture<Void> blocker = database.submitWrite(c -> {
      busy.countDown();
      try {
        queued.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    busy.await();
    WriterTimes before = database.writerTimes();
    List<CompletableFuture<Integer>> several = new ArrayList<>();
    for (int n = 0; n < 5; n++) {
      // each takes a little while, so that the transaction's length gives the next one time to wait
      several.add(database.submitWrite(c -> {
        update(c, "insert into marks values (0)");
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return 0;
      }));
    }
    queued.countDown();
    blocker.get();
    CompletableFuture.allOf(several.toArray(CompletableFuture[]::new)).get();
    assertThat(database.writerTimes().minus(before).transactions()).as("the first alone, then the five together")
        .isEqualTo(2);
  }
}
