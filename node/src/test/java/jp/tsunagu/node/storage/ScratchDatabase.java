package jp.tsunagu.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import jp.tsunagu.node.config.NodeConfig;

/**
 * A real database file of one table, {@code t (n integer)}, and a Vert.x to make requests' contexts on: for
 * the tests of how the writer and the readers answer, with nothing of a node's schema in the way.
 */
final class ScratchDatabase implements AutoCloseable {

  private static final NodeConfig.Storage SETTINGS = new NodeConfig.Storage(2, Duration.ofSeconds(10), 256);

  final Vertx vertx;
  final Database database;

  private ScratchDatabase(Vertx vertx, Database database) {
    this.vertx = vertx;
    this.database = database;
  }

  static ScratchDatabase open(Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    Database database = Database.open(dir.resolve("tsunagu.db"), SETTINGS);
    database.submitWrite(c -> update(c, "create table t (n integer)")).get();
    return new ScratchDatabase(vertx, database);
  }

  /** A request's own context on one of the event loops (a duplicate, as the web router gives each request). */
  ContextInternal requestContext() {
    return ((ContextInternal) vertx.getOrCreateContext()).duplicate();
  }

  /** A transaction that holds the writer thread until released, so that what is written meanwhile queues up. */
  record HeldWriter(CountDownLatch released, CompletableFuture<Object> transaction) {

    void release() {
      released.countDown();
    }
  }

  /** Holds the writer in an interactive transaction. */
  HeldWriter holdWriter() throws InterruptedException {
    return holdWriter(database::submitWrite);
  }

  /** Holds the writer in a transaction of the bulk lane. */
  HeldWriter holdWriterInBulk() throws InterruptedException {
    return holdWriter(database::submitBulkWrite);
  }

  private static HeldWriter holdWriter(Function<SqlWork<Object>, CompletableFuture<Object>> lane)
      throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    CompletableFuture<Object> transaction = lane.apply(c -> {
      running.countDown();
      try {
        released.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    return new HeldWriter(released, transaction);
  }

  static int update(Connection c, String sql) throws SQLException {
    try (Statement statement = c.createStatement()) {
      return statement.executeUpdate(sql);
    }
  }

  static int count(Connection c, String sql) throws SQLException {
    try (Statement statement = c.createStatement(); var rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getInt(1);
    }
  }

  @Override
  public void close() {
    database.close();
    vertx.close().await();
  }
}
