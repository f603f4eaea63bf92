package jp.tsunagu.node.storage;

import static jp.tsunagu.node.storage.DatabaseTest.SETTINGS;
import static jp.tsunagu.node.storage.DatabaseTest.update;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer counts how often it found no write queued and blocked until one came: what each caller's
 * write then costs in wake-ups, printed by the foundation benchmark as waits a commit; and how long it
 * watched the queue instead.
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
        assertThat(rest.spinNanos()).as("an idle writer never watches the queue").isZero();
        int value = n;
        database.submitWrite(c -> update(c, "insert into marks values (" + value + ")")).get();
      }
    }
  }

  @Test
  void after_a_transaction_of_several_writes_the_next_one_is_begun_ahead_and_rolled_back_before_the_writer_blocks()
      throws Exception {
    Path file = dir.resolve("ahead.db");
    try (Database database = Database.open(file, SETTINGS)) {
      database.submitWrite(c -> update(c, "create table marks (n integer)")).get();
      twoWritesInOneTransaction(database, 1, 2);
      WriterTimes blocked = awaitBlocked(database);
      assertThat(blocked.begunAhead()).as("begun while it watched for a write").isEqualTo(1);
      assertThat(blocked.unusedBeginnings()).as("none came: rolled back").isEqualTo(1);
      assertThat(blocked.spinNanos()).as("it watched the queue for the whole spin before it blocked")
          .isGreaterThanOrEqualTo(WriteQueue.SPIN_NANOS);
      assertThat(blocked.spinInTransactionNanos()).as("no transaction was open while it watched").isZero();
      // another process's writer gets the write lock at once: the idle writer holds no transaction
      try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement statement = other.createStatement()) {
        statement.execute("pragma busy_timeout = 0");
        statement.execute("begin immediate");
        statement.execute("insert into marks values (3)");
        statement.execute("commit");
      }
      database.submitWrite(c -> update(c, "insert into marks values (4)")).get();
      assertThat(database.submitRead(c -> count(c, "select count(*) from marks")).get()).isEqualTo(4);
    }
  }

  @Test
  void a_write_that_comes_while_a_transaction_is_begun_ahead_is_committed_in_it_and_a_failing_one_alone()
      throws Exception {
    try (Database database = Database.open(dir.resolve("joins.db"), SETTINGS)) {
      database.submitWrite(c -> update(c, "create table marks (n integer primary key)")).get();
      CompletableFuture<CompletableFuture<Integer>> next = new CompletableFuture<>();
      CompletableFuture<CompletableFuture<Integer>> refused = new CompletableFuture<>();
      CountDownLatch held = holdWriter(database);
      CompletableFuture<Integer> first = database.submitWrite(c -> update(c, "insert into marks values (1)"));
      CompletableFuture<Integer> second = database.submitWrite(c -> {
        // queued from inside the transaction: there when the writer begins the next one ahead
        next.complete(database.submitWrite(w -> update(w, "insert into marks values (3)")));
        refused.complete(database.submitWrite(w -> update(w, "insert into marks values (1)")));
        return update(c, "insert into marks values (2)");
      });
      held.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(next.get().get(10, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(refused.get()).failsWithin(10, TimeUnit.SECONDS);
      assertThat(database.writerTimes().begunAhead()).isGreaterThanOrEqualTo(1);
      assertThat(database.submitRead(c -> count(c, "select count(*) from marks")).get()).isEqualTo(3);
      assertThat(database.submitWrite(c -> update(c, "insert into marks values (4)")).get()).isEqualTo(1);
    }
  }

  /** Commits two writes in one transaction: the writer is held by a first write while both are queued. */
  private static void twoWritesInOneTransaction(Database database, int a, int b) throws Exception {
    CountDownLatch held = holdWriter(database);
    CompletableFuture<Integer> first = database.submitWrite(c -> update(c, "insert into marks values (" + a + ")"));
    CompletableFuture<Integer> second = database.submitWrite(c -> update(c, "insert into marks values (" + b + ")"));
    held.countDown();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
  }

  /**
   * Has the writer run a write of its own that waits for the latch returned, and returns once it does:
   * what is submitted meanwhile queues up and forms the next transaction.
   */
  private static CountDownLatch holdWriter(Database database) throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch held = new CountDownLatch(1);
    database.submitWrite(c -> {
      running.countDown();
      try {
        held.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 0;
    });
    running.await(10, TimeUnit.SECONDS);
    return held;
  }

  private static long count(Connection connection, String sql) throws java.sql.SQLException {
    try (Statement statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
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
