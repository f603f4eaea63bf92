package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.storage.StorageException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Posts are stored in board order: a table without rowid keyed by (board_id, seq), so a timeline page's
 * 50 posts lie together on a few pages instead of on about 50 pages scattered among all boards' posts in
 * the order they were written (a reader's page cache is emptied by every commit, so each page read past
 * the timeline cache fetched them afresh). seq is never null and unique within a board (the old
 * posts_timeline index); a replica's pending posts have theirs above every sequenced post. id stays
 * unique: seven tables reference posts (id), and a post is found by it.
 *
 * <p>A Java migration because the rebuild runs with foreign keys off, which SQLite only allows outside a
 * transaction, so outside Flyway's. With them on, dropping the old table checks the seven referencing
 * tables for every one of its rows, as a delete of each would: 38 minutes at national scale (3 million
 * posts), and the copy back as long again. The rebuild is SQLite's own for a changed table (make the new
 * table, copy the rows, drop the old, rename the new), still one transaction: a migration interrupted
 * leaves the old table, or once committed the new one. Before the commit, {@code foreign_key_check} of
 * posts and of every table referencing it must find nothing, or all of it is rolled back. The id index is
 * made after the rows are in (one sorted build instead of three million inserts at random places), and
 * the old table is read in the order it is stored and sorted, not by its (board, seq) index: by the index
 * each row is a read at a random place of a file of several gigabytes, which at full size kept the
 * rebuild waiting on the disk for more than 20 minutes. The connection has a large page cache while it runs.
 */
public class V279__posts_in_board_order extends BaseJavaMigration {

  /** The migration's page cache (KiB): the old table and the new one's pages stay in memory while copied. */
  private static final int CACHE_KIB = 1 << 20;

  private static final String NEW_TABLE = """
      create table posts_in_board_order (
        id                text not null,
        board_id          text not null references care_boards (id),
        seq               integer not null,
        author_id         text not null references users (id),
        author_name       text not null,
        author_profession text not null,
        author_facility   text not null,
        category          text not null,
        kind              text not null check (kind in ('note', 'form', 'vitals')),
        body              text not null,
        form_type         text,
        form_data         text,
        direct            integer not null check (direct in (0, 1)),
        status            text not null check (status in ('active', 'deleted')),
        version           integer not null,
        created_at        text not null,
        edited_at         text,
        sync_state        text check (sync_state in ('pending', 'rejected')),
        comment_count     integer not null default 0,
        attachment_count  integer not null default 0,
        read_count        integer not null default 0,
        primary key (board_id, seq)
      ) strict, without rowid""";

  private static final String COLUMNS = "id, board_id, seq, author_id, author_name, author_profession,"
      + " author_facility, category, kind, body, form_type, form_data, direct, status, version, created_at,"
      + " edited_at, sync_state, comment_count, attachment_count, read_count";

  /**
   * The triggers on posts go with the old table (those of other tables that name posts stay): V27's
   * touches of a board, with V272's column list (every column but read_count: a receipt adds its reader
   * to the kept page, it does not drop it).
   */
  private static final List<String> TRIGGERS = List.of("""
      create trigger posts_touch_insert after insert on posts begin
        insert or ignore into board_touches (board_id) values (new.board_id);
      end""", """
      create trigger posts_touch_delete after delete on posts begin
        insert or ignore into board_touches (board_id) values (old.board_id);
      end""", """
      create trigger posts_touch_update after update of id, board_id, seq, author_id, author_name,
        author_profession, author_facility, category, kind, body, form_type, form_data, direct, status, version,
        created_at, edited_at, sync_state, comment_count, attachment_count on posts begin
        insert or ignore into board_touches (board_id) values (old.board_id), (new.board_id);
      end""");

  @Override
  public boolean canExecuteInTransaction() {
    return false; // foreign keys can be turned off only between transactions
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    try (Statement statement = connection.createStatement()) {
      String foreignKeys = pragma(statement, "foreign_keys");
      String cacheSize = pragma(statement, "cache_size");
      String legacyAlterTable = pragma(statement, "legacy_alter_table");
      statement.execute("pragma foreign_keys = off");
      statement.execute("pragma cache_size = -" + CACHE_KIB);
      // The rename of the new table is not to check the triggers of other tables that name posts: while
      // posts is dropped they name a table that is not there, and after the rename they name it again.
      statement.execute("pragma legacy_alter_table = on");
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        rebuild(statement);
        refuseBrokenReferences(statement);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
        statement.execute("pragma cache_size = " + cacheSize);
        statement.execute("pragma legacy_alter_table = " + legacyAlterTable);
        statement.execute("pragma foreign_keys = " + foreignKeys);
      }
    }
  }

  private static void rebuild(Statement statement) throws SQLException {
    statement.execute(NEW_TABLE);
    statement.execute("insert into posts_in_board_order (" + COLUMNS + ") select " + COLUMNS
        + " from posts not indexed order by board_id, seq");
    statement.execute("drop table posts");
    statement.execute("alter table posts_in_board_order rename to posts");
    statement.execute("create unique index posts_id on posts (id)");
    for (String trigger : TRIGGERS) {
      statement.execute(trigger);
    }
  }

  /** Nothing is committed while a post or a row that references one points at nothing. */
  private static void refuseBrokenReferences(Statement statement) throws SQLException {
    List<String> tables = new ArrayList<>(List.of("posts"));
    try (ResultSet rs = statement.executeQuery("select m.name from sqlite_schema m, pragma_foreign_key_list(m.name) f"
        + " where m.type = 'table' and f.\"table\" = 'posts' group by m.name order by m.name")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    for (String table : tables) {
      try (ResultSet rs = statement.executeQuery("pragma foreign_key_check(" + table + ")")) {
        if (rs.next()) {
          throw new StorageException("storage.migration_broken_reference", "V279 (posts in board order) was rolled"
              + " back: a row of " + rs.getString(1) + " references " + rs.getString(3) + " that has no such row", null);
        }
      }
    }
  }

  private static String pragma(Statement statement, String name) throws SQLException {
    try (ResultSet rs = statement.executeQuery("pragma " + name)) {
      return rs.next() ? rs.getString(1) : "";
    }
  }
}
