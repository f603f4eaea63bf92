package jp.tsunagu.node.care.timeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.storage.SqlWork;
import org.sqlite.SQLiteConfig;

/**
 * What the uncached timeline page costs a reader connection, part by part (issue 25, item 8): on a
 * copy of the timeline benchmark's data set ({@code bench.care.dir}), one reader connection with the
 * node's settings reads the pages of the same (member, board) pairs, each after a commit of the
 * writer (so its page cache starts empty, as in the node, where every audited read commits), in
 * variants of the page statement, alternating in rounds; it prints the reader thread's CPU per page.
 * The variants tell the parts apart: the whole page as it was (its statement, then statements for the
 * details, records and maps, then the JSON) and as it is (one statement written straight to JSON), each
 * one's statement alone, the membership check before the page, the index alone, and the page statement
 * on the posts stored in board order.
 *
 * <p>Arguments: the database file (a copy: the variant stored in board order adds a table, and every
 * round commits into a scratch table), pairs (400), rounds (5). Not part of the test suite.
 */
public final class TimelinePageCosts {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final String POSTS_IN_BOARD_ORDER = "bench_posts_by_board";
  /** A covering index of posts in board order holding every column the page statement reads. */
  private static final String COVERING = "bench_posts_page";
  /** A rowid copy of posts with the JSON column, and a covering index of it in board order. */
  private static final String POSTS_WITH_JSON = "bench_posts_json";
  /** What the page reads of a post that never changes but by an edit, made once into JSON when written. */
  private static final String FIXED_JSON = "json_object('id', id, 'seq', seq, 'authorId', author_id, 'authorName',"
      + " author_name, 'authorProfession', author_profession, 'authorFacility', author_facility, 'category', category,"
      + " 'kind', kind, 'direct', json(iif(direct, 'true', 'false')), 'deleted', json(iif(status = 'deleted', 'true',"
      + " 'false')), 'version', version, 'createdAt', created_at, 'editedAt', edited_at, 'syncState', sync_state,"
      + " 'body', iif(status = 'deleted', null, body), 'formType', form_type, 'form', json(form_data))";
  /** The page statement reading the JSON column for the fixed fields: seven columns instead of 22. */
  private static final String WITH_JSON = "select p.page_json, p.author_id, p.read_count,"
      + TimelinePage.PAGE.substring(TimelinePage.PAGE.indexOf(" exists ("));
  /** The page statement as it was, with the authors' places joined for every post. */
  private static final String JOINED = "select " + PostSql.COLUMNS + ", f.municipality_code, u.home_node,"
      + " p.read_count,"
      + " exists (select 1 from post_reads r indexed by post_reads_user where r.user_id = ? and r.post_id = p.id),"
      + " p.attachment_count > 0, p.comment_count > 0"
      + " from posts p left join users u on u.id = p.author_id left join facilities f on f.id = u.facility_id"
      + " where p.board_id = ? and p.seq < ? and " + PostSql.VISIBLE;
  /** The same without the join: the authors' places from memory. */
  private static final String UNJOINED = JOINED.replace(", f.municipality_code, u.home_node", "")
      .replace(" left join users u on u.id = p.author_id left join facilities f on f.id = u.facility_id", "");

  private TimelinePageCosts() {}

