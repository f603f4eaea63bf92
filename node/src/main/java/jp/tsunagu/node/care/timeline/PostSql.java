package jp.tsunagu.node.care.timeline;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.care.teams.BoardKind;
import jp.tsunagu.node.care.CareActor;

/**
 * The SQL of posts: the timeline page, writing, editing, deleting and finding one post. Kept as one
 * class past 300 lines: every query here reads the same post row through one column list and one
 * reader, and splitting them would put that row's shape in two places.
 */
public final class PostSql {

  static final int PAGE = 50;
  static final String COLUMNS = "p.id, p.board_id, p.seq, p.author_id, p.author_name, p.author_profession,"
      + " p.author_facility, p.category, p.kind, p.body, p.form_type, p.form_data, p.direct, p.status, p.version,"
      + " p.created_at, p.edited_at, p.sync_state";
  /** A post the user may see: not direct, or direct with the user among its recipients. */
  static final String VISIBLE = "(p.direct = 0 or exists (select 1 from post_recipients r"
      + " where r.post_id = p.id and r.user_id = ?))";

  /** What a new post carries; {@code recipients} non-empty makes it a direct post (特別便). */
  public record NewPost(String id, String boardId, CareActor author, String category, String kind, String body,
      String formType, String formData, List<String> recipients, List<String> attachmentIds) {}

  /** A post with the kind of board it is on, for the routes addressed by post id. */
  public record Located(Post post, BoardKind kind) {}

  /** One version of a post as it was written: the first, then one for each edit. */
  public record Version(int version, String category, String body, String formData, String writtenAt) {}

  private PostSql() {}

