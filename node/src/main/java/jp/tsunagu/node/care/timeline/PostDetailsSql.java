package jp.tsunagu.node.care.timeline;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.care.teams.Places;
import jp.tsunagu.node.care.teams.Member;
import jp.tsunagu.node.care.CareActor;

/**
 * The SQL of what hangs off posts: comments, read receipts (既読), direct-post recipients and the
 * attachments' metadata. A timeline page fetches each of them with one query for all its posts.
 */
public final class PostDetailsSql {

  private PostDetailsSql() {}

  /** The posts as JSON with their attachments, comments, recipients and read receipts. */
  static List<JsonObject> withDetails(Connection c, List<Post> posts, String userId) throws SQLException {
    Map<String, JsonObject> json = sharedDetails(c, posts);
    if (json.isEmpty()) {
      return List.of();
    }
    for (JsonObject post : json.values()) {
      post.put("readCount", 0).put("readByMe", userId.equals(post.getString("authorId")));
    }
    List<String> ids = padded(List.copyOf(json.keySet()));
    query(c, "select post_id, count(*), max(user_id = ?) from post_reads where post_id in ("
        + PostSql.placeholders(ids.size()) + ") group by post_id", prepend(userId, ids), rs -> {
          JsonObject post = json.get(rs.getString(1));
          post.put("readCount", rs.getInt(2)).put("readByMe", post.getBoolean("readByMe") || rs.getInt(3) == 1);
        });
    return new ArrayList<>(json.values());
  }

  /**
   * A post its author has just written, as a page shows it to them: it has no comments and no 既読
   * yet, and its author's place was read by the write's checks, so only what it may have is read (its
   * attachments if it was given any, a direct post's recipients), not the queries of a page.
   */
  static JsonObject justWritten(Connection c, Post post, boolean withAttachments, AuthorPlaces.Place place)
      throws SQLException {
    JsonObject json = post.toJson();
    if (withAttachments) {
      query(c, "select id, file_name, media_type, size, thumbnail from attachments where post_id = ?"
          + " order by uploaded_at", List.of(post.id()), rs -> json.getJsonArray("attachments")
              .add(new JsonObject().put("id", rs.getString(1)).put("name", rs.getString(2))
                  .put("mediaType", rs.getString(3)).put("size", rs.getLong(4)).put("thumbnail", rs.getInt(5) == 1)));
    }
    json.put("authorMunicipality", place.municipality()).put("authorHomeNode", place.homeNode());
    if (post.direct()) {
      JsonArray names = new JsonArray();
      JsonArray details = new JsonArray();
      query(c, "select u.family_name || ' ' || u.given_name, coalesce(f.name, u.remote_facility, ''),"
          + " f.municipality_code, u.home_node from post_recipients r join users u on u.id = r.user_id"
          + " left join facilities f on f.id = u.facility_id where r.post_id = ?"
          + " order by u.family_kana, u.given_kana, u.id", List.of(post.id()), rs -> {
            names.add(rs.getString(1));
            details.add(new JsonObject().put("name", rs.getString(1)).put("facility", rs.getString(2))
                .put("municipality", Places.municipality(rs.getString(3))).put("homeNode", rs.getString(4)));
          });
      if (!names.isEmpty()) {
        json.put("recipients", names).put("recipientDetails", details);
      }
    }
    return json.put("readCount", 0).put("readByMe", true);
  }

  /**
   * The posts as JSON, by id in their order, with what every member who may see them gets alike:
   * attachments, comments and a direct post's recipients. Read receipts, which differ by reader,
   * are left to the caller.
   */
  static Map<String, JsonObject> sharedDetails(Connection c, List<Post> posts) throws SQLException {
    Map<String, JsonObject> json = PostSql.byId(posts);
    if (posts.isEmpty()) {
      return json;
    }
    List<String> ids = padded(List.copyOf(json.keySet()));
    String in = PostSql.placeholders(ids.size());
    query(c, "select post_id, id, file_name, media_type, size, thumbnail from attachments where post_id in (" + in
        + ") order by uploaded_at", ids, rs -> json.get(rs.getString(1)).getJsonArray("attachments")
            .add(new JsonObject().put("id", rs.getString(2)).put("name", rs.getString(3))
                .put("mediaType", rs.getString(4)).put("size", rs.getLong(5)).put("thumbnail", rs.getInt(6) == 1)));
    // Authors are shown as people are everywhere else: beside the facility the row keeps, the
    // municipality of a local author's facility, or for a partner's professional her node, which the
    // page names by the municipalities the team's members give it (as it does for recipients). Both
    // are the same for every viewer, so they belong in the page the timeline cache keeps per board.
    query(c, "select p.id, f.municipality_code, u.home_node from posts p left join users u on u.id = p.author_id"
        + " left join facilities f on f.id = u.facility_id where p.id in (" + in + ")", ids,
        rs -> json.get(rs.getString(1)).put("authorMunicipality", Places.municipality(rs.getString(2)))
            .put("authorHomeNode", rs.getString(3)));
    query(c, "select m.post_id, m.id, m.author_id, m.author_name, m.author_profession, m.author_facility, m.body,"
        + " m.created_at, f.municipality_code, u.home_node from comments m left join users u on u.id = m.author_id"
        + " left join facilities f on f.id = u.facility_id where m.post_id in (" + in + ") order by m.created_at", ids,
        rs -> json.get(rs.getString(1)).getJsonArray("comments").add(new JsonObject().put("id", rs.getString(2))
            .put("authorId", rs.getString(3)).put("authorName", rs.getString(4))
            .put("authorProfession", rs.getString(5)).put("authorFacility", rs.getString(6))
            .put("authorMunicipality", Places.municipality(rs.getString(9))).put("authorHomeNode", rs.getString(10))
            .put("body", rs.getString(7)).put("createdAt", rs.getString(8))));
    // recipients: their names; recipientDetails: with facility and municipality (a partner's by her node)
    query(c, "select r.post_id, u.family_name || ' ' || u.given_name, coalesce(f.name, u.remote_facility, ''),"
        + " f.municipality_code, u.home_node from post_recipients r join users u on u.id = r.user_id"
        + " left join facilities f on f.id = u.facility_id where r.post_id in (" + in + ")"
        + " order by u.family_kana, u.given_kana, u.id", ids, rs -> {
          JsonObject post = json.get(rs.getString(1));
          JsonArray names = post.getJsonArray("recipients");
          if (names == null) {
            names = new JsonArray();
            post.put("recipients", names).put("recipientDetails", new JsonArray());
          }
          names.add(rs.getString(2));
          post.getJsonArray("recipientDetails").add(new JsonObject().put("name", rs.getString(2))
              .put("facility", rs.getString(3)).put("municipality", Places.municipality(rs.getString(4)))
              .put("homeNode", rs.getString(5)));
        });
    return json;
  }