  /** One way of reading a page; returns how many posts it read. */
  @FunctionalInterface
  private interface Variant {
    int read(Connection c, String userId, String boardId) throws SQLException;
  }

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int pairCount = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    prepare(file);
    List<String[]> pairs = pairs(file, pairCount);
    Map<String, Variant> variants = new LinkedHashMap<>();
    AuthorPlaces.Reading authors = new AuthorPlaces().reading();
    variants.put("whole page now (its statement may take the covering index)", (c, u, b) -> {
      TimelinePage.read(c, b, u, Long.MAX_VALUE, List.of(), authors);
      return 50;
    });
    variants.put("page statement as the node reads it (posts as stored)", (c, u, b) ->
        statement(c, TimelinePage.PAGE, u, b, 22));
    variants.put("page statement, posts by posts_timeline (rowid table)", (c, u, b) ->
        statement(c, TimelinePage.PAGE.replace("from posts p", "from posts p indexed by posts_timeline"), u, b, 22));
    variants.put("index alone (rowids of the page's posts)", (c, u, b) -> rowids(c, u, b));
    variants.put("page statement, covering index in board order", (c, u, b) ->
        statement(c, TimelinePage.PAGE.replace("from posts p", "from posts p indexed by " + COVERING), u, b, 22));
    variants.put("page statement, posts stored in board order", (c, u, b) ->
        statement(c, TimelinePage.PAGE.replace("from posts p", "from " + POSTS_IN_BOARD_ORDER + " p"), u, b, 22));
    variants.put("board order, fixed fields as one JSON column (7 columns read)", (c, u, b) ->
        statement(c, WITH_JSON.replace("from posts p", "from " + POSTS_IN_BOARD_ORDER + " p"), u, b, 7));
    variants.put("covering index with the JSON column (7 columns read)", (c, u, b) ->
        statement(c, WITH_JSON.replace("from posts p", "from " + POSTS_WITH_JSON + " p indexed by "
            + POSTS_WITH_JSON + "_page"), u, b, 7));