  /**
   * The newest posts of a board, newest first, down to its {@code PAGE}th post that is not direct
   * (or all of them): whatever direct posts (特別便) a member may or may not see, the first page of
   * every member is among them.
   */
  static List<Post> newestForEveryMember(Connection c, String boardId) throws SQLException {
    List<Post> posts = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from posts p where p.board_id = ?"
        + " order by p.seq desc")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        int visibleToAll = 0;
        while (visibleToAll < PAGE && rs.next()) {
          Post post = post(rs);
          posts.add(post);
          visibleToAll += post.direct() ? 0 : 1;
        }
      }
    }
    return posts;
  }

  /** The post if the user is an active member of its board and may see it; empty otherwise. */
  public static Optional<Located> visible(Connection c, String postId, String userId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + ", b.kind from posts p"
        + " join care_boards b on b.id = p.board_id join board_members m on m.board_id = p.board_id"
        + " and m.user_id = ? and m.status = 'active' where p.id = ? and coalesce(b.replica_state, 'live') = 'live'"
        + " and " + VISIBLE)) {
      s.setString(1, userId);
      s.setString(2, postId);
      s.setString(3, userId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Located(post(rs), BoardKind.ofCode(rs.getString(19))));
      }
    }
  }

  public static Post byId(Connection c, String postId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from posts p where p.id = ?")) {
      s.setString(1, postId);
      return read(s).get(0);
    }
  }

  /** A board's posts after a seq, oldest first, at most {@code limit}. */
  public static List<Post> after(Connection c, String boardId, long seq, int limit) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from posts p where p.board_id = ?"
        + " and p.seq > ? order by p.seq limit ?")) {
      s.setString(1, boardId);
      s.setLong(2, seq);
      s.setInt(3, limit);
      return read(s);
    }
  }

  /**
   * Posts written on a replica and not yet sequenced by the home node sort above every sequenced
   * post (newest), from this base up; the home node's order replaces it when the event comes back.
   */
  static final long PENDING_SEQ_BASE = 1_000_000_000_000L;

  public static long insert(Connection c, NewPost p, String now) throws SQLException {
    Author author = new Author(p.author().userId(), p.author().displayName(), p.author().professionName(),
        facilityName(c, p.author().facilityId().orElse("")));
    return insertAs(c, p, author, now, null);
  }

  /**
   * Inserts a post with its author's names as given; {@code syncState} 'pending' for a replica's own
   * write. Its place in the board's order is taken in the same statement, and returned. Its first
   * version is the row itself until it is edited ({@link #edit} keeps it in {@code post_versions}
   * first): a copy of every post's text beside it, written with every post, was read only for the
   * few posts that are ever edited.
   */
  public static long insertAs(Connection c, NewPost p, Author author, String now, String syncState) throws SQLException {
    String nextSeq = "pending".equals(syncState)
        ? "(select coalesce(max(seq), " + PENDING_SEQ_BASE + ") + 1 from posts where board_id = ? and seq > "
            + PENDING_SEQ_BASE + ")"
        : "(select coalesce(max(seq), 0) + 1 from posts where board_id = ? and seq < " + PENDING_SEQ_BASE + ")";
    long seq;
    try (PreparedStatement s = c.prepareStatement("insert into posts (id, board_id, seq, author_id, author_name,"
        + " author_profession, author_facility, category, kind, body, form_type, form_data, direct, status, version,"
        + " created_at, sync_state) values (?, ?, " + nextSeq + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', 1, ?, ?)"
        + " returning seq")) {
      s.setString(1, p.id());
      s.setString(2, p.boardId());
      s.setString(3, p.boardId());
      s.setString(4, author.userId());
      s.setString(5, author.name());
      s.setString(6, author.professionName());
      s.setString(7, author.facility());
      s.setString(8, p.category());
      s.setString(9, p.kind());
      s.setString(10, p.body());
      s.setString(11, p.formType());
      s.setString(12, p.formData());
      s.setInt(13, p.recipients().isEmpty() ? 0 : 1);
      s.setString(14, now);
      s.setString(15, syncState);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        seq = rs.getLong(1);
      }
    }
    for (String recipient : p.recipients()) {
      try (PreparedStatement s = c.prepareStatement("insert or ignore into post_recipients (post_id, user_id)"
          + " values (?, ?)")) {
        s.setString(1, p.id());
        s.setString(2, recipient);
        s.executeUpdate();
      }
    }
    return seq;
  }

  static String facilityName(Connection c, String facilityId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select name from facilities where id = ?")) {
      s.setString(1, facilityId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : "";
      }
    }
  }

  private static long nextSeq(Connection c, String boardId) throws SQLException {
    return single(c, "select coalesce(max(seq), 0) + 1 from posts where board_id = ? and seq < "
        + PENDING_SEQ_BASE, boardId);
  }

  private static long nextPendingSeq(Connection c, String boardId) throws SQLException {
    return single(c, "select coalesce(max(seq), " + PENDING_SEQ_BASE + ") + 1 from posts where board_id = ?"
        + " and seq > " + PENDING_SEQ_BASE, boardId);
  }

  private static long single(Connection c, String sql, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Marks a replica's own post as waiting for the home node (送信待ち), above the sequenced posts. */
  public static void markPending(Connection c, String postId, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update posts set sync_state = 'pending', seq = ? where id = ?")) {
      s.setLong(1, nextPendingSeq(c, boardId));
      s.setString(2, postId);
      s.executeUpdate();
    }
  }

  /** The home node sequenced a pending post: it takes its place in the home node's order. */
  public static void settle(Connection c, String postId, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update posts set sync_state = null, seq = ? where id = ?"
        + " and sync_state is not null")) {
      s.setLong(1, nextSeq(c, boardId));
      s.setString(2, postId);
      s.executeUpdate();
    }
  }

  public static void markRejected(Connection c, String postId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update posts set sync_state = 'rejected' where id = ?")) {
      s.setString(1, postId);
      s.executeUpdate();
    }
  }

  public static boolean exists(Connection c, String postId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select 1 from posts where id = ?")) {
      s.setString(1, postId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Changes a post's text, keeping every version: the one it replaces is copied to {@code post_versions}
   * first if it is not there yet (a post's first version is its row until its first edit; posts written
   * before that kept it there from the start).
   */
  public static void edit(Connection c, Post post, String category, String body, String formData, String now)
      throws SQLException {
    int version = post.version() + 1;
    try (PreparedStatement s = c.prepareStatement("insert or ignore into post_versions (post_id, version, category,"
        + " body, form_data, written_at) select id, version, category, body, form_data, coalesce(edited_at, created_at)"
        + " from posts where id = ?")) {
      s.setString(1, post.id());
      s.executeUpdate();
    }
    try (PreparedStatement s = c.prepareStatement("update posts set category = ?, body = ?, form_data = ?,"
        + " version = ?, edited_at = ? where id = ?")) {
      s.setString(1, category);
      s.setString(2, body);
      s.setString(3, formData);
      s.setInt(4, version);
      s.setString(5, now);
      s.setString(6, post.id());
      s.executeUpdate();
    }
    insertVersion(c, post.id(), version, category, body, formData, now);
  }

  public static void markDeleted(Connection c, String postId, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update posts set status = 'deleted', edited_at = ? where id = ?")) {
      s.setString(1, now);
      s.setString(2, postId);
      s.executeUpdate();
    }
  }

  private static void insertVersion(Connection c, String postId, int version, String category, String body,
      String formData, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into post_versions (post_id, version, category, body,"
        + " form_data, written_at) values (?, ?, ?, ?, ?, ?)")) {
      s.setString(1, postId);
      s.setInt(2, version);
      s.setString(3, category);
      s.setString(4, body);
      s.setString(5, formData);
      s.setString(6, now);
      s.executeUpdate();
    }
  }

  /** Every version of the post, oldest first: those kept, and its row while it is its first one. */
  public static List<Version> versions(Connection c, String postId) throws SQLException {
    List<Version> versions = new ArrayList<>();
    PostDetailsSql.query(c, "select version, category, body, form_data, written_at from post_versions"
        + " where post_id = ? union all select p.version, p.category, p.body, p.form_data, p.created_at from posts p"
        + " where p.id = ? and not exists (select 1 from post_versions v where v.post_id = p.id"
        + " and v.version = p.version) order by 1", List.of(postId, postId), rs -> versions.add(new Version(rs.getInt(1),
            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5))));
    return versions;
  }

  public static List<String> activeCategories(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select name from post_categories where active = 1 order by position");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  /** "?, ?, ?" for an IN list of that many values. */
  static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }

  public static Map<String, JsonObject> byId(List<Post> posts) {
    Map<String, JsonObject> json = new LinkedHashMap<>();
    posts.forEach(p -> json.put(p.id(), p.toJson()));
    return json;
  }

  private static List<Post> read(PreparedStatement s) throws SQLException {
    List<Post> posts = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        posts.add(post(rs));
      }
    }
    return posts;
  }

  static Post post(ResultSet rs) throws SQLException {
    return new Post(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
        rs.getString(12), rs.getInt(13) == 1, rs.getString(14), rs.getInt(15), rs.getString(16), rs.getString(17),
        rs.getString(18));
  }
}
