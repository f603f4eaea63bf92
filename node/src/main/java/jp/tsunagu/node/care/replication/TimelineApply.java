package jp.tsunagu.node.care.replication;

import static jp.tsunagu.node.care.replication.EventFields.array;
import static jp.tsunagu.node.care.replication.EventFields.object;
import static jp.tsunagu.node.care.replication.EventFields.requireText;
import static jp.tsunagu.node.care.replication.EventFields.optionalObject;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.care.vitals.VitalsSql;
import jp.tsunagu.node.care.vitals.VitalsRoutes;
import jp.tsunagu.node.care.vitals.Vitals;
import jp.tsunagu.node.care.timeline.TimelineRoutes;
import jp.tsunagu.node.care.timeline.PostWriter;
import jp.tsunagu.node.care.timeline.PostSql;
import jp.tsunagu.node.care.timeline.PostDetailsSql;
import jp.tsunagu.node.care.timeline.Post;
import jp.tsunagu.node.care.timeline.Author;
import jp.tsunagu.node.care.teams.FederatedUsers;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.categories.CategoryRoutes;
import jp.tsunagu.node.care.attachments.AttachmentSql;
import jp.tsunagu.node.care.attachments.AttachmentFiles;
import jp.tsunagu.node.care.attachments.Attachment;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.care.CareErrors;

/**
 * The timeline's team events applied to the care tables: posts with their attachments and vitals,
 * edits, deletions, comments and reads. On the home node ({@code check}) a partner's write is checked
 * as a local member's would be; on a replica the home node's sequenced event is written as it came.
 * Which event type calls which method is {@link TeamApply}'s.
 */
final class TimelineApply {

  private final FederatedUsers users;
  private final AttachmentFiles files;

  TimelineApply(FederatedUsers users, AttachmentFiles files) {
    this.users = users;
    this.files = files;
  }


  List<LiveNotice> post(Connection c, String boardId, Author by, JsonObject post, boolean check)
      throws SQLException {
    String author = by.userId();
    String postId = requireText(post, "id");
    String kind = requireText(post, "kind");
    List<String> recipients = new ArrayList<>();
    for (Object r : array(post, "recipients")) {
      recipients.add(users.localUser(c, String.valueOf(r), null));
    }
    if (check) {
      if (!List.of("note", "form", "vitals").contains(kind)) {
        throw SyncRejection.malformed("post kind " + kind);
      }
      CareInput.checkedText(requireText(post, "body"), "本文", TimelineRoutes.BODY_MAX);
      partnerCategory(requireText(post, "category"));
      if (!BoardSql.activeMemberIds(c, boardId).containsAll(recipients)) {
        throw CareErrors.invalid("care.recipient_not_member", "特別便の宛先はチームのメンバーから選んでください。");
      }
      if (!recipients.isEmpty() && recipients.stream().allMatch(author::equals)) {
        throw new SyncRejection("care.recipient_self_only", "a direct post names someone besides its author");
      }
      if (PostSql.exists(c, postId)) {
        throw new SyncRejection("sync.object_exists", "post " + postId + " already exists");
      }
    }
    if (!recipients.isEmpty() && !recipients.contains(author)) {
      recipients.add(author);
    }
    PostSql.insertAs(c, new PostSql.NewPost(postId, boardId, by.asActor(), requireText(post, "category"), kind,
        requireText(post, "body"), post.getString("formType"), post.getString("formData"), recipients, List.of()),
        by, requireText(post, "createdAt"), null);
    for (Object item : array(post, "attachments")) {
      attachment(c, item instanceof JsonObject o ? o : new JsonObject(), postId, author, check);
    }
    JsonObject vitals = optionalObject(post, "vitals");
    if (!vitals.isEmpty()) {
      VitalsSql.insert(c, boardId, postId, author, Vitals.fromJson(vitals));
    }
    return List.of(new LiveNotice(boardId, PostWriter.event("post", postId, recipients)));
  }

  private void attachment(Connection c, JsonObject a, String postId, String author, boolean check)
      throws SQLException {
    String sha256 = requireText(a, "sha256");
    if (!sha256.matches("[0-9a-f]{64}") || !java.nio.file.Files.exists(files.file(sha256))) {
      throw new SyncRejection("sync.attachment_missing", "attachment " + sha256 + " has not arrived");
    }
    String id = requireText(a, "id");
    if (check && AttachmentSql.byId(c, id).isPresent()) {
      throw new SyncRejection("sync.object_exists", "attachment " + id + " already exists");
    }
    boolean thumbnail = java.nio.file.Files.exists(files.thumbnailFile(sha256));
    AttachmentSql.insertPosted(c, new Attachment(id, sha256, requireText(a, "fileName"), requireText(a, "mediaType"),
        a.getLong("size", 0L), thumbnail, author, postId));
  }

