package jp.tsunagu.node.care.timeline;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.care.teams.Places;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.CareFeature;
import jp.tsunagu.node.care.CareErrors;
import jp.tsunagu.node.care.CareContext;
import jp.tsunagu.node.care.CareActor;
import jp.tsunagu.node.web.Answers;

/**
 * Routes addressed by post id: reading one post, editing and deleting one's own post (history
 * kept: every version in {@code post_versions}, the text before each change in the audit log; a
 * form or vitals record changes through its own values in {@link FormRoutes} and {@link VitalsRoutes}),
 * comments and the list of readers. A post the caller may not see is a 404.
 */
public final class PostRoutes implements RouteSet {

  /** A changed post and, for a direct post, who may hear of the change. */
  public record Written(JsonObject post, List<String> recipients) {}

  private final CareContext care;

  public PostRoutes(CareContext care) {
    this.care = care;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/posts/:postId").handler(CareFeature.PROFESSIONALS).handler(this::show);
    api.put("/posts/:postId").handler(CareFeature.PROFESSIONALS).handler(AccessGuard::csrf).handler(this::edit);
    api.delete("/posts/:postId").handler(CareFeature.PROFESSIONALS).handler(AccessGuard::csrf)
        .handler(this::delete);
    care.services().idempotency().guard(api.post("/posts/:postId/comments").handler(CareFeature.PROFESSIONALS)
        .handler(AccessGuard::csrf)).handler(this::comment);
    api.get("/posts/:postId/reads").handler(CareFeature.PROFESSIONALS).handler(this::readers);
    api.get("/posts/:postId/versions").handler(CareFeature.PROFESSIONALS).handler(this::versions);
  }

  /** The post if the caller may see it; otherwise a failed future with the audited 404. */
  public Future<PostSql.Located> visible(CareActor actor, String postId, String action) {
    return care.database().read(c -> PostSql.visible(c, postId, actor.userId())).compose(found -> found
        .map(Future::succeededFuture)
        .orElseGet(() -> care.refused(actor, action, "post:" + postId)
            .transform(ignored -> Future.failedFuture(CareErrors.notFound()))));
  }

