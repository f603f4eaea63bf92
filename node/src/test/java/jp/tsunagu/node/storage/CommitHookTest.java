package jp.tsunagu.node.storage;

import static jp.tsunagu.node.storage.DatabaseTest.SETTINGS;
import static jp.tsunagu.node.storage.DatabaseTest.count;
import static jp.tsunagu.node.storage.DatabaseTest.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit hook runs inside each write transaction just before it commits, and hands its result on
 * only after a durable commit, before the writes are acknowledged (the timeline cache relies on
 * this to be invalidated before a writer hears that its post is saved).
 */
class CommitHookTest {

  @TempDir
  Path dir;

  /** A table of marks and a hook that counts and clears the marks of each transaction; returns what it told. */
  private static List<Long> markCounting(Database database) throws Exception {
    database.submitWrite(c -> update(c, "create table marks (name text primary key)")).get();
    List<Long> told = new CopyOnWriteArrayList<>();
    database.commitHook("marks", c -> {
      long marked = count(c, "select count(*) from marks");
      update(c, "delete from marks");
      return marked;
    }, told::add);
    return told;
  }

  @Test
  void the_hook_sees_and_clears_what_the_transaction_wrote_and_tells_it_before_the_write_is_acknowledged()
      throws Exception {
    try (Database database = Database.open(dir.resolve("hook.db"), SETTINGS)) {
      List<Long> told = markCounting(database);

      List<CompletableFuture<Integer>> writes = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int n = i;
        writes.add(database.submitWrite(c -> update(c, "insert into marks (name) values ('m" + n + "')")));
      }
      for (int i = 0; i < writes.size(); i++) {
        writes.get(i).get();
        // Writes commit in order: once the i-th is acknowledged, its mark and all before it were told.
        assertThat(told.stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(i + 1);
      }
      // Every mark was handed on exactly once.
      assertThat(told.stream().mapToLong(Long::longValue).sum()).isEqualTo(20);
      assertThat(database.submitRead(c -> count(c, "select count(*) from marks")).get()).isZero();
      long before = told.stream().mapToLong(Long::longValue).sum();
      assertThat(database.submitWrite(c -> 0L).get()).isZero();
      assertThat(told.stream().mapToLong(Long::longValue).sum()).isEqualTo(before);
    }
  }

  @Test
  void a_rolled_back_write_tells_nothing_and_its_batch_neighbours_are_still_told() throws Exception {
    try (Database database = Database.open(dir.resolve("hook-rollback.db"), SETTINGS)) {
      List<Long> told = markCounting(database);

      List<CompletableFuture<Integer>> writes = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        int n = i;
        writes.add(database.submitWrite(c -> {
          update(c, "insert into marks (name) values ('m" + n + "')");
          if (n % 10 == 7) {
            update(c, "insert into marks (name) values ('m" + n + "')");
          }
          return n;
        }));
      }
      int failed = 0;
      for (CompletableFuture<Integer> write : writes) {
        try {
          write.get();
        } catch (ExecutionException e) {
          failed++;
        }
      }
      assertThat(failed).isEqualTo(3);
      assertThat(told.stream().mapToLong(Long::longValue).sum()).isEqualTo(27);

      assertThatThrownBy(() -> database.submitWrite(c -> update(c, "insert into missing_table values (1)")).get())
          .hasCauseInstanceOf(StorageException.class);
      assertThat(told.stream().mapToLong(Long::longValue).sum()).isEqualTo(27);
    }
  }
}