  /**
   * A partner's member writes with the 情報カテゴリー her own node offers; municipalities configure
   * their lists differently, and a clinical note must never be refused over its label. So the home
   * node keeps the category as written and shows it as a label (the timeline filter finds it by
   * that name); it only has to be a short, clean text like any category name.
   */
  private static void partnerCategory(String category) {
    if (CareInput.checkedText(category, "情報カテゴリー", CategoryRoutes.NAME_MAX).isEmpty()) {
      throw SyncRejection.malformed("the post carries no category");
    }
  }

  List<LiveNotice> edit(Connection c, String boardId, String author, JsonObject data, boolean check)
      throws SQLException {
    Post post = ownPost(c, boardId, author, requireText(data, "postId"), check);
    String category = requireText(data, "category");
    String body = requireText(data, "body");
    if (check) {
      CareInput.checkedText(body, "本文", TimelineRoutes.BODY_MAX);
      partnerCategory(category);
    }
    Optional<Vitals> vitals = correctedVitals(post, data, check);
    PostSql.edit(c, post, category, body, vitals.map(v -> v.toJson().encode()).orElse(data.getString("formData")),
        at(data));
    if (vitals.isPresent()) {
      VitalsSql.update(c, post.id(), vitals.get());
    }
    return List.of(new LiveNotice(boardId, PostWriter.event("edit", post.id(), PostDetailsSql.recipients(c, post.id()))));
  }

  /** A vitals post changes only with its values, checked as a local correction would be. */
  private static Optional<Vitals> correctedVitals(Post post, JsonObject data, boolean check) {
    if (!"vitals".equals(post.kind())) {
      return Optional.empty();
    }
    JsonObject values = check ? object(data, "vitals") : optionalObject(data, "vitals");
    if (values.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(check ? VitalsRoutes.validate(new CareInput(values)) : Vitals.fromJson(values));
  }

  List<LiveNotice> delete(Connection c, String boardId, String author, JsonObject data, boolean check)
      throws SQLException {
    Post post = ownPost(c, boardId, author, requireText(data, "postId"), check);
    PostSql.markDeleted(c, post.id(), at(data));
    return List.of(new LiveNotice(boardId, PostWriter.event("delete", post.id(),
        PostDetailsSql.recipients(c, post.id()))));
  }

  private static Post ownPost(Connection c, String boardId, String author, String postId, boolean check)
      throws SQLException {
    if (!PostSql.exists(c, postId)) {
      throw new SyncRejection("care.not_found", "no post " + postId);
    }
    Post post = PostSql.byId(c, postId);
    if (!post.boardId().equals(boardId)) {
      throw new SyncRejection("care.not_found", "no post " + postId + " on board " + boardId);
    }
    if (!post.authorId().equals(author)) { // on a replica too: a home node cannot edit someone's post for them
      throw new SyncRejection("care.not_author", "not the author's post");
    }
    if (check && post.deleted()) {
      throw new SyncRejection("care.post_deleted", "not the author's live post");
    }
    return post;
  }

  List<LiveNotice> comment(Connection c, String boardId, Author by, JsonObject comment, boolean check)
      throws SQLException {
    String author = by.userId();
    String postId = requireText(comment, "postId");
    String commentId = requireText(comment, "id");
    String body = requireText(comment, "body");
    if (!check) { // on a replica too: nobody comments on a 特別便 they were not sent (they may have left since)
      List<String> recipients = PostDetailsSql.recipients(c, postId);
      if (!recipients.isEmpty() && !recipients.contains(author)) {
        throw new SyncRejection("care.not_found", "no post " + postId + " the author may see");
      }
    }
    if (check) {
      var visible = PostSql.visible(c, postId, author);
      if (visible.isEmpty() || !visible.get().post().boardId().equals(boardId)) {
        throw new SyncRejection("care.not_found", "no post " + postId + " the author may see");
      }
      if (visible.get().post().deleted()) {
        throw CareErrors.invalid("care.post_deleted", "削除済みの記事にはコメントできません。");
      }
      CareInput.checkedText(body, "コメント", 4000);
    }
    PostDetailsSql.insertComment(c, commentId, postId, by, body, requireText(comment, "createdAt"));
    return List.of(new LiveNotice(boardId, PostWriter.event("comment", postId, PostDetailsSql.recipients(c, postId))));
  }

  List<LiveNotice> read(Connection c, String boardId, String reader, JsonObject data) throws SQLException {
    List<String> postIds = new ArrayList<>();
    array(data, "postIds").forEach(id -> postIds.add(String.valueOf(id)));
    List<String> marked = PostDetailsSql.markRead(c, boardId, reader, postIds, at(data));
    List<LiveNotice> notices = new ArrayList<>();
    for (String postId : marked) {
      List<String> recipients = PostDetailsSql.recipients(c, postId);
      JsonObject event = new JsonObject().put("type", "read").put("postIds", new JsonArray().add(postId))
          .put("userId", reader);
      notices.add(new LiveNotice(boardId, recipients.isEmpty() ? event : event.put("recipients", new JsonArray(recipients))));
    }
    return notices;
  }

  /** When the event says it happened (its {@code at}), or now for an event that does not say. */
  static String at(JsonObject data) {
    String at = data.getString("at");
    return at != null ? at : java.time.Instant.now().toString();
  }
}
