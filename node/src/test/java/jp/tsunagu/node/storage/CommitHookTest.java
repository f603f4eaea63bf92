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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import jp.tsunagu.node.errors.CodedException;
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

  @Test
  void a_hook_awaiting_answers_is_told_nothing_holds_them_alone_and_the_acknowledgement_they_wait_for_beside_replication()
      throws Exception {
    try (Database database = Database.open(dir.resolve("hook-awaiting.db"), SETTINGS)) {
      database.submitWrite(c -> update(c, "create table marks (name text primary key)")).get();
      List<java.util.Optional<java.util.concurrent.CompletionStage<Void>>> told = new CopyOnWriteArrayList<>();
      List<Long> marked = new CopyOnWriteArrayList<>();
      database.commitHookAwaitingAnswers("awaiting", c -> count(c, "select count(*) from marks"), (marks, answered) -> {
        marked.add(marks);
        told.add(java.util.Optional.ofNullable(answered));
      });
      // A single instance: the writes are answered at once, and the hook is told so.
      database.submitWrite(c -> update(c, "insert into marks (name) values ('alone')")).get();
      assertThat(told).containsExactly(java.util.Optional.empty());
      assertThat(marked).containsExactly(1L);

      // Beside replication (an acknowledging hook): told the stage the answers wait for, before it completes.
      CompletableFuture<Void> acknowledgement = new CompletableFuture<>();
      database.acknowledgingCommitHook("replication", c -> null, ignored -> acknowledgement);
      CompletableFuture<Integer> write = database.submitWrite(c -> update(c, "insert into marks (name) values ('b')"));
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (told.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(told).hasSize(2);
      CompletableFuture<Void> answered = told.get(1).orElseThrow().toCompletableFuture();
      assertThat(answered).isNotDone();
      assertThat(write).isNotDone();
      acknowledgement.completeExceptionally(CodedException.unavailable("cluster.not_confirmed", "no follower"));
      assertThatThrownBy(write::get).cause().isInstanceOf(CodedException.class)
          .satisfies(e -> assertThat(((CodedException) e).code()).isEqualTo("storage.outcome_unknown"));
      assertThat(answered).isCompletedExceptionally();
      assertThat(marked).containsExactly(1L, 2L);
    }
  }

  @Test
  void a_transaction_the_hook_refuses_commits_its_writes_one_by_one_so_the_ones_it_lets_through_still_commit()
      throws Exception {
    try (Database database = Database.open(dir.resolve("hook-refusal.db"), SETTINGS)) {
      database.submitWrite(c -> update(c, "create table marks (name text primary key)")).get();
      // As on a follower: a transaction holding a local write (a mark named local-*) is refused as a
      // whole by the hook; the leader's batches it applies (applied-*) are not.
      database.commitHook("refusing", c -> {
        if (count(c, "select count(*) from marks where name like 'local-%'") > 0) {
          throw CodedException.unavailable("cluster.not_leader", "this instance does not hold the writer's lock");
        }
        return null;
      }, told -> { });
      CountDownLatch held = new CountDownLatch(1);
      CompletableFuture<Integer> holding = database.submitWrite(c -> {
        try {
          held.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return 0;
      });
      List<CompletableFuture<Integer>> applied = new ArrayList<>();
      List<CompletableFuture<Integer>> local = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String n = String.valueOf(i);
        applied.add(database.submitWrite(c -> update(c, "insert into marks (name) values ('applied-" + n + "')")));
        local.add(database.submitWrite(c -> update(c, "insert into marks (name) values ('local-" + n + "')")));
      }
      held.countDown();
      holding.get();

      for (CompletableFuture<Integer> write : applied) {
        assertThat(write.get()).isEqualTo(1);
      }
      for (CompletableFuture<Integer> write : local) {
        assertThatThrownBy(write::get).cause().isInstanceOf(CodedException.class)
            .satisfies(e -> assertThat(((CodedException) e).code()).isEqualTo("cluster.not_leader"));
      }
      assertThat(database.submitRead(c -> count(c, "select count(*) from marks where name like 'applied-%'")).get())
          .isEqualTo(10);
      assertThat(database.submitRead(c -> count(c, "select count(*) from marks where name like 'local-%'")).get())
          .isZero();
    }
  }

  /** A touch table of {@code table}, its rows told as text (columns joined with '@'), emptied when it had any. */
  private static TouchTable<List<String>> touchTable(String table, String select, int columns) {
    return TouchTable.of(select, columns, (c, rows) -> {
      List<String> told = new ArrayList<>();
      for (TouchRow row : rows) {
        StringBuilder text = new StringBuilder(row.text(1));
        for (int column = 2; column <= columns; column++) {
          text.append('@').append(row.text(column));
        }
        told.add(text.toString());
      }
      if (!rows.isEmpty()) {
        update(c, "delete from " + table);
      }
      return told;
    });
  }

  @Test
  void every_touch_table_is_read_in_one_statement_per_transaction_and_each_hook_is_told_its_own_rows()
      throws Exception {
    try (Database database = Database.open(dir.resolve("touches.db"), SETTINGS)) {
      database.submitWrite(c -> {
        update(c, "create table notes (id integer primary key, board text not null, author text not null)");
        update(c, "create table board_marks (board text primary key) without rowid");
        update(c, "create table author_marks (author text primary key, board text not null) without rowid");
        return update(c, "create trigger notes_marked after insert on notes begin"
            + " insert or ignore into board_marks values (new.board);"
            + " insert or ignore into author_marks values (new.author, new.board); end");
      }).get();
      List<List<String>> boards = new CopyOnWriteArrayList<>();
      List<List<String>> authors = new CopyOnWriteArrayList<>();
      database.touchTableHook("boards", touchTable("board_marks", "select board from board_marks", 1), boards::add);
      database.touchTableHook("authors", touchTable("author_marks", "select author, board from author_marks", 2),
          authors::add);

      WorkCounts before = database.workCounts();
      database.submitWrite(c -> 0).get();
      assertThat(database.workCounts().minus(before).writeStatements()).as("nothing touched: one look").isEqualTo(1);
      assertThat(boards).containsExactly(List.of());
      assertThat(authors).containsExactly(List.of());

      before = database.workCounts();
      database.submitWrite(c -> update(c, "insert into notes (board, author) values ('b1', 'a1'), ('b2', 'a1')")).get();
      assertThat(database.workCounts().minus(before).writeStatements()).as("both touched: still one look").isEqualTo(1);
      assertThat(boards.get(1)).containsExactlyInAnyOrder("b1", "b2");
      assertThat(authors.get(1)).containsExactly("a1@b1");
      assertThat(database.submitRead(c -> count(c, "select (select count(*) from board_marks)"
          + " + (select count(*) from author_marks)")).get()).isZero();

      assertThatThrownBy(() -> database.submitWrite(c -> {
        update(c, "insert into notes (board, author) values ('b3', 'a3')");
        return update(c, "insert into missing_table values (1)");
      }).get()).hasCauseInstanceOf(StorageException.class);
      assertThat(boards).hasSize(2);
      database.submitWrite(c -> 0).get();
      assertThat(boards.get(2)).as("a rolled back write left no touch behind").isEmpty();
    }
  }

  @Test
  void a_touch_table_hook_awaiting_answers_is_told_its_rows_of_the_one_look_and_what_the_answers_wait_for()
      throws Exception {
    try (Database database = Database.open(dir.resolve("touch-awaiting.db"), SETTINGS)) {
      database.submitWrite(c -> {
        update(c, "create table marks (name text primary key)");
        update(c, "create table mark_touches (name text primary key) without rowid");
        return update(c, "create trigger marks_touched after insert on marks begin"
            + " insert into mark_touches values (new.name); end");
      }).get();
      List<String> told = new CopyOnWriteArrayList<>();
      database.touchTableHookAwaitingAnswers("awaiting", touchTable("mark_touches", "select name from mark_touches", 1),
          (marks, answered) -> told.add(marks + " " + (answered == null ? "answered at once" : "held")));

      database.submitWrite(c -> update(c, "insert into marks (name) values ('alone')")).get();
      assertThat(told).containsExactly("[alone] answered at once");
      assertThat(database.submitRead(c -> count(c, "select count(*) from mark_touches")).get()).isZero();
    }
  }
}
