package jp.tsunagu.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.config.NodeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While recorded, a request's path has its storage steps' stages, in order, adding up to its time on the
 * node; a write that waited for a bulk transaction says how long and that it was committed in it; nothing
 * is recorded before the recording starts or after it stops.
 */
class RequestPathsTest {

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
  void a_recorded_request_has_its_read_and_its_write_behind_a_bulk_transaction_stage_by_stage() throws Exception {
    database.requestPaths().start();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Object> bulk = database.submitBulkWrite(c -> {
      running.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<RequestPaths.Path> ended = new CompletableFuture<>();
    ContextInternal request = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
    request.runOnContext(v -> {
      RequestPaths.Path path = database.requestPaths().begin("r1").orElseThrow();
      database.read(c -> count(c, "select count(*) from t"))
          .compose(n -> database.write(c -> update(c, "insert into t values (1)")))
          .onComplete(done -> {
            path.end();
            ended.complete(path);
          });
    });
    // released once the request's write is queued behind the bulk write
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!database.interactiveWriteWaiting() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    release.countDown();
    RequestPaths.Path path = ended.get(10, TimeUnit.SECONDS);
    bulk.get(10, TimeUnit.SECONDS);
    Map<String, RequestPaths.Path> recorded = database.requestPaths().stop();

    assertThat(recorded).containsOnlyKeys("r1");
    Map<String, Long> stages = path.stages();
    assertThat(stages.keySet()).containsExactly("handler", "reader queue", "reader", "reader answer",
        "writer queue, behind a bulk transaction", "writer queue", "writer, the writes before it", "writer, own work",
        "writer, before the commit", "commit", "writer answer");
    assertThat(stages.values()).allSatisfy(nanos -> assertThat(nanos).isNotNegative());
    assertThat(stages.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(path.ended() - path.begun());
    assertThat(stages.get("writer queue, behind a bulk transaction")).isPositive();
    assertThat(path.joinedBulk()).isTrue();
  }

  @Test
  void nothing_is_recorded_while_not_asked_for() throws Exception {
    CompletableFuture<Boolean> begun = new CompletableFuture<>();
    ContextInternal request = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
    request.runOnContext(v -> database.write(c -> update(c, "insert into t values (1)"))
        .onComplete(done -> begun.complete(database.requestPaths().begin("r2").isPresent())));
    assertThat(begun.get(10, TimeUnit.SECONDS)).isFalse();
    database.requestPaths().start();
    assertThat(database.requestPaths().stop()).isEmpty();
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
