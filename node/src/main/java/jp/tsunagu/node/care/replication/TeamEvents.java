package jp.tsunagu.node.care.replication;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import jp.tsunagu.node.care.vitals.VitalsSql;
import jp.tsunagu.node.care.timeline.PostSql;
import jp.tsunagu.node.care.timeline.PostDetailsSql;
import jp.tsunagu.node.care.timeline.Post;
import jp.tsunagu.node.care.teams.Member;
import jp.tsunagu.node.care.teams.FederatedUsers;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.patients.PatientSql;
import jp.tsunagu.node.care.patients.Patient;
import jp.tsunagu.node.care.CareErrors;

/**
 * The team events of a shared board and what each carries, built from the rows a write has just
 * made (so the route's own SQL stays the one truth). People are named by federated id with their
 * profile, so every node can show who wrote what. The receiving side is {@link TeamApply}.
 */
public final class TeamEvents {

  public static final String OPENED = "care.board.opened";
  public static final String PATIENT = "care.patient.updated";
  public static final String INVITED = "care.member.invited";
  public static final String MEMBER = "care.member.changed";
  public static final String POST = "care.post.created";
  public static final String EDITED = "care.post.edited";
  public static final String DELETED = "care.post.deleted";
  public static final String COMMENT = "care.comment.created";
  public static final String READ = "care.post.read";

  /** Every care team event type, as the care feature declares them ({@link TeamApply#types}). */
  public static final List<String> TYPES = List.of(OPENED, PATIENT, INVITED, MEMBER, POST, EDITED, DELETED, COMMENT,
      READ);

  /** An event about to be signed: its type, the ids it touches besides the board, and its content. */
  public record Draft(String type, List<String> targets, JsonObject data) {}

  private final FederatedUsers users;

  TeamEvents(FederatedUsers users) {
    this.users = users;
  }

  public FederatedUsers users() {
    return users;
  }

  public Draft opened(Connection c, String boardId) throws SQLException {
    Patient patient = PatientSql.byId(c, boardId).orElseThrow(CareErrors::notFound);
    String creator;
    try (PreparedStatement s = c.prepareStatement("select created_by from patients where id = ?")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        creator = rs.getString(1);
      }
    }
    return new Draft(OPENED, List.of(), new JsonObject().put("author", users.profile(c, creator))
        .put("patient", patient.toJson()));
  }

  public Draft patient(Connection c, String boardId, String actor) throws SQLException {
    Patient patient = PatientSql.byId(c, boardId).orElseThrow(CareErrors::notFound);
    return new Draft(PATIENT, List.of(), new JsonObject().put("author", users.profile(c, actor))
        .put("patient", patient.toJson()));
  }

  public Draft invited(Connection c, String boardId, String memberId) throws SQLException {
    Member member = BoardSql.member(c, boardId, memberId).orElseThrow();
    String invitedBy = invitedBy(c, boardId, memberId);
    return new Draft(INVITED, List.of(), new JsonObject().put("author", users.profile(c, invitedBy))
        .put("member", users.profile(c, memberId)).put("teamRole", member.teamRole()));
  }

  public Draft member(Connection c, String boardId, String memberId, String actor) throws SQLException {
    Member member = BoardSql.member(c, boardId, memberId).orElseThrow();
    return new Draft(MEMBER, List.of(), new JsonObject().put("author", users.profile(c, actor))
        .put("member", users.federatedId(c, memberId)).put("status", member.status()));
  }

  public Draft post(Connection c, String postId) throws SQLException {
    Post post = PostSql.byId(c, postId);
    JsonArray recipients = new JsonArray();
    // only a direct post (特別便) has recipients, fixed when it is written: no look-up for the others
    for (String recipient : post.direct() ? PostDetailsSql.recipients(c, postId) : List.<String>of()) {
      recipients.add(users.federatedId(c, recipient));
    }
    JsonArray attachments = new JsonArray();
    PostDetailsSql.query(c, "select id, sha256, file_name, media_type, size from attachments where post_id = ?"
        + " order by uploaded_at, id", List.of(postId), rs -> attachments.add(new JsonObject().put("id", rs.getString(1))
            .put("sha256", rs.getString(2)).put("fileName", rs.getString(3)).put("mediaType", rs.getString(4))
            .put("size", rs.getLong(5))));
    JsonObject json = new JsonObject().put("id", postId).put("category", post.category()).put("kind", post.kind())
        .put("body", post.deleted() ? "" : post.body()).put("formType", post.formType())
        .put("formData", post.deleted() ? null : post.formData()).put("createdAt", post.createdAt())
        .put("recipients", recipients).put("attachments", attachments);
    vitals(c, postId, json);
    return new Draft(POST, List.of(postId), new JsonObject().put("author", users.profile(c, post.authorId()))
        .put("post", json));
  }

  /** A vitals post's values travel with it and with each correction, for the partner's chart. */
  private static void vitals(Connection c, String postId, JsonObject post) throws SQLException {
    VitalsSql.ofPost(c, postId).ifPresent(v -> post.put("vitals", v.toJson()));
  }

  public Draft edited(Connection c, String postId) throws SQLException {
    Post post = PostSql.byId(c, postId);
    JsonObject data = new JsonObject().put("author", users.profile(c, post.authorId()))
        .put("postId", postId).put("category", post.category()).put("body", post.body())
        .put("formData", post.formData()).put("at", post.editedAt());
    vitals(c, postId, data);
    return new Draft(EDITED, List.of(postId), data);
  }

  public Draft deleted(Connection c, String postId) throws SQLException {
    Post post = PostSql.byId(c, postId);
    return new Draft(DELETED, List.of(postId), new JsonObject().put("author", users.profile(c, post.authorId()))
        .put("postId", postId).put("at", post.editedAt()));
  }

  public Draft comment(Connection c, String commentId) throws SQLException {
    JsonObject[] found = new JsonObject[1];
    String[] author = new String[1];
    PostDetailsSql.query(c, "select post_id, author_id, body, created_at from comments where id = ?",
        List.of(commentId), rs -> {
          author[0] = rs.getString(2);
          found[0] = new JsonObject().put("id", commentId).put("postId", rs.getString(1)).put("body", rs.getString(3))
              .put("createdAt", rs.getString(4));
        });
    return new Draft(COMMENT, List.of(found[0].getString("postId")), new JsonObject()
        .put("author", users.profile(c, author[0])).put("comment", found[0]));
  }

  public Draft read(Connection c, String reader, List<String> postIds, String at) throws SQLException {
    return new Draft(READ, List.copyOf(postIds), new JsonObject().put("author", users.profile(c, reader))
        .put("postIds", new JsonArray(postIds)).put("at", at));
  }

  private static String invitedBy(Connection c, String boardId, String memberId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "select invited_by from board_members where board_id = ? and user_id = ?")) {
      s.setString(1, boardId);
      s.setString(2, memberId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }
}
