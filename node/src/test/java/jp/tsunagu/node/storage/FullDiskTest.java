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
  void a_commit_that_changed_no_row_leaves_the_fault_standing_and_one_that_changed_rows_clears_it() {
    try (Database database = Database.open(dir.resolve("full.db"), SETTINGS)) {
      createFiller(database);
      capPages(database, pageCount(database) + 2);
      assertThatThrownBy(() -> insert(database, 64 * 1024)).isInstanceOf(CompletionException.class);
      assertThat(database.writeFault()).isPresent();

      // A job that found nothing to do: its transaction writes nothing, so it commits even on a full disk.
      database.submitWrite(c -> null).join();
      database.submitWrite(c -> {
        try (PreparedStatement s = c.prepareStatement("delete from filler where id < 0")) {
          return s.executeUpdate();
        }
      }).join();
      assertThat(database.writeFault()).as("commits that changed nothing prove nothing")
          .hasValueSatisfying(fault -> assertThat(fault.code()).isEqualTo("SQLITE_FULL"));

      capPages(database, 1_000_000);
      insert(database, 1024);
      assertThat(database.writeFault()).isEmpty();
    }
  }

  @Test
  void the_write_probe_fails_while_the_disk_is_full_and_clears_the_fault_once_there_is_room() {
    try (Database database = Database.open(dir.resolve("full.db"), SETTINGS)) {
      createFiller(database);
      database.probeWrites().await();
      assertThat(database.writeFault()).isEmpty();
      capPages(database, pageCount(database) + 2);
      assertThatThrownBy(() -> insert(database, 64 * 1024)).isInstanceOf(CompletionException.class);

      database.probeWrites().await();
      assertThat(database.writeFault()).as("the probe needs room as a real write does").isPresent();

      capPages(database, 1_000_000);
      database.probeWrites().await();
      assertThat(database.writeFault()).isEmpty();
      assertThat(database.submitRead(c -> {
        try (Statement s = c.createStatement();
            var rs = s.executeQuery("select count(*) from node_meta where key = 'write-probe'")) {
          rs.next();
          return rs.getLong(1);
        }
      }).join()).as("the probe leaves no row").isZero();
    }
  }

  @Test
  void a_node_that_cannot_write_says_so_in_its_readiness_and_is_ready_again_by_itself_once_it_can()
      throws Exception {
    try (TsunaguNode node = TsunaguNode.start(TestNodes.config(dir, "ina"))) {
      Database database = node.services().database();
      createFiller(database);
      assertThat(ready(node).statusCode()).isEqualTo(200);
      capPages(database, pageCount(database));
      fill(database);
      assertThatThrownBy(() -> insert(database, 64 * 1024)).isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(StorageException.class);
      // The node's own jobs commit now and then (the key and request pruning, the partner resources'
      // purge): none of them, nor readiness's own probe, may make it look writable while it is not.
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> full = ready(node);
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.body()).contains("\"writable\":false").contains("SQLITE_FULL");
      }
      // The public listener names the failing check and its code, nothing of the database's state.
      HttpResponse<String> open = new TestHttp(node).get("/health/ready");
      assertThat(open.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(open.body())).isEqualTo(new JsonObject().put("status", "DOWN")
          .put("checks", new JsonArray().add(new JsonObject().put("id", "database").put("error", "SQLITE_FULL"))));

      // Room again, and nobody writes: readiness's probe finds it out.
      capPages(database, 1_000_000);
      assertThat(new TestHttp(node).get("/health/ready").statusCode()).isEqualTo(200);
      assertThat(ready(node).statusCode()).isEqualTo(200);
      insert(database, 64 * 1024);
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

  private static void createFiller(Database database) {
    database.submitWrite(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("create table filler (id integer primary key, body blob)");
      }
      return null;
    }).join();
  }

  private static long pageCount(Database database) {
    return database.submitWrite(c -> {
      try (Statement s = c.createStatement(); var rs = s.executeQuery("pragma page_count")) {
        rs.next();
        return rs.getLong(1);
      }
    }).join();
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