  private void show(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    String postId = ctx.pathParam("postId");
    visible(actor, postId, "care.post.read")
        .compose(found -> care.auditedRead(care.database().read(c ->
            PostDetailsSql.withDetails(c, List.of(found.post()), actor.userId()).get(0)), actor, "care.post.read",
            "post:" + postId))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void edit(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    String postId = ctx.pathParam("postId");
    CareInput input = CareInput.of(ctx);
    String category = input.text("category", "情報カテゴリー", 20);
    String body = input.text("body", "本文", TimelineRoutes.BODY_MAX);
    visible(actor, postId, "care.post.edit").compose(found -> care.database().write(c -> {
      Post post = PostSql.byId(c, postId);
      requireOwnLivePost(actor, post);
      // Their text is a summary of structured values: they change through those values, so the
      // chart and the printed form never disagree with the timeline.
      if ("form".equals(post.kind())) {
        throw CareErrors.invalid("care.form_post", "書類は書類の編集画面から変更してください。");
      }
      if ("vitals".equals(post.kind())) {
        throw CareErrors.invalid("care.vitals_post", "バイタルはバイタルの修正から変更してください。");
      }
      PostWriter.requireOpen(c, found.kind(), post.boardId());
      if (!PostSql.activeCategories(c).contains(category) && !category.equals(post.category())) {
        throw CareErrors.invalid("care.category_unknown", "情報カテゴリーを一覧から選んでください。");
      }
      PostSql.edit(c, post, category, body, post.formData(), care.now());
      care.audit().append(c, AuditEvent.success(actor.userId(), "care.post.edited", "post:" + postId,
          new JsonObject().put("version", post.version() + 1).put("previousCategory", post.category())
              .put("previousBody", post.body())));
      care.recordEvent(c, post.boardId(), care.events().edited(c, postId));
      var w = written(c, postId, actor);
      care.recordLive(c, found.post().boardId(), PostWriter.event("edit", postId, w.recipients()));
      return w;
    }).onSuccess(w -> CareContext.boardChanged(ctx.vertx(), found.post().boardId())))
        .onSuccess(w -> ctx.json(w.post())).onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    String postId = ctx.pathParam("postId");
    visible(actor, postId, "care.post.delete").compose(found -> care.database().write(c -> {
      Post post = PostSql.byId(c, postId);
      requireOwnLivePost(actor, post);
      PostSql.markDeleted(c, postId, care.now());
      // The text leaves the timeline but not the record: the audit entry keeps it.
      care.audit().append(c, AuditEvent.success(actor.userId(), "care.post.deleted", "post:" + postId,
          new JsonObject().put("version", post.version()).put("category", post.category()).put("body", post.body())
              .put("form", post.formData())));
      care.recordEvent(c, post.boardId(), care.events().deleted(c, postId));
      var recipients = PostDetailsSql.recipients(c, postId);
      care.recordLive(c, found.post().boardId(), PostWriter.event("delete", postId, recipients));
      return recipients;
    }).onSuccess(recipients -> CareContext.boardChanged(ctx.vertx(), found.post().boardId())))
        .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  public static void requireOwnLivePost(CareActor actor, Post post) {
    if (!post.authorId().equals(actor.userId())) {
      throw CareErrors.notAuthor();
    }
    if (post.deleted()) {
      throw CareErrors.invalid("care.post_deleted", "削除済みの記事は変更できません。");
    }
  }

  private void comment(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    String postId = ctx.pathParam("postId");
    String body = CareInput.of(ctx).text("body", "コメント", 4000);
    String id = CareIds.next();
    Answers.keepWithCreate(ctx, 201, Written.class, Written::post);
    visible(actor, postId, "care.comment.create").compose(found -> care.database().write(c -> {
      if (found.post().deleted()) {
        throw CareErrors.invalid("care.post_deleted", "削除済みの記事にはコメントできません。");
      }
      PostWriter.requireOpen(c, found.kind(), found.post().boardId());
      PostDetailsSql.insertComment(c, id, postId, actor, body, care.now());
      care.audit().append(c, AuditEvent.success(actor.userId(), "care.comment.created", "post:" + postId,
          new JsonObject().put("comment", id)));
      care.recordEvent(c, found.post().boardId(), care.events().comment(c, id));
      var w = written(c, postId, actor);
      care.recordLive(c, found.post().boardId(), PostWriter.event("comment", postId, w.recipients()));
      return w;
    }).onSuccess(w -> CareContext.boardChanged(ctx.vertx(), found.post().boardId())))
        .onSuccess(w -> Answers.createdAsWritten(ctx, w.post()))
        .onFailure(ctx::fail);
  }

  private void readers(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    String postId = ctx.pathParam("postId");
    Places places = care.replication().places();
    visible(actor, postId, "care.post.readers")
        .compose(found -> care.auditedRead(care.database().read(c -> PostDetailsSql.readers(c, postId, places)), actor,
            "care.post.readers", "post:" + postId))
        .onSuccess(rows -> ctx.json(new JsonObject().put("readers", new JsonArray(rows))))
        .onFailure(ctx::fail);
  }

  /**
   * Every version of an edited post, oldest first, for the members who may see it: what was written
   * and when (a form's answers too). A deleted post has none to show: its text stays only in the
   * audit log.
   */
  private void versions(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    String postId = ctx.pathParam("postId");
    visible(actor, postId, "care.post.versions").compose(found -> found.post().deleted()
        ? care.refused(actor, "care.post.versions", "post:" + postId)
            .transform(ignored -> Future.<JsonArray>failedFuture(CareErrors.notFound()))
        : care.auditedRead(care.database().read(c -> PostSql.versions(c, postId)), actor, "care.post.versions",
            "post:" + postId).map(versions -> new JsonArray(versions.stream().map(v -> versionJson(found.post(), v))
            .toList())))
        .onSuccess(versions -> ctx.json(new JsonObject().put("versions", versions))).onFailure(ctx::fail);
  }

  private static JsonObject versionJson(Post post, PostSql.Version v) {
    JsonObject json = new JsonObject().put("version", v.version()).put("category", v.category()).put("body", v.body())
        .put("writtenAt", v.writtenAt());
    return switch (post.kind()) {
      case "form" -> json.put("form", new JsonObject(v.formData()));
      case "vitals" -> json.put("vitals", v.formData() == null ? null : new JsonObject(v.formData()));
      default -> json;
    };
  }

  public static Written written(java.sql.Connection c, String postId, CareActor actor) throws java.sql.SQLException {
    return new Written(PostDetailsSql.withDetails(c, List.of(PostSql.byId(c, postId)), actor.userId()).get(0),
        PostDetailsSql.recipients(c, postId));
  }
}
