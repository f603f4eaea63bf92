package jp.tsunagu.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagu.node.config.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

  static final NodeConfig.Storage SETTINGS = new NodeConfig.Storage(4, Duration.ofSeconds(10), 256);

  @TempDir
  Path dir;

  private Path file() {
    return dir.resolve("tsunagu.db");
  }

  @Test
  void an_empty_database_is_migrated_and_reports_durable_settings() throws Exception {
    try (Database database = Database.open(file(), SETTINGS)) {
      EffectiveSettings settings = database.effectiveSettings();
      assertThat(settings.journalMode()).isEqualToIgnoringCase("wal");
      assertThat(settings.synchronous()).isEqualTo("FULL");
      assertThat(settings.foreignKeys()).isTrue();
      assertThat(settings.busyTimeoutMillis()).isEqualTo(10_000);
      assertThat(database.submitRead(Migrations::appliedVersion).get()).isEqualTo(database.expectedSchemaVersion());
      assertThat(database.submitRead(c -> count(c, "select count(*) from node_meta")).get()).isZero();
    }
  }

  @Test
  void a_read_asked_for_after_the_database_closed_fails_with_storage_closed_instead_of_throwing() {
    Database database = Database.open(file(), SETTINGS);
    database.close();
    CompletableFuture<Long> read = database.submitRead(c -> count(c, "select count(*) from node_meta"));
    assertThatThrownBy(read::join).hasCauseInstanceOf(StorageException.class)
        .satisfies(e -> assertThat(((StorageException) e.getCause()).code()).isEqualTo("storage.closed"));
  }

  @Test
  void an_already_migrated_database_opens_without_migrating_again_and_keeps_its_data() throws Exception {
    try (Database database = Database.open(file(), SETTINGS)) {
      database.submitWrite(c -> update(c, "insert into node_meta(key, value) values ('first_start', 'x')")).get();
    }
    try (Database database = Database.open(file(), SETTINGS)) {
      // Versions may have gaps (features take their own numbers): none repeated, the latest applied.
      assertThat(database.submitRead(c -> count(c, "select count(*) - count(distinct version) from schema_history"))
          .get()).as("one history row per migration, none repeated").isZero();
      assertThat(database.submitRead(c -> count(c, "select max(cast(version as integer)) from schema_history")).get())
          .isEqualTo(Long.parseLong(database.expectedSchemaVersion()));
      assertThat(database.submitRead(c -> count(c, "select count(*) from node_meta")).get()).isEqualTo(1);
    }
  }

  @Test
  void a_database_a_newer_build_has_migrated_is_refused_with_both_versions_and_left_as_it_was() throws Exception {
    String shipped;
    try (Database database = Database.open(file(), SETTINGS)) {
      shipped = database.expectedSchemaVersion();
      database.submitWrite(c -> update(c, "insert into schema_history (installed_rank, version, description, type,"
          + " script, checksum, installed_by, installed_on, execution_time, success) select installed_rank + 1,"
          + " '9999', 'from a newer build', 'SQL', 'V9999__from_a_newer_build.sql', 0, 'newer', installed_on, 1, 1"
          + " from schema_history order by installed_rank desc limit 1")).get();
    }
    assertThatThrownBy(() -> Database.open(file(), SETTINGS)).isInstanceOfSatisfying(StorageException.class, e -> {
      assertThat(e.code()).isEqualTo("storage.schema_newer");
      assertThat(e.getMessage()).contains("9999").contains(shipped).contains("restore");
    });
  }

  @Test
  void the_writers_statements_run_without_the_drivers_auto_commit_check_and_still_commit() throws Exception {
    Path file = file();
    try (Database database = Database.open(file, SETTINGS)) {
      // the driver's check (a begin of its own stepped after every statement) runs only in its auto-commit mode
      assertThat(database.submitWrite(java.sql.Connection::getAutoCommit).get()).isFalse();
      assertThat(database.submitRead(java.sql.Connection::getAutoCommit).get()).as("readers as they were").isTrue();
      database.submitWrite(c -> update(c, "insert into node_meta(key, value) values ('k', 'v')")).get();
    }
    try (Database reopened = Database.open(file, SETTINGS)) {
      assertThat(reopened.submitRead(c -> {
        try (Statement statement = c.createStatement();
            ResultSet rows = statement.executeQuery("select value from node_meta where key = 'k'")) {
          return rows.next() ? rows.getString(1) : null;
        }
      }).get()).isEqualTo("v");
    }
  }

  @Test
  void sixteen_threads_writing_a_thousand_rows_each_never_fail_and_all_rows_survive_a_restart() throws Exception {
    int threads = 16;
    int rowsEach = 1_000;
    AtomicInteger failures = new AtomicInteger();
    try (Database database = Database.open(file(), SETTINGS)) {
      database.submitWrite(c -> update(c,
          "create table load_rows (writer integer not null, n integer not null, primary key (writer, n))")).get();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        int writer = w;
        writers.add(pool.submit(() -> {
          for (int n = 0; n < rowsEach; n++) {
            int row = n;
            try {
              database.submitWrite(c -> {
                try (PreparedStatement insert = c.prepareStatement("insert into load_rows(writer, n) values (?, ?)")) {
                  insert.setInt(1, writer);
                  insert.setInt(2, row);
                  return insert.executeUpdate();
                }
              }).get();
            } catch (InterruptedException | ExecutionException e) {
              failures.incrementAndGet();
            }
          }
        }));
      }
      for (Future<?> writer : writers) {
        writer.get(5, TimeUnit.MINUTES);
      }
      pool.shutdown();
    }
    assertThat(failures).hasValue(0);
    try (Database reopened = Database.open(file(), SETTINGS)) {
      assertThat(reopened.submitRead(c -> count(c, "select count(*) from load_rows")).get())
          .isEqualTo((long) threads * rowsEach);
    }
  }

  @Test
  void a_failing_write_rolls_back_alone_and_its_batch_neighbours_commit() throws Exception {
    try (Database database = Database.open(file(), SETTINGS)) {
      database.submitWrite(c -> update(c, "create table t (id integer primary key, v text not null)")).get();
      List<CompletableFuture<Integer>> writes = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        int id = i;
        writes.add(database.submitWrite(c -> {
          update(c, "insert into t(id, v) values (" + id + ", 'ok')");
          if (id % 10 == 3) {
            update(c, "insert into t(id, v) values (" + id + ", 'duplicate')");
          }
          return id;
        }));
      }
      int failed = 0;
      for (CompletableFuture<Integer> write : writes) {
        try {
          write.get();
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(StorageException.class);
          assertThat(((StorageException) e.getCause()).code()).isEqualTo("storage.write_failed");
          failed++;
        }
      }
      assertThat(failed).isEqualTo(5);
      assertThat(database.submitRead(c -> count(c, "select count(*) from t")).get()).isEqualTo(45);
      assertThat(database.submitRead(c -> count(c, "select count(*) from t where id % 10 = 3")).get()).isZero();
    }
  }

  @Test
  void a_write_runs_at_once_and_the_writes_sent_while_it_runs_join_its_transaction() throws Exception {
    try (Database database = Database.open(file(), SETTINGS)) {
      database.submitWrite(c -> update(c, "create table t (id integer primary key)")).get();
      // two writes committed together: the writer then waits for as many before it commits
      CountDownLatch firstRuns = new CountDownLatch(1);
      CountDownLatch nextQueued = new CountDownLatch(1);
      CompletableFuture<Integer> first = database.submitWrite(c -> {
        firstRuns.countDown();
        await(nextQueued);
        return update(c, "insert into t(id) values (1)");
      });
      assertThat(firstRuns.await(30, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Integer> second = database.submitWrite(c -> update(c, "insert into t(id) values (2)"));
      CompletableFuture<Integer> third = database.submitWrite(c -> update(c, "insert into t(id) values (3)"));
      nextQueued.countDown();
      CompletableFuture.allOf(first, second, third).get(30, TimeUnit.SECONDS);

      WorkCounts before = database.workCounts();
      CountDownLatch ran = new CountDownLatch(1);
      CountDownLatch sent = new CountDownLatch(1);
      CompletableFuture<Integer> running = database.submitWrite(c -> {
        ran.countDown();
        await(sent);
        return update(c, "insert into t(id) values (4)");
      });
      assertThat(ran.await(30, TimeUnit.SECONDS)).as("run before the next write is sent").isTrue();
      CompletableFuture<Integer> joining = database.submitWrite(c -> update(c, "insert into t(id) values (5)"));
      sent.countDown();
      CompletableFuture.allOf(running, joining).get(30, TimeUnit.SECONDS);
      assertThat(database.workCounts().minus(before).commits()).as("one transaction, one fsync").isEqualTo(1);
      assertThat(database.submitRead(c -> count(c, "select count(*) from t")).get()).isEqualTo(5);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test did not go on");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void reads_cannot_write() throws Exception {
    try (Database database = Database.open(file(), SETTINGS)) {
      assertThatThrownBy(() -> database.submitRead(c -> update(c, "insert into node_meta(key, value) values ('a','b')"))
          .get()).hasCauseInstanceOf(StorageException.class);
    }
  }

  @Test
  void writes_after_close_fail_with_a_clear_code() {
    Database database = Database.open(file(), SETTINGS);
    database.close();
    assertThatThrownBy(() -> database.submitWrite(c -> 1).get())
        .hasCauseInstanceOf(StorageException.class)
        .cause().extracting(e -> ((StorageException) e).code()).isEqualTo("storage.closed");
  }

  @Test
  void every_write_sent_while_the_database_closes_is_answered_committed_or_closed() throws Exception {
    Database database = Database.open(file(), SETTINGS);
    database.submitWrite(c -> update(c, "create table closing (n integer)")).get();
    ExecutorService senders = Executors.newFixedThreadPool(4);
    List<CompletableFuture<Integer>> sent = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch sending = new CountDownLatch(4);
    List<Future<?>> running = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      running.add(senders.submit(() -> {
        sending.countDown();
        for (int n = 0; n < 2_000; n++) {
          sent.add(database.submitWrite(c -> update(c, "insert into closing(n) values (1)")));
        }
      }));
    }
    sending.await();
    database.close();
    for (Future<?> sender : running) {
      sender.get(1, TimeUnit.MINUTES);
    }
    senders.shutdown();
    int committed = 0;
    for (CompletableFuture<Integer> write : sent) {
      try {
        committed += write.get(1, TimeUnit.MINUTES);
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(StorageException.class);
        assertThat(((StorageException) e.getCause()).code()).isEqualTo("storage.closed");
      }
    }
    try (Database reopened = Database.open(file(), SETTINGS)) {
      assertThat(reopened.submitRead(c -> count(c, "select count(*) from closing")).get())
          .as("what was answered as committed is there, and nothing else").isEqualTo(committed);
    }
  }

  static long count(java.sql.Connection connection, String sql) throws java.sql.SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static int update(java.sql.Connection connection, String sql) throws java.sql.SQLException {
    try (Statement statement = connection.createStatement()) {
      return statement.executeUpdate(sql);
    }
  }
}
