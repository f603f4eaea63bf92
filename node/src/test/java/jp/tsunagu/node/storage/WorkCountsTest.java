package jp.tsunagu.node.storage;

import static jp.tsunagu.node.storage.DatabaseTest.SETTINGS;
import static jp.tsunagu.node.storage.DatabaseTest.update;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database counts its work: read and write jobs, the statements each ran, and the commits. */
class WorkCountsTest {

  @TempDir
  Path dir;

  @Test
  void a_write_of_two_statements_and_a_read_of_one_are_counted_as_such() throws Exception {
    try (Database database = Database.open(dir.resolve("counted.db"), SETTINGS)) {
      database.submitWrite(c -> update(c, "create table marks (name text primary key)")).get();
      WorkCounts before = database.workCounts();
      database.submitWrite(c -> {
        insert(c, "a");
        insert(c, "b");
        return null;
      }).get();
      long marks = database.submitRead(c -> {
        try (PreparedStatement s = c.prepareStatement("select count(*) from marks"); ResultSet rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }).get();
      assertThat(marks).isEqualTo(2);
      assertThat(database.workCounts().minus(before)).isEqualTo(new WorkCounts(1, 1, 1, 2, 1));
    }
  }

  @Test
  void writes_queued_together_are_counted_each_but_commit_in_fewer_transactions_or_as_many() throws Exception {
    try (Database database = Database.open(dir.resolve("grouped.db"), SETTINGS)) {
      database.submitWrite(c -> update(c, "create table marks (name text primary key)")).get();
      WorkCounts before = database.workCounts();
      List<CompletableFuture<Object>> writes = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String name = "m" + i;
        writes.add(database.submitWrite(c -> {
          insert(c, name);
          return null;
        }));
      }
      for (CompletableFuture<Object> write : writes) {
        write.get();
      }
      WorkCounts done = database.workCounts().minus(before);
      assertThat(done.writes()).isEqualTo(20);
      assertThat(done.writeStatements()).isEqualTo(20);
      assertThat(done.commits()).isBetween(1L, 20L);
    }
  }

  private static void insert(java.sql.Connection c, String name) throws java.sql.SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into marks (name) values (?)")) {
      s.setString(1, name);
      s.executeUpdate();
    }
  }
}
