package jp.tsunagu.node.storage;

import static jp.tsunagu.node.storage.DatabaseTest.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.CompletionException;
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

      capPages(database, 1_000_000);
      for (int i = 0; i < 3; i++) {
        insert(database, 64 * 1024);
      }
      assertThat(database.submitRead(c -> {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("select count(*) from filler")) {
          rs.next();
          return rs.getLong(1);
        }
      }).join()).isEqualTo(3);
    }
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
