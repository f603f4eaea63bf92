package db.migration;

import java.sql.SQLException;
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
 * <p>A Java migration because the rebuild runs with foreign keys off, outside Flyway's transaction, in one
 * of its own ({@link PostsRebuild}). The old table is read in the order it is stored and sorted, not by its
 * (board, seq) index: by the index each row is a read at a random place of a file of several gigabytes,
 * which at full size kept the rebuild waiting on the disk for more than 20 minutes.
 */
public class V279__posts_in_board_order extends BaseJavaMigration {

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

  @Override
  public boolean canExecuteInTransaction() {
    return false; // foreign keys can be turned off only between transactions
  }

  @Override
  public void migrate(Context context) throws SQLException {
    // read in the order it is stored and sorted: by (board, seq) each row was a read at a random place
    PostsRebuild.run(context.getConnection(), "V279 (posts in board order)", "posts_in_board_order", NEW_TABLE,
        COLUMNS, "posts not indexed order by board_id, seq");
  }
}
