package jp.tsunagu.node.care.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.care.CareDataSet;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.storage.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timeline page read in one statement and written straight from its rows is, byte for byte, the
 * page read in several statements and written from records ({@link TimelinePageAsItWas}): on a small
 * copy of the timeline benchmark's data set (comments, attachments and direct posts as the service
 * has them), with one board given every other kind of post and text besides (vital signs, forms,
 * deleted, edited and pending posts; a partner's professional as recipient and commenter; quotes,
 * backslashes, control characters, a line separator and an emoji), for every member of every
 * board, on their newest page, a page further down and a category's page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimelinePageTest {

  private static final NodeConfig.Storage SETTINGS = new NodeConfig.Storage(2, Duration.ofSeconds(10), 256, false);
  private static final String HOSTILE = "\"引用\" \\ 改行\n タブ\t 制御\u0001\u001f\u007f 行区切り\u2028 絵文字😀 </script>";

  @TempDir
  static Path dir;
  private Database database;
  private String edgeBoard;

  @BeforeAll
  void load() throws Exception {
    Path file = dir.resolve("care.db");
    Database.open(file, SETTINGS).close();
    new CareDataSet(11, 0.004, List.of("202096"), Instant.parse("2026-12-01T00:00:00Z"), "x").load(file, List.of());
    database = Database.open(file, SETTINGS);
    edgeBoard = database.submitWrite(TimelinePageTest::everyOtherKind).get();
  }

  @AfterAll
  void close() {
    if (database != null) {
      database.close();
    }
  }

  @Test
  void every_members_pages_are_the_pages_read_in_several_statements_byte_for_byte() throws Exception {
    List<String[]> pairs = database.submitRead(c -> {
      List<String[]> found = new ArrayList<>();
      PostDetailsSql.query(c, "select m.user_id, m.board_id, (select seq from posts p where p.board_id = m.board_id"
          + " order by seq desc limit 1 offset 20), (select category from posts p where p.board_id = m.board_id"
          + " group by category order by count(*) desc limit 1) from board_members m where m.status = 'active'"
          + " order by m.board_id = ? desc, m.board_id, m.user_id limit 300", List.of(edgeBoard),
          rs -> found.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)}));
      return found;
    }).get();
    assertThat(pairs).hasSizeGreaterThan(100).anyMatch(pair -> pair[1].equals(edgeBoard));
    int[] seen = new int[4];
    for (String[] pair : pairs) {
      long further = pair[2] == null ? Long.MAX_VALUE : Long.parseLong(pair[2]);
      List<List<String>> categories = List.of(List.of(), List.of(), List.of(pair[3]));
      long[] befores = {Long.MAX_VALUE, further, Long.MAX_VALUE};
      for (int i = 0; i < befores.length; i++) {
        long before = befores[i];
        List<String> category = categories.get(i);
        String now = page(c -> TimelinePage.read(c, pair[1], pair[0], before, category,
            new AuthorPlaces().reading()));
        String then = page(c -> TimelinePageAsItWas.read(c, pair[1], pair[0], before, category,
            new AuthorPlaces().reading()));
        assertThat(now).as("member %s of %s before %d in %s", pair[0], pair[1], before, category).isEqualTo(then);
        count(new JsonObject(now), seen);
      }
    }
    assertThat(java.util.Arrays.stream(seen).boxed().toList())
        .as("posts with attachments, comments, recipients; posts").allSatisfy(n -> assertThat(n).isPositive());
  }

  private String page(jp.tsunagu.node.storage.SqlWork<io.vertx.core.buffer.Buffer> read) throws Exception {
    return database.submitRead(read).get().toString();
  }

  private static void count(JsonObject page, int[] seen) {
    for (Object p : page.getJsonArray("posts")) {
      JsonObject post = (JsonObject) p;
      seen[0] += post.getJsonArray("attachments").isEmpty() ? 0 : 1;
      seen[1] += post.getJsonArray("comments").isEmpty() ? 0 : 1;
      seen[2] += post.containsKey("recipientDetails") ? 1 : 0;
      seen[3]++;
    }
  }

  /** The busiest board given every kind of post and text the data set lacks; returns its id. */
  private static String everyOtherKind(Connection c) throws SQLException {
    String[] board = new String[2];
    PostDetailsSql.query(c, "select p.board_id, p.author_id from posts p group by p.board_id order by count(*) desc"
        + " limit 1", List.of(), rs -> {
          board[0] = rs.getString(1);
          board[1] = rs.getString(2);
        });
    String boardId = board[0];
    String author = board[1];
    run(c, "insert into users (id, facility_id, login_id, email, family_name, given_name, family_kana, given_kana,"
        + " profession, role, password_hash, status, created_at, home_node, remote_facility) values ('partner-1',"
        + " null, 'partner-1', 'partner-1@example.jp', '宮坂', '由美', '', '', 'nurse', 'professional', 'x', 'active',"
        + " '2026-01-01T00:00:00Z', 'minamiminowa', '南箕輪訪問看護')");
    run(c, "insert into board_members (board_id, user_id, team_role, status, invited_by, invited_at, changed_at)"
        + " values (?, 'partner-1', '訪問看護', 'active', ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        boardId, author);
    long seq = 1_000_000;
    post(c, "edge-vitals", boardId, seq++, author, "vitals", "血圧 132/80", "vitals",
        "{\"systolic\":132,\"diastolic\":80,\"temperature\":36.5}", "active", null);
    post(c, "edge-form", boardId, seq++, author, "form", "訪問看護報告書", "nursing_report",
        "{\"answers\":{\"note\":\"" + "改行\\n引用\\\"" + "\"},\"items\":[1,2.5,null,true]}", "active", null);
    post(c, "edge-deleted", boardId, seq++, author, "note", HOSTILE, null, null, "deleted", null);
    post(c, "edge-hostile", boardId, seq++, "partner-1", "note", HOSTILE, null, null, "active", null);
    // the same text but for the character above U+FFFF: the page escapes it from the bytes SQLite holds
    post(c, "edge-escaped", boardId, seq++, author, "note", HOSTILE.replace("😀", ""), null, null, "active", null);
    post(c, "edge-pending", boardId, PostSql.PENDING_SEQ_BASE + 1, author, "note", "送信待ち", null, null, "active",
        "pending");
    run(c, "update posts set version = 2, edited_at = '2026-11-30T01:02:03.456Z', direct = 1 where id = 'edge-hostile'");
    run(c, "insert into post_recipients (post_id, user_id) values ('edge-hostile', 'partner-1'), ('edge-hostile', ?)",
        author);
    for (String post : List.of("edge-deleted", "edge-hostile")) {
      run(c, "insert into comments (id, post_id, author_id, author_name, author_profession, author_facility, body,"
          + " created_at) values (?, ?, 'partner-1', '宮坂 由美', '看護師', '南箕輪訪問看護', ?, '2026-11-30T02:00:00Z')",
          post + "-c1", post, HOSTILE);
      run(c, "insert into comments (id, post_id, author_id, author_name, author_profession, author_facility, body,"
          + " created_at) values (?, ?, ?, '作者', '医師', '', '了解', '2026-11-30T01:00:00Z')", post + "-c2", post,
          author);
      for (int i = 0; i < 2; i++) {
        run(c, "insert into attachments (id, sha256, file_name, media_type, size, thumbnail, uploaded_by, uploaded_at,"
            + " post_id) values (?, '00', ?, 'image/jpeg', ?, ?, ?, ?, ?)", post + "-a" + i, "写真\"" + i + "\".jpg",
            Long.toString(3_000_000_000L + i), Integer.toString(i), author, "2026-11-30T0" + (3 - i) + ":00:00Z", post);
      }
    }
    return boardId;
  }

  private static void post(Connection c, String id, String boardId, long seq, String author, String kind, String body,
      String formType, String formData, String status, String syncState) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into posts (id, board_id, seq, author_id, author_name,"
        + " author_profession, author_facility, category, kind, body, form_type, form_data, direct, status, version,"
        + " created_at, sync_state) values (?, ?, ?, ?, '作者 " + kind + "', '医師', 'クリニック \"本院\"', '連絡', ?, ?,"
        + " ?, ?, 0, ?, 1, '2026-11-30T00:00:00Z', ?)")) {
      s.setString(1, id);
      s.setString(2, boardId);
      s.setLong(3, seq);
      s.setString(4, author);
      s.setString(5, kind);
      s.setString(6, body);
      s.setString(7, formType);
      s.setString(8, formData);
      s.setString(9, status);
      s.setString(10, syncState);
      s.executeUpdate();
    }
  }

  private static void run(Connection c, String sql, String... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setString(i + 1, params[i]);
      }
      s.executeUpdate();
    }
  }
}
