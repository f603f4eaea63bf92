package jp.tsunagu.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.config.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's bulk lane: an interactive write queued behind bulk writes is committed after the bulk
 * transaction already running and before the bulk writes still queued, in a transaction of its own; a
 * bulk write is not starved by interactive ones (it goes after at most four of their transactions); an
 * interactive write that arrives while a bulk write runs is committed right after it, in a transaction of
 * its own and before the next bulk write (and rolls back alone if it fails); both are answered only once
 * durable, a failing bulk write rolls back alone, and closing the database commits what either lane still
 * holds.
 */
class BulkLaneTest {

  static final NodeConfig.Storage SETTINGS = new NodeConfig.Storage(2, Duration.ofSeconds(10), 256);

  @TempDir
  Path dir;

  @Test
  void an_interactive_write_waits_for_the_running_bulk_transaction_only() throws Exception {
    try (Database database = withTable("lane text, n integer")) {
      Held blocking = heldBulkWrite(database);
      List<CompletableFuture<Integer>> queuedBulk = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        int n = i;
        queuedBulk.add(database.submitBulkWrite(c -> update(c, "insert into t values ('bulk', " + n + ")")));
      }
      CompletableFuture<Integer> interactive = database.submitWrite(c -> update(c,
          "insert into t values ('interactive', (select count(*) from t where lane = 'bulk'))"));
      blocking.release();
      interactive.get(10, TimeUnit.SECONDS);
      CompletableFuture.allOf(queuedBulk.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertThat(blocking.write().get()).isEqualTo(1);
      // It saw the running bulk write's row only: it was committed ahead of the ten queued.
      assertThat(database.submitRead(c -> count(c, "select n from t where lane = 'interactive'")).get())
          .isEqualTo(1);
      assertThat(database.submitRead(c -> count(c, "select count(*) from t where lane = 'bulk'")).get())
          .isEqualTo(11);
    }
  }

  @Test
  void a_persons_write_queued_beside_a_waiting_bulk_write_is_committed_first_in_a_transaction_of_its_own()
      throws Exception {
    try (Database database = withTable("lane text, n integer")) {
      List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
      Held held = heldInteractiveWrite(database, order);
      CompletableFuture<Integer> bulk = database.submitBulkWrite(c -> recorded(c, order, "bulk"));
      CompletableFuture<Integer> person = database.submitWrite(c -> recorded(c, order, "person"));
      WriterTimes before = database.writerTimes();
      held.release();

      CompletableFuture.allOf(held.write(), bulk, person).get(10, TimeUnit.SECONDS);
      assertThat(order).containsExactly("held", "person", "bulk");
      assertThat(database.writerTimes().minus(before).joinedWrites()).as("not committed in the bulk transaction")
          .isZero();
    }
  }

