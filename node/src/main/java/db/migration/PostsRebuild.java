package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.storage.StorageException;

/**
 * A rebuild of the posts table into a new shape (V279, V280), SQLite's own way for a changed table: make
 * the new table, copy the rows, drop the old, rename the new, in one transaction of its own with foreign
 * keys off, which SQLite only allows outside a transaction, so outside Flyway's. With them on, dropping the
 * old table checks the seven referencing tables for every one of its rows, as a delete of each would: 38
 * minutes at national scale (3 million posts). A rebuild interrupted leaves the old table, or once committed
 * the new one. Before the commit every foreign key to and from posts is checked (only those: the rebuild
 * changes no other table, and checking every key of the referencing tables, the users of 11 million read
 * receipts among them, was most of V279's check), and a row that points at nothing rolls all of it back.
 * The {@code id} index is made after the rows are in (one sorted build instead of three million inserts at
 * random places). The connection has a large page cache while it runs.
 */
final class PostsRebuild {

  /** The rebuild's page cache (KiB): the old table and the new one's pages stay in memory while copied. */
  private static final int CACHE_KIB = 1 << 20;

  /**
   * The triggers on posts go with the old table (those of other tables that name posts stay): V27's
   * touches of a board, with V272's column list (every column but read_count: a receipt adds its reader
   * to the kept page, it does not drop it).
   */
  static final List<String> TRIGGERS = List.of("""
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

  private PostsRebuild() {}

  /**
   * Rebuilds posts as {@code newTable} (made by {@code createNewTable}) holding {@code columns} of every
   * post, copied {@code from} (a table and the order to read it in); {@code migration} names it in a refusal.
   */
  static void run(Connection connection, String migration, String newTable, String createNewTable, String columns,
      String from) throws SQLException {
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
        statement.execute(createNewTable);
        statement.execute("insert into " + newTable + " (" + columns + ") select " + columns + " from " + from);
        statement.execute("drop table posts");
        statement.execute("alter table " + newTable + " rename to posts");
        statement.execute("create unique index posts_id on posts (id)");
        for (String trigger : TRIGGERS) {
          statement.execute(trigger);
        }
        refuseBrokenReferences(statement, migration);
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

  /** Nothing is committed while a post, or a row that references one, points at nothing. */
  private static void refuseBrokenReferences(Statement statement, String migration) throws SQLException {
    List<String[]> references = new ArrayList<>(); // table, column, referenced table, referenced column
    try (ResultSet rs = statement.executeQuery("select m.name, f.\"from\", f.\"table\", coalesce(f.\"to\", 'id')"
        + " from sqlite_schema m, pragma_foreign_key_list(m.name) f where m.type = 'table'"
        + " and (m.name = 'posts' or f.\"table\" = 'posts') order by m.name, f.id, f.seq")) {
      while (rs.next()) {
        references.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
      }
    }
    for (String[] r : references) {
      String sql = "select 1 from " + quoted(r[0]) + " t where t." + quoted(r[1]) + " is not null and not exists"
          + " (select 1 from " + quoted(r[2]) + " k where k." + quoted(r[3]) + " = t." + quoted(r[1]) + ") limit 1";
      try (ResultSet rs = statement.executeQuery(sql)) {
        if (rs.next()) {
          throw new StorageException("storage.migration_broken_reference", migration + " was rolled back: a row of "
              + r[0] + " references " + r[2] + " that has no such row", null);
        }
      }
    }
  }

  private static String quoted(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static String pragma(Statement statement, String name) throws SQLException {
    try (ResultSet rs = statement.executeQuery("pragma " + name)) {
      return rs.next() ? rs.getString(1) : "";
    }
  }
}
