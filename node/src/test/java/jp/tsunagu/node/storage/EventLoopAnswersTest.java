package jp.tsunagu.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.config.NodeConfig;
import org.junit.jupiter.api.AfterEach;
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

  private static final NodeConfig.Storage SETTINGS = new NodeConfig.Storage(2, Duration.ofSeconds(10), 256);

  @TempDir
  Path dir;

  private Vertx vertx;
  private Database database;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    database = Database.open(dir.resolve("tsunagu.db"), SETTINGS);
    database.submitWrite(c -> update(c, "create table t (n integer)")).get();
  }

  @AfterEach
  void close() {
    database.close();
    vertx.close().await();
  }

  @Test
  void writes_of_several_event_loops_in_one_transaction_are_each_answered_on_their_own_request_context()
      throws Exception {
    CountDownLatch release = holdWriter();
    List<String> wrong = new CopyOnWriteArrayList<>();
    CountDownLatch answered = new CountDownLatch(32);
    for (int loop = 0; loop < 4; loop++) {
      ContextInternal request = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
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
    release.countDown();
    assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(wrong).isEmpty();
    assertThat(database.submitRead(c -> count(c, "select count(*) from t")).get()).isEqualTo(32);
  }

  @Test
  void a_listener_that_throws_does_not_keep_the_other_writes_of_its_transaction_unanswered() throws Exception {
    List<Throwable> reported = new CopyOnWriteArrayList<>();
    vertx.exceptionHandler(reported::add);
    CountDownLatch release = holdWriter();
    CountDownLatch others = new CountDownLatch(2);
    Context request = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
    request.runOnContext(v -> {
      database.write(c -> update(c, "insert into t values (1)")).onSuccess(rows -> {
        throw new IllegalStateException("a listener's own failure");
      });
      database.write(c -> update(c, "insert into t values (2)")).onSuccess(rows -> others.countDown());
      database.write(c -> update(c, "insert into t values (3)")).onSuccess(rows -> others.countDown());
    });
    Thread.sleep(100);
    release.countDown();
    assertThat(others.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(database.submitRead(c -> count(c, "select count(*) from t")).get()).isEqualTo(3);
  }

  /** Holds the writer thread in a transaction until released, so that what is written meanwhile queues up. */
  private CountDownLatch holdWriter() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    database.submitWrite(c -> {
      running.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    return release;
  }

  private static int update(Connection c, String sql) throws SQLException {
    try (Statement statement = c.createStatement()) {
      return statement.executeUpdate(sql);
    }
  }

  private static int count(Connection c, String sql) throws SQLException {
    try (Statement statement = c.createStatement(); var rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