  @Test
  void a_waiting_bulk_write_goes_after_at_most_four_transactions_of_peoples_writes() throws Exception {
    try (Database database = withTable("lane text, n integer")) {
      List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
      Held held = heldInteractiveWrite(database, order);
      CompletableFuture<Integer> bulk = database.submitBulkWrite(c -> recorded(c, order, "bulk"));
      // Each person's write queues the next while it runs: the queue of people's writes is never empty.
      List<CompletableFuture<Integer>> people = java.util.Collections.synchronizedList(new ArrayList<>());
      people.add(chainedWrite(database, order, 1, 8, people));
      held.release();

      held.write().get(10, TimeUnit.SECONDS);
      bulk.get(10, TimeUnit.SECONDS);
      while (people.size() < 8) {
        Thread.sleep(10);
      }
      CompletableFuture.allOf(List.copyOf(people).toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertThat(order.subList(0, 6)).containsExactly("held", "person 1", "person 2", "person 3", "person 4", "bulk");
      assertThat(order).hasSize(10);
    }
  }

  @Test
  void peoples_writes_queued_while_a_bulk_write_runs_are_committed_next_in_a_transaction_of_their_own()
      throws Exception {
    try (Database database = withTable("lane text, n integer not null")) {
      List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
      Held bulk = held(database, (running, release) -> database.submitBulkWrite(c -> {
        order.add("bulk");
        return holding(c, running, release, "bulk");
      }));
      WorkCounts before = database.workCounts();
      WriterTimes timesBefore = database.writerTimes();
      CompletableFuture<Integer> first = database.submitWrite(c -> recorded(c, order, "person 1"));
      CompletableFuture<Integer> second = database.submitWrite(c -> recorded(c, order, "person 2"));
      CompletableFuture<Integer> nextBulk = database.submitBulkWrite(c -> recorded(c, order, "next bulk"));
      bulk.release();

      CompletableFuture.allOf(bulk.write(), first, second, nextBulk).get(10, TimeUnit.SECONDS);
      assertThat(order).containsExactly("bulk", "person 1", "person 2", "next bulk");
      assertThat(database.writerTimes().minus(timesBefore).joinedWrites()).as("none in a bulk transaction").isZero();
      assertThat(database.workCounts().minus(before).commits()).as("the bulk write's, the people's, the next bulk's")
          .isEqualTo(3);
      assertThat(database.submitRead(c -> count(c, "select count(*) from t")).get()).isEqualTo(4);
    }
  }

  @Test
  void a_failing_interactive_write_queued_while_a_bulk_write_runs_rolls_back_alone() throws Exception {
    try (Database database = withTable("lane text, n integer not null")) {
      Held bulk = heldBulkWrite(database);
      CompletableFuture<Integer> failing = database.submitWrite(c -> update(c, "insert into t values ('interactive', null)"));
      CompletableFuture<Integer> other = database.submitWrite(c -> update(c, "insert into t values ('interactive', 2)"));
      bulk.release();

      assertThat(bulk.write().get(10, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(failing).failsWithin(10, TimeUnit.SECONDS);
      assertThat(database.submitRead(c -> count(c, "select count(*) from t")).get()).isEqualTo(2);
    }
  }

  @Test
  void a_bulk_write_gets_its_turn_between_interactive_ones_and_a_failing_one_rolls_back_alone() throws Exception {
    try (Database database = withTable("lane text, n integer not null")) {
      List<CompletableFuture<Integer>> interactive = new ArrayList<>();
      CompletableFuture<Integer> bulk = null;
      CompletableFuture<Integer> failing = null;
      for (int i = 0; i < 2_000; i++) {
        int n = i;
        interactive.add(database.submitWrite(c -> update(c, "insert into t values ('interactive', " + n + ")")));
        if (i == 10) {
          bulk = database.submitBulkWrite(c -> update(c, "insert into t values ('bulk', "
              + "(select count(*) from t where lane = 'interactive'))"));
          failing = database.submitBulkWrite(c -> update(c, "insert into t values ('bulk', null)"));
        }
      }
      CompletableFuture.allOf(interactive.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertThat(bulk.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(failing).failsWithin(10, TimeUnit.SECONDS);
      assertThat(database.submitRead(c -> count(c, "select n from t where lane = 'bulk'")).get())
          .as("the bulk write was not left until the interactive ones were all done").isLessThan(2_000);
      assertThat(database.submitRead(c -> count(c, "select count(*) from t")).get()).isEqualTo(2_001);
    }
  }

  @Test
  void closing_commits_what_either_lane_still_holds() throws Exception {
    Path file = dir.resolve("tsunagu.db");
    List<CompletableFuture<Integer>> writes = new ArrayList<>();
    try (Database database = Database.open(file, SETTINGS)) {
      database.submitWrite(c -> update(c, "create table t (n integer)")).get();
      for (int i = 0; i < 50; i++) {
        writes.add(i % 2 == 0 ? database.submitBulkWrite(c -> update(c, "insert into t values (1)"))
            : database.submitWrite(c -> update(c, "insert into t values (2)")));
      }
    }
    for (CompletableFuture<Integer> write : writes) {
      assertThat(write.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }
    try (Database database = Database.open(file, SETTINGS)) {
      assertThat(database.submitRead(c -> count(c, "select count(*) from t")).get()).isEqualTo(50);
    }
  }

  private static int update(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Notes that the write ran, and inserts a row. */
  private static int recorded(Connection c, List<String> order, String name) throws SQLException {
    order.add(name);
    return update(c, "insert into t values ('" + name + "', 0)");
  }

  /** Person's write {@code n}, which queues write {@code n + 1} while it runs, up to {@code last}. */
  private static CompletableFuture<Integer> chainedWrite(Database database, List<String> order, int n, int last,
      List<CompletableFuture<Integer>> people) {
    return database.submitWrite(c -> {
      if (n < last) {
        people.add(chainedWrite(database, order, n + 1, last, people));
      }
      return recorded(c, order, "person " + n);
    });
  }

  /** A write that runs already and holds the writer's transaction open until released. */
  private record Held(CompletableFuture<Integer> write, CountDownLatch gate) {
    void release() {
      gate.countDown();
    }
  }

  /** A person's write that says when it runs (in {@code order}) and then holds its transaction open. */
  private static Held heldInteractiveWrite(Database database, List<String> order) throws InterruptedException {
    return held(database, (running, release) -> database.submitWrite(c -> {
      order.add("held");
      return holding(c, running, release, "held");
    }));
  }

  /** A bulk write that runs and then holds its transaction open. */
  private static Held heldBulkWrite(Database database) throws InterruptedException {
    return held(database, (running, release) -> database.submitBulkWrite(c -> holding(c, running, release, "bulk")));
  }

  private static Held held(Database database,
      java.util.function.BiFunction<CountDownLatch, CountDownLatch, CompletableFuture<Integer>> submit)
      throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Integer> write = submit.apply(running, release);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    return new Held(write, release);
  }

  /** Says the write runs, waits (10 s at most) to be released, then inserts a row of its lane. */
  private static int holding(Connection c, CountDownLatch running, CountDownLatch release, String lane)
      throws SQLException {
    running.countDown();
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return update(c, "insert into t values ('" + lane + "', 0)");
  }

  /** The test's database, its one table {@code t} created with these columns. */
  private Database withTable(String columns) throws Exception {
    Database database = Database.open(dir.resolve("tsunagu.db"), SETTINGS);
    try {
      database.submitWrite(c -> update(c, "create table t (" + columns + ")")).get();
      return database;
    } catch (Exception e) {
      database.close();
      throw e;
    }
  }
}
