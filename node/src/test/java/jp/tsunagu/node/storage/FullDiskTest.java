package jp.tsunagu.node.storage;

import static jp.tsunagu.node.storage.DatabaseTest.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.testing.TestHttp;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk as SQLite meets it ({@code SQLITE_FULL}, made here by capping the database's pages):
 * writes fail with {@code storage.write_failed} while it lasts, and once there is room again the
 * writer commits again by itself, without a restart.
 */
class FullDiskTest {

  @TempDir
  Path dir;

  @Test
  void writes_fail_while_the_disk_is_full_and_succeed_again_once_there_is_room_without_a_restart() {
    try (Database database = Database.open(dir.resolve("full.db"), SETTINGS)) {
      database.submitWrite(c -> {
        try (Statement s = c.createStatement()) {
          s.execute("create table filler (id integer primary key, body blob)");
        }
        return null;
      }).join();
      long pages = database.submitWrite(c -> {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("pragma page_count")) {
          rs.next();
          return rs.getLong(1);
        }
      }).join();
      capPages(database, pages + 2);

      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> insert(database, 64 * 1024)).isInstanceOf(CompletionException.class)
            .cause().isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.code()).isEqualTo("storage.write_failed"));
      }
      assertThat(database.writeFault()).hasValueSatisfying(fault -> assertThat(fault.code()).isEqualTo("SQLITE_FULL"));

      capPages(database, 1_000_000);
      for (int i = 0; i < 3; i++) {
        insert(database, 64 * 1024);
      }
      assertThat(database.writeFault()).as("a commit clears the fault").isEmpty();
      assertThat(database.submitRead(c -> {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("select count(*) from filler")) {
          rs.next();
          return rs.getLong(1);
        }
      }).join()).isEqualTo(3);
    }
  }

  @Test
  void a_node_that_cannot_write_says_so_in_its_readiness_and_is_ready_again_once_it_can() throws Exception {
    try (TsunaguNode node = TsunaguNode.start(TestNodes.config(dir, "ina"))) {
      Database database = node.services().database();
      database.submitWrite(c -> {
        try (Statement s = c.createStatement()) {
          s.execute("create table filler (id integer primary key, body blob)");
        }
        return null;
      }).join();
      assertThat(ready(node).statusCode()).isEqualTo(200);
      long pages = database.submitWrite(c -> {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("pragma page_count")) {
          rs.next();
          return rs.getLong(1);
        }
      }).join();
      capPages(database, pages);
      fill(database);
      // Any commit clears the fault, and the node's own jobs commit now and then (the partner resources'
      // purge every 15 s even with nothing to purge, the key and request pruning after a second): none may commit between the failure and the checks.
      try (CommitGate held = CommitGate.shut(database)) {
        assertThatThrownBy(() -> insert(database, 64 * 1024)).isInstanceOf(CompletionException.class)
            .hasCauseInstanceOf(StorageException.class);
        HttpResponse<String> full = ready(node);
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.body()).contains("\"writable\":false").contains("SQLITE_FULL");
        // The public listener names the failing check and its code, nothing of the database's state.
        HttpResponse<String> open = new TestHttp(node).get("/health/ready");
        assertThat(open.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(open.body())).isEqualTo(new JsonObject().put("status", "DOWN")
            .put("checks", new JsonArray().add(new JsonObject().put("id", "database").put("error", "SQLITE_FULL"))));
      }

      capPages(database, 1_000_000);
      insert(database, 1024);
      assertThat(ready(node).statusCode()).isEqualTo(200);
      assertThat(new TestHttp(node).get("/health/ready").statusCode()).isEqualTo(200);
    }
  }

  /**
   * Holds every commit of the database's writer at its last step, before it commits (a commit hook waits),
   * until closed: what the database says of its writes meanwhile stays as the test's own write left it.
   */
  private static final class CommitGate implements AutoCloseable {

    private final CountDownLatch opened = new CountDownLatch(1);

    static CommitGate shut(Database database) {
      CommitGate gate = new CommitGate();
      database.commitHook(gate, c -> {
        gate.awaitOpen();
        return null;
      }, nothing -> { });
      return gate;
    }

    private void awaitOpen() {
      try {
        opened.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      opened.countDown();
    }
  }

  /** Writes small rows until the capped database takes no more. */
  private static void fill(Database database) {
    for (int i = 0; i < 10_000; i++) {
      try {
        insert(database, 1024);
      } catch (CompletionException full) {
        assertThat(full).hasCauseInstanceOf(StorageException.class);
        return;
      }
    }
    throw new AssertionError("the capped database kept taking writes");
  }

  private static HttpResponse<String> ready(TsunaguNode node) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.adminUrl() + "/health/ready"))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void capPages(Database database, long pages) {
    database.submitWrite(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("pragma max_page_count = " + pages);
      }
      return null;
    }).join();
  }

  private static void insert(Database database, int bytes) {
    database.submitWrite(c -> {
      try (PreparedStatement s = c.prepareStatement("insert into filler (body) values (?)")) {
        s.setBytes(1, new byte[bytes]);
        s.executeUpdate();
      }
      return null;
    }).join();
  }
}
