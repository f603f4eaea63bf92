package jp.tsunagu.node.care.replication;

import static jp.tsunagu.node.care.replication.EventFields.array;
import static jp.tsunagu.node.care.replication.EventFields.object;
import static jp.tsunagu.node.care.replication.EventFields.requireText;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.federation.envelope.Event;

/**
 * The checks of the objects a care team event names, against this node's tables: every post,
 * comment and attachment it touches is of the board the event was sent for, and a new one exists
 * nowhere yet. A partner cannot reach another board's records by naming them.
 */
final class EventObjects {

  private EventObjects() {}

  /** A new post and its attachments: none of them exists yet. */
  static void newPost(Connection c, String boardId, Event event) throws SQLException {
    JsonObject post = object(new JsonObject(event.data()), "post");
    requireNew(c, "posts", requireText(post, "id"));
    for (Object item : array(post, "attachments")) {
      if (item instanceof JsonObject attachment) {
        requireNew(c, "attachments", requireText(attachment, "id"));
      } else {
        throw SyncRejection.malformed("an attachment is not an object");
      }
    }
  }

  /** An edit or a deletion: of a post of this board. */
  static void postOfBoard(Connection c, String boardId, Event event) throws SQLException {
    requireOnBoard(c, boardId, requireText(new JsonObject(event.data()), "postId"));
  }

  /** A new comment: on a post of this board, itself new. */
  static void newComment(Connection c, String boardId, Event event) throws SQLException {
    JsonObject comment = object(new JsonObject(event.data()), "comment");
    requireOnBoard(c, boardId, requireText(comment, "postId"));
    requireNew(c, "comments", requireText(comment, "id"));
  }

  /** The posts a read receipt names (at least one). */
  static List<String> postsRead(JsonObject data) {
    List<String> named = new ArrayList<>();
    for (Object id : array(data, "postIds")) {
      named.add(String.valueOf(id));
    }
    if (named.isEmpty()) {
      throw SyncRejection.malformed("a read receipt names no post");
    }
    return named;
  }

  /** A read receipt: every post it names is of this board. */
  static void postsOfBoard(Connection c, String boardId, Event event) throws SQLException {
    for (String postId : event.targets().subList(1, event.targets().size())) {
      requireOnBoard(c, boardId, postId);
    }
  }

  private static void requireNew(Connection c, String table, String id) throws SQLException {
    if (exists(c, "select 1 from " + table + " where id = ?", id)) {
      throw new SyncRejection("sync.object_exists", table + " " + id + " already exists");
    }
  }

  private static void requireOnBoard(Connection c, String boardId, String postId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select board_id from posts where id = ?")) {
      s.setString(1, postId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next() || !rs.getString(1).equals(boardId)) {
          throw new SyncRejection("sync.object_not_on_board", "no post " + postId + " on board " + boardId);
        }
      }
    }
  }

  private static boolean exists(Connection c, String sql, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }
}