  /**
   * The ids repeated up to a full page, so that the four queries below always have the same text
   * and their prepared statements are reused (kept per connection by the storage layer) however
   * many posts the page has; a repeated id in an IN list changes nothing.
   */
  private static List<String> padded(List<String> ids) {
    if (ids.size() >= PostSql.PAGE) {
      return ids;
    }
    List<String> padded = new ArrayList<>(PostSql.PAGE);
    padded.addAll(ids);
    while (padded.size() < PostSql.PAGE) {
      padded.add(ids.get(0));
    }
    return padded;
  }

  public static void insertComment(Connection c, String id, String postId, CareActor author, String body, String now)
      throws SQLException {
    insertComment(c, id, postId, new Author(author.userId(), author.displayName(), author.professionName(),
        PostSql.facilityName(c, author.facilityId().orElse(""))), body, now);
  }

  public static void insertComment(Connection c, String id, String postId, Author author, String body, String now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into comments (id, post_id, author_id, author_name,"
        + " author_profession, author_facility, body, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)"
        + " on conflict (id) do nothing")) {
      s.setString(1, id);
      s.setString(2, postId);
      s.setString(3, author.userId());
      s.setString(4, author.name());
      s.setString(5, author.professionName());
      s.setString(6, author.facility());
      s.setString(7, body);
      s.setString(8, now);
      s.executeUpdate();
    }
  }

  /**
   * Marks as read those of the posts that are on the board, visible to the user and not yet read;
   * returns the ids newly marked.
   */
  public static List<String> markRead(Connection c, String boardId, String userId, List<String> postIds, String now)
      throws SQLException {
    List<String> marked = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("insert or ignore into post_reads (post_id, user_id, read_at)"
        + " select p.id, ?, ? from posts p where p.id = ? and p.board_id = ? and p.status = 'active'"
        + " and (p.direct = 0 or exists (select 1 from post_recipients r where r.post_id = p.id and r.user_id = ?))")) {
      for (String postId : postIds) {
        s.setString(1, userId);
        s.setString(2, now);
        s.setString(3, postId);
        s.setString(4, boardId);
        s.setString(5, userId);
        if (s.executeUpdate() == 1) {
          marked.add(postId);
        }
      }
    }
    return marked;
  }

  /** Who has read the post, first reader first. */
  static List<JsonObject> readers(Connection c, String postId, Places places) throws SQLException {
    List<JsonObject> readers = new ArrayList<>();
    query(c, "select u.id, u.family_name || ' ' || u.given_name, u.profession,"
        + " coalesce(f.name, u.remote_facility, ''), r.read_at, f.municipality_code, u.home_node"
        + " from post_reads r join users u on u.id = r.user_id left join facilities f on f.id = u.facility_id"
        + " where r.post_id = ? order by r.read_at", List.of(postId),
        rs -> readers.add(Member.person(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(6), rs.getString(7)).toJson(places).put("readAt", rs.getString(5))));
    return readers;
  }

  public static List<String> recipients(Connection c, String postId) throws SQLException {
    List<String> ids = new ArrayList<>();
    query(c, "select user_id from post_recipients where post_id = ?", List.of(postId), rs -> ids.add(rs.getString(1)));
    return ids;
  }

  @FunctionalInterface
  public interface RowHandler {
    void accept(ResultSet rs) throws SQLException;
  }

  public static void query(Connection c, String sql, List<String> params, RowHandler row) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) {
        s.setString(i + 1, params.get(i));
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          row.accept(rs);
        }
      }
    }
  }

  private static List<String> prepend(String first, List<String> rest) {
    List<String> all = new ArrayList<>(rest.size() + 1);
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
