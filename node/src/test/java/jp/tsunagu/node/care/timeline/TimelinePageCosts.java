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
import jp.tsunagu.node.care.teams.BoardKind;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.storage.SqlWork;
import org.sqlite.SQLiteConfig;

/**
 * What the uncached timeline page costs a reader connection, part by part (issue 25, item 8): on a
 * copy of the timeline benchmark's data set ({@code bench.care.dir}), one reader connection with the
 * node's settings reads the pages of the same (member, board) pairs, each after a commit of the
 * writer (so its page cache starts empty, as in the node, where every audited read commits), in
 * variants alternating in rounds; it prints the reader thread's CPU per page. The variants tell the
 * parts apart on posts as they are stored (in board order, V279): the whole page as the node reads
 * it and as it was read before its one statement ({@link TimelinePageAsItWas}), the page statement
 * with its columns read as Strings, as UTF-8 bytes or not at all, the board's range of posts alone,
 * and the membership check before the page.
 *
 * <p>Arguments: the database file (a copy: every round commits into a scratch table), pairs (400),
 * rounds (5). Not part of the test suite.
 */
public final class TimelinePageCosts {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** The page statement's columns that hold text (the rest are numbers, or null when a post has no details). */
  private static final int[] TEXT_COLUMNS = {1, 3, 4, 5, 6, 7, 8, 10, 12, 13, 14, 15, 16, 17};

  /** The page statement with "read by me" (a look-up among the reader's receipts for each post) left out. */
  private static final String UNREAD_BY_ME = TimelinePage.PAGE.replace(
      "exists (select 1 from post_reads r indexed by post_reads_user where r.user_id = ? and r.post_id = p.id)", "0");

  private TimelinePageCosts() {}

  /** One way of reading a page; returns how many posts it read. */
  @FunctionalInterface
  private interface Variant {
    int read(Connection c, String userId, String boardId) throws SQLException;
  }

  /** How the page statement's columns are read. */
  private enum Columns { STRINGS, BYTES, NONE }

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int pairCount = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    prepare(file);
    List<String[]> pairs = pairs(file, pairCount);
    Map<String, Variant> variants = new LinkedHashMap<>();
    AuthorPlaces.Reading authors = new AuthorPlaces().reading();
    variants.put("whole page now (TimelinePage.read: one statement, JSON)", (c, u, b) ->
        TimelinePage.read(c, b, u, Long.MAX_VALUE, List.of(), authors).length());
    variants.put("whole page as it was (TimelinePageAsItWas: statements, records)", (c, u, b) ->
        TimelinePageAsItWas.read(c, b, u, Long.MAX_VALUE, List.of(), authors).length());
    variants.put("page statement, every column read as a String", (c, u, b) ->
        statement(c, u, b, Columns.STRINGS));
    variants.put("page statement, text columns read as UTF-8 bytes", (c, u, b) ->
        statement(c, u, b, Columns.BYTES));
    variants.put("page statement, rows stepped, no column read", (c, u, b) ->
        statement(c, u, b, Columns.NONE));
    variants.put("page statement without \"read by me\", rows stepped", (c, u, b) ->
        stepped(c, UNREAD_BY_ME, b, u));
    variants.put("the board's range of posts alone (50 seqs)", TimelinePageCosts::range);
    variants.put("membership check", (c, u, b) -> BoardSql.isActiveMember(c, b, BoardKind.PATIENT, u) ? 1 : 0);

    NodeConfig.Storage settings = new NodeConfig.Storage(1, Duration.ofSeconds(10), 256, false);
    Map<String, double[]> perPage = new LinkedHashMap<>();
    variants.keySet().forEach(name -> perPage.put(name, new double[rounds]));
    try (Database database = Database.open(file, settings)) {
      for (int round = 0; round < rounds; round++) {
        for (Map.Entry<String, Variant> variant : variants.entrySet()) {
          perPage.get(variant.getKey())[round] = throughNode(database, pairs, variant.getValue());
        }
        System.out.printf(Locale.ROOT, "round %d done%n", round + 1);
      }
    }
    System.out.printf(Locale.ROOT, "reader CPU per page, us: median (min-max) of %d rounds, %d pairs%n", rounds,
        pairs.size());
    perPage.forEach((name, values) -> System.out.printf(Locale.ROOT, "  %-66s %s%n", name, median(values)));
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

  /** The page statement of the first page, its columns read as {@code columns} says; returns its rows. */
  private static int statement(Connection c, String userId, String boardId, Columns columns) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(TimelinePage.PAGE + " order by p.seq desc limit 50")) {
      s.setString(1, userId);
      s.setString(2, boardId);
      s.setLong(3, Long.MAX_VALUE);
      s.setString(4, userId);
      int rows = 0;
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows++;
          if (columns == Columns.STRINGS) {
            for (int i = 1; i <= 22; i++) {
              rs.getString(i);
            }
          } else if (columns == Columns.BYTES) {
            for (int i : TEXT_COLUMNS) {
              rs.getBytes(i);
            }
            rs.getLong(2);
            rs.getInt(9);
            rs.getInt(11);
            rs.getInt(18);
            rs.getInt(19);
            rs.getString(20);
            rs.getString(21);
            rs.getString(22);
          }
        }
      }
      return rows;
    }
  }

  /** A page statement over the first page, its rows stepped and no column read; its parameters after the text. */
  private static int stepped(Connection c, String sql, String... parameters) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql + " order by p.seq desc limit 50")) {
      s.setString(1, parameters[0]);
      s.setLong(2, Long.MAX_VALUE);
      s.setString(3, parameters[1]);
      int rows = 0;
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows++;
        }
      }
      return rows;
    }
  }

  private static int range(Connection c, String userId, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select p.seq from posts p where p.board_id = ? and p.seq < ?"
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

  /** The scratch table the writer commits into. */
  private static void prepare(Path file) throws SQLException {
    try (Connection c = raw(file); Statement s = c.createStatement()) {
      s.execute("create table if not exists bench_commits (at integer not null)");
    }
  }

  /** Active members of boards with a full first page, in a fixed random order. */
  private static List<String[]> pairs(Path file, int count) throws SQLException {
    List<String[]> pairs = new ArrayList<>();
    try (Connection c = raw(file); PreparedStatement s = c.prepareStatement("select m.user_id, m.board_id"
        + " from board_members m join care_boards b on b.id = m.board_id and b.kind = 'patient'"
        + " where m.status = 'active' and (select count(*) from posts p where p.board_id ="
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

  /** A connection with the node's settings (see Database), for the set-up. */
  private static Connection raw(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(10_000);
    return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
  }

  private static String median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return String.format(Locale.ROOT, "%6.0f (%.0f-%.0f)", sorted[sorted.length / 2], sorted[0],
        sorted[sorted.length - 1]);
  }
}