    NodeConfig.Storage settings = new NodeConfig.Storage(1, Duration.ofSeconds(10), 256, false);
    Map<String, double[]> perPage = new LinkedHashMap<>();
    variants.keySet().forEach(name -> perPage.put(name, new double[rounds]));
    try (Database database = Database.open(file, settings)) {
      if (database.submitRead(c -> {
        try (Statement s = c.createStatement()) {
          return !exists(s, "posts_timeline");
        }
      }).get()) {
        // Opening migrated the copy to posts stored in board order (V279): no rowid, no posts_timeline
        System.out.println("posts are stored in board order here: the variants of the rowid table are left out");
        variants.keySet().removeIf(name -> name.contains("rowid") || name.contains("covering index in"));
        perPage.keySet().retainAll(variants.keySet());
      }
      for (int round = 0; round < rounds; round++) {
        for (Map.Entry<String, Variant> variant : variants.entrySet()) {
          perPage.get(variant.getKey())[round] = throughNode(database, pairs, variant.getValue());
        }
        System.out.printf(Locale.ROOT, "round %d done%n", round + 1);
      }
    }
    System.out.printf(Locale.ROOT, "reader CPU per page, us: median (min-max) of %d rounds, %d pairs%n", rounds,
        pairs.size());
    perPage.forEach((name, values) -> System.out.printf(Locale.ROOT, "  %-62s %s%n", name, median(values)));
  }

  /** The reader's CPU per page in microseconds, every page read after a commit of the node's writer. */
  private static double throughNode(Database database, List<String[]> pairs, Variant variant) throws Exception {
    long nanos = 0;
    for (String[] pair : pairs) {
      database.submitWrite(commitOne()).get();
      nanos += database.submitRead(c -> {
        long start = THREADS.getCurrentThreadCpuTime();
        variant.read(c, pair[0], pair[1]);
        return THREADS.getCurrentThreadCpuTime() - start;
      }).get();
    }
    return nanos / 1e3 / pairs.size();
  }

  private static SqlWork<Void> commitOne() {
    return c -> {
      try (PreparedStatement s = c.prepareStatement("insert into bench_commits (at) values (?)")) {
        s.setLong(1, System.nanoTime());
        s.executeUpdate();
      }
      return null;
    };
  }

  private static int statement(Connection c, String sql, String userId, String boardId, int columns)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql + " order by p.seq desc limit 50")) {
      int n = 1;
      if (sql.contains("r.user_id = ? and r.post_id = p.id")) {
        s.setString(n++, userId);
      }
      s.setString(n++, boardId);
      s.setLong(n++, Long.MAX_VALUE);
      s.setString(n, userId);
      int rows = 0;
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows++;
          for (int i = 1; i <= columns; i++) {
            rs.getString(i);
          }
        }
      }
      return rows;
    }
  }

  private static int rowids(Connection c, String userId, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select p.rowid from posts p where p.board_id = ? and p.seq < ?"
        + " order by p.seq desc limit 50")) {
      s.setString(1, boardId);
      s.setLong(2, Long.MAX_VALUE);
      int rows = 0;
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows++;
        }
      }
      return rows;
    }
  }

  /** The scratch table the writer commits into, and the posts copied in board order (once). */
  private static void prepare(Path file) throws SQLException {
    try (Connection c = raw(file, false, 0); Statement s = c.createStatement()) {
      s.execute("create table if not exists bench_commits (at integer not null)");
      if (!exists(s, POSTS_IN_BOARD_ORDER)) {
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("select name, type from pragma_table_info('posts') order by cid")) {
          while (rs.next()) {
            columns.add(rs.getString(1) + " " + rs.getString(2));
          }
        }
        long started = System.nanoTime();
        s.execute("create table " + POSTS_IN_BOARD_ORDER + " (" + String.join(", ", columns)
            + ", page_json text, primary key (board_id, seq)) without rowid");
        s.execute("insert into " + POSTS_IN_BOARD_ORDER + " select *, " + FIXED_JSON + " from posts order by board_id,"
            + " seq");
        s.execute("create unique index " + POSTS_IN_BOARD_ORDER + "_id on " + POSTS_IN_BOARD_ORDER + " (id)");
        System.out.printf(Locale.ROOT, "posts copied in board order in %.1f s%n", (System.nanoTime() - started) / 1e9);
      }
      if (!exists(s, COVERING)) {
        long pages = pages(s);
        long started = System.nanoTime();
        s.execute("create index " + COVERING + " on posts (board_id, seq, id, author_id, author_name,"
            + " author_profession, author_facility, category, kind, direct, status, version, created_at, edited_at,"
            + " sync_state, body, form_type, form_data, read_count, attachment_count, comment_count)");
        System.out.printf(Locale.ROOT, "covering index made in %.1f s, %d pages of %d before%n",
            (System.nanoTime() - started) / 1e9, pages(s) - pages, pages);
      }
      if (!exists(s, POSTS_WITH_JSON)) {
        // in the order the posts are stored (by rowid before V279: the order they were written)
        s.execute("create table " + POSTS_WITH_JSON + " as select *, " + FIXED_JSON + " page_json from posts");
        long pages = pages(s);
        s.execute("create index " + POSTS_WITH_JSON + "_page on " + POSTS_WITH_JSON + " (board_id, seq, page_json,"
            + " author_id, direct, read_count, attachment_count, comment_count, id)");
        System.out.printf(Locale.ROOT, "covering index with JSON: %d pages%n", pages(s) - pages);
      }
    }
  }

  private static boolean exists(Statement s, String name) throws SQLException {
    try (ResultSet rs = s.executeQuery("select count(*) from sqlite_master where name = '" + name + "'")) {
      return rs.next() && rs.getInt(1) == 1;
    }
  }

  private static long pages(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("pragma page_count")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Active members of boards with a full first page, in a fixed random order. */
  private static List<String[]> pairs(Path file, int count) throws SQLException {
    List<String[]> pairs = new ArrayList<>();
    try (Connection c = raw(file, true, 0); PreparedStatement s = c.prepareStatement("select m.user_id, m.board_id"
        + " from board_members m where m.status = 'active' and (select count(*) from posts p where p.board_id ="
        + " m.board_id) >= 50 order by substr(m.board_id, 3) || m.user_id limit ?")) {
      s.setInt(1, count);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          pairs.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    return pairs;
  }

  /** A connection with the node's settings (see Database) and the given memory map. */
  private static Connection raw(Path file, boolean reader, long mmapBytes) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(10_000);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    config.setGetGeneratedKeys(false);
    config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(mmapBytes));
    if (reader) {
      config.setCacheSize(-64 * 1024);
    }
    return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
  }

  private static String median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return String.format(Locale.ROOT, "%6.0f (%.0f-%.0f)", sorted[sorted.length / 2], sorted[0],
        sorted[sorted.length - 1]);
  }
}
