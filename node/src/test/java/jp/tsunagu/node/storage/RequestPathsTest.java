package jp.tsunagu.node.storage;

import static jp.tsunagu.node.storage.ScratchDatabase.count;
import static jp.tsunagu.node.storage.ScratchDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.internal.ContextInternal;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While recorded, a request's path has its storage steps' stages, in order, adding up to its time on the
 * node; a write that waited for a bulk transaction says how long and that it was committed in it; nothing
 * is recorded before the recording starts or after it stops.
 */
class RequestPathsTest {

  @TempDir
  Path dir;

  @AutoClose
  private ScratchDatabase scratch;
  private Database database;

  @BeforeEach
  void open() throws Exception {
    scratch = ScratchDatabase.open(dir);
    database = scratch.database;
  }

  @Test
  void a_recorded_request_has_its_read_and_its_write_behind_a_bulk_transaction_stage_by_stage() throws Exception {
    database.requestPaths().start();
    ScratchDatabase.HeldWriter bulk = scratch.holdWriterInBulk();
    CompletableFuture<RequestPaths.Path> ended = new CompletableFuture<>();
    ContextInternal request = scratch.requestContext();
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
    bulk.release();
    RequestPaths.Path path = ended.get(10, TimeUnit.SECONDS);
    bulk.transaction().get(10, TimeUnit.SECONDS);
    Map<String, RequestPaths.Path> recorded = database.requestPaths().stop();

    assertThat(recorded).containsOnlyKeys("r1");
    Map<String, Long> stages = path.stages();
    assertThat(stages.keySet()).containsExactly("handler", "reader queue", "reader", "reader answer",
        "writer queue, behind a bulk transaction", "writer queue", "writer, the writes before it", "writer, own work",
        "writer, before the commit", "commit", "writer answer");
    assertThat(stages.values()).allSatisfy(nanos -> assertThat(nanos).isNotNegative());
    assertThat(stages.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(path.ended() - path.begun());
    assertThat(stages.get("writer queue, behind a bulk transaction")).isPositive();
    assertThat(path.waitedBehindBulk()).isTrue();
  }

  @Test
  void nothing_is_recorded_while_not_asked_for() throws Exception {
    CompletableFuture<Boolean> begun = new CompletableFuture<>();
    ContextInternal request = scratch.requestContext();
    request.runOnContext(v -> database.write(c -> update(c, "insert into t values (1)"))
        .onComplete(done -> begun.complete(database.requestPaths().begin("r2").isPresent())));
    assertThat(begun.get(10, TimeUnit.SECONDS)).isFalse();
    database.requestPaths().start();
    assertThat(database.requestPaths().stop()).isEmpty();
  }
}
