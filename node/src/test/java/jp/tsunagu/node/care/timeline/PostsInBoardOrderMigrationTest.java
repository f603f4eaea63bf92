package jp.tsunagu.node.care.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.storage.StorageException;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V279 rebuilds posts in board order with foreign keys off, outside Flyway's transaction: all of it is
 * one transaction of its own that leaves the old table or the new one, never a dropped or half-copied
 * one, and it commits only if no reference to or from posts points at nothing (only those are checked:
 * the rebuild changes no other reference).
 */
class PostsInBoardOrderMigrationTest {

  private static final NodeConfig.Storage SETTINGS = new NodeConfig.Storage(4, Duration.ofSeconds(10), 256);

  @TempDir
  Path dir;

  @Test
  void a_broken_reference_rolls_the_whole_rebuild_back_and_the_next_start_rebuilds() throws Exception {
    Path file = dir.resolve("tsunagu.db");
    String url = "jdbc:sqlite:" + file;
    Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").table("schema_history")
        .target("278").load().migrate();
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("insert into users (id, login_id, email, family_name, given_name, family_kana, given_kana,"
          + " profession, role, password_hash, status, created_at) values ('u1', 'u1', 'u1@example.jp', '佐藤', '花子',"
          + " 'サトウ', 'ハナコ', 'nurse', 'professional', 'x', 'active', '2026-01-01T00:00:00Z')");
      statement.execute("insert into care_boards (id, kind, created_at) values"
          + " ('b2', 'patient', '2026-01-01T00:00:00Z'), ('b1', 'patient', '2026-01-01T00:00:00Z')");
      // written in time order across boards, as the node writes them
      for (String[] post : new String[][] {{"p1", "b2", "1"}, {"p2", "b1", "1"}, {"p3", "b2", "2"}, {"p4", "b1", "2"}}) {
        statement.execute("insert into posts (id, board_id, seq, author_id, author_name, author_profession,"
            + " author_facility, category, kind, body, direct, status, version, created_at) values ('" + post[0]
            + "', '" + post[1] + "', " + post[2] + ", 'u1', '佐藤 花子', 'nurse', '', 'care', 'note', 'body "
            + post[0] + "', 0, 'active', 1, '2026-01-01T00:00:00Z')");
      }
      statement.execute("insert into post_reads (post_id, user_id, read_at) values ('p3', 'u1', '2026-01-02T00:00:00Z')");
      // foreign keys are off on this connection: a receipt of a post that is not there
      statement.execute("insert into post_reads (post_id, user_id, read_at) values ('gone', 'u1', '2026-01-02T00:00:00Z')");
    }
    List<String> before = posts(url);

    assertThatThrownBy(() -> Database.open(file, SETTINGS).close()).rootCause()
        .isInstanceOfSatisfying(StorageException.class, e ->
            assertThat(e.code()).isEqualTo("storage.migration_broken_reference"))
        .hasMessageContaining("post_reads");
    assertThat(tableSql(url)).doesNotContain("without rowid");
    assertThat(indexes(url)).contains("posts_timeline");
    assertThat(posts(url)).isEqualTo(before);
    assertThat(scalar(url, "select count(*) from sqlite_schema where name = 'posts_in_board_order'")).isEqualTo("0");

    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("delete from post_reads where post_id = 'gone'");
    }
    try (Database database = Database.open(file, SETTINGS)) {
      assertThat(database.appliedSchemaVersion().toCompletionStage().toCompletableFuture().join())
          .isEqualTo(database.expectedSchemaVersion());
    }
    assertThat(tableSql(url)).contains("without rowid");
    assertThat(indexes(url)).contains("posts_id").doesNotContain("posts_timeline");
    assertThat(posts(url)).containsExactlyInAnyOrderElementsOf(before);
    assertThat(scalar(url, "select group_concat(id) from (select id from posts where board_id > '')")).isEqualTo("p2,p4,p1,p3");
    assertThat(scalar(url, "select read_count from posts where id = 'p3'")).isEqualTo("1");
    assertThat(scalar(url, "select group_concat(name) from (select name from sqlite_schema"
        + " where type = 'trigger' and tbl_name = 'posts' order by name)"))
        .isEqualTo("posts_touch_delete,posts_touch_insert,posts_touch_update");

    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("pragma foreign_keys = on");
      statement.execute("delete from board_touches");
      statement.execute("update posts set body = 'edited' where id = 'p2'");
      assertThat(scalar(url, "select group_concat(board_id) from board_touches")).isEqualTo("b1");
      assertThatThrownBy(() -> statement.execute("insert into post_reads (post_id, user_id, read_at)"
          + " values ('gone', 'u1', '2026-01-02T00:00:00Z')")).hasMessageContaining("FOREIGN KEY");
    }
  }

  @Test
  void a_post_whose_author_is_not_there_rolls_the_rebuild_back_too() throws Exception {
    Path file = dir.resolve("tsunagu.db");
    String url = "jdbc:sqlite:" + file;
    Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").table("schema_history")
        .target("278").load().migrate();
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("insert into care_boards (id, kind, created_at) values ('b1', 'patient', '2026-01-01T00:00:00Z')");
      // foreign keys are off on this connection: the only reference that points at nothing is from posts
      statement.execute("insert into posts (id, board_id, seq, author_id, author_name, author_profession,"
          + " author_facility, category, kind, body, direct, status, version, created_at) values ('p1', 'b1', 1,"
          + " 'gone', '不明', '', '', 'care', 'note', 'x', 0, 'active', 1, '2026-01-01T00:00:00Z')");
    }

    assertThatThrownBy(() -> Database.open(file, SETTINGS).close()).rootCause()
        .isInstanceOfSatisfying(StorageException.class, e ->
            assertThat(e.code()).isEqualTo("storage.migration_broken_reference"))
        .hasMessageContaining("a row of posts references users");
    assertThat(tableSql(url)).doesNotContain("without rowid");
    assertThat(scalar(url, "select count(*) from posts")).isEqualTo("1");
  }

  private static List<String> posts(String url) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("select * from posts order by id")) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  private static String tableSql(String url) throws SQLException {
    return scalar(url, "select sql from sqlite_schema where type = 'table' and name = 'posts'");
  }

  private static String indexes(String url) throws SQLException {
    return scalar(url, "select group_concat(name) from sqlite_schema where type = 'index' and tbl_name = 'posts'");
  }

  private static String scalar(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
