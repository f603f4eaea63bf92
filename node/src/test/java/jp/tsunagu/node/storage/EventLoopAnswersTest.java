package jp.tsunagu.node.storage;

import static jp.tsunagu.node.storage.ScratchDatabase.count;
import static jp.tsunagu.node.storage.ScratchDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer hands a transaction's answers to each event loop in one task: every write made on a
 * request's context is still answered on that context and its event loop, with its own value, only
 * after the commit; a listener that throws does not keep the other writes of its transaction
 * unanswered.
 */
class EventLoopAnswersTest {

  @TempDir
  Path dir;

  @AutoClose
  private ScratchDatabase scratch;
  private Vertx vertx;
  private Database database;

  @BeforeEach
  void open() throws Exception {
    scratch = ScratchDatabase.open(dir);
    vertx = scratch.vertx;
    database = scratch.database;
  }

  @Test
  void writes_of_several_event_loops_in_one_transaction_are_each_answered_on_their_own_request_context()
      throws Exception {
    ScratchDatabase.HeldWriter held = scratch.holdWriter();
    List<String> wrong = new CopyOnWriteArrayList<>();
    CountDownLatch answered = new CountDownLatch(32);
    for (int loop = 0; loop < 4; loop++) {
      ContextInternal request = scratch.requestContext();
      request.runOnContext(v -> {
        Thread loopThread = Thread.currentThread();
        for (int n = 0; n < 8; n++) {
          int value = n;
          database.write(c -> update(c, "insert into t values (" + value + ")") * 100 + value).onComplete(done -> {
            if (done.failed() || done.result() != 100 + value || Vertx.currentContext() != request
                || Thread.currentThread() != loopThread) {
              wrong.add(value + ": " + done + " on " + Thread.currentThread().getName());
            }
            answered.countDown();
          });
        }
      });
    }
    // nothing is answered while the transaction before them holds the writer
    assertThat(answered.await(200, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(answered.getCount()).isEqualTo(32);
    held.release();
    assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(wrong).isEmpty();
    assertThat(database.submitRead(c -> count(c, "select count(*) from t")).get()).isEqualTo(32);
  }

  @Test
  void a_transactions_answers_go_to_each_event_loop_in_one_task_and_the_writer_counts_them() throws Exception {
    ScratchDatabase.HeldWriter held = scratch.holdWriter();
    java.util.Set<Thread> loops = java.util.concurrent.ConcurrentHashMap.newKeySet();
    CountDownLatch queued = new CountDownLatch(32);
    CountDownLatch answered = new CountDownLatch(32);
    for (int loop = 0; loop < 4; loop++) {
      ContextInternal request = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext().duplicate();
      request.runOnContext(v -> {
        loops.add(Thread.currentThread());
        for (int n = 0; n < 8; n++) {
          database.write(c -> update(c, "insert into t values (1)")).onSuccess(rows -> answered.countDown());
          queued.countDown();
        }
      });
    }
    assertThat(queued.await(10, TimeUnit.SECONDS)).isTrue();
    WriterTimes before = database.writerTimes();
    held.release();
    assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
    // counted right after the answers are handed on: a loop may run them first
    WriterTimes spent = database.writerTimes().minus(before);
    for (int i = 0; i < 10_000 && spent.answerNanos() == 0; i++) {
      Thread.sleep(1);
      spent = database.writerTimes().minus(before);
    }
    assertThat(spent.transactions()).as("the held write, then the 32 queued behind it").isEqualTo(2);
    assertThat(loops).hasSizeGreaterThan(1);
    assertThat(spent.loopHandOffs()).as("one task for each event loop, not one for each write").isEqualTo(loops.size());
    assertThat(spent.answerNanos()).isPositive();
  }

  @Test
  void a_listener_that_throws_does_not_keep_the_other_writes_of_its_transaction_unanswered() throws Exception {
    List<Throwable> reported = new CopyOnWriteArrayList<>();
    vertx.exceptionHandler(reported::add);
    ScratchDatabase.HeldWriter held = scratch.holdWriter();
    CountDownLatch others = new CountDownLatch(2);
    Context request = scratch.requestContext();
    request.runOnContext(v -> {
      database.write(c -> update(c, "insert into t values (1)")).onSuccess(rows -> {
        throw new IllegalStateException("a listener's own failure");
      });
      database.write(c -> update(c, "insert into t values (2)")).onSuccess(rows -> others.countDown());
      database.write(c -> update(c, "insert into t values (3)")).onSuccess(rows -> others.countDown());
    });
    Thread.sleep(100);
    held.release();
    assertThat(others.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(database.submitRead(c -> count(c, "select count(*) from t")).get()).isEqualTo(3);
  }
}
