package jp.tsunagu.node.care.timeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.teams.BoardKind;
import jp.tsunagu.node.care.categories.CategorySql;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.CareFeature;
import jp.tsunagu.node.care.CareContext;
import jp.tsunagu.node.care.CareActor;
import jp.tsunagu.node.web.Answers;

/**
 * The timeline of a patient or a group: pages of posts, writing notes (with attachments, or as a
 * direct post to chosen members), and read receipts. Routes addressed by post id live in
 * {@link PostRoutes}.
 */
public final class TimelineRoutes implements RouteSet {

  public static final int BODY_MAX = 10_000;

  private final CareContext care;
  private final PostWriter writer;
  private final TimelineCache firstPages;
  private final Counter firstPagesFromCache;
  private final Counter firstPagesFromDatabase;

  public TimelineRoutes(CareContext care) {
    this.care = care;
    this.writer = new PostWriter(care);
    this.firstPages = care.timelines();
    MeterRegistry metrics = care.services().metrics();
    this.firstPagesFromCache = firstPagesCounter(metrics, "cache");
    this.firstPagesFromDatabase = firstPagesCounter(metrics, "database");
    Gauge.builder("tsunagu.timeline.cache.bytes", firstPages, TimelineCache::bytes)
        .description("bytes of first timeline pages kept in memory").baseUnit("bytes").register(metrics);
  }

  private static Counter firstPagesCounter(MeterRegistry metrics, String source) {
    return Counter.builder("tsunagu.timeline.first_pages").tag("source", source)
        .description("first timeline pages answered to members, by where they were read from").register(metrics);
  }

  @Override
  public void mountApi(Router api) {
    for (BoardKind kind : BoardKind.values()) {
      String base = "/" + kind.path() + "/:boardId";
      api.get(base + "/posts").handler(CareFeature.PROFESSIONALS).handler(ctx -> page(ctx, kind));
      care.services().idempotency().guard(api.post(base + "/posts").handler(CareFeature.PROFESSIONALS)
          .handler(AccessGuard::csrf)).handler(ctx -> create(ctx, kind));
      api.post(base + "/reads").handler(CareFeature.PROFESSIONALS).handler(AccessGuard::csrf)
          .handler(ctx -> markRead(ctx, kind));
    }
  }

  private void page(RoutingContext ctx, BoardKind kind) {
    CareActor actor = CareActor.of(ctx);
    String boardId = ctx.pathParam("boardId");
    long before = parseSeq(ctx.request().getParam("before"));
    String category = CareInput.checkedText(ctx.request().getParam("category", ""), "情報カテゴリー", 20);
    if (before == Long.MAX_VALUE && category.isEmpty()) {
      firstPage(ctx, actor, kind, boardId);
      return;
    }
    AuthorPlaces.Reading authors = care.authors().reading();
    care.auditedRead(care.readAsMember(actor, kind, boardId, "care.timeline.read", c -> TimelinePage.read(c,
            boardId, actor.userId(), before, category.isEmpty() ? List.of() : CategorySql.namesToMatch(c, category),
            authors)), actor, "care.timeline.read", kind.auditTarget(boardId))
        .onSuccess(json -> ctx.response().putHeader("Content-Type", "application/json").end(json))
        .onFailure(ctx::fail);
  }

  /**
   * The first page, from the timeline cache when the board has not changed since it was read, else
   * read (membership checked first, so a non-member never fills it) and kept. Answers, access check
   * and audit are those of any other page.
   */
  private void firstPage(RoutingContext ctx, CareActor actor, BoardKind kind, String boardId) {
    TimelineCache.Page cached = firstPages.current(boardId);
    Future<Optional<TimelineCache.Page>> page = cached != null ? Future.succeededFuture(Optional.of(cached))
        : readFirstPage(actor, kind, boardId);
    care.auditedRead(page.compose(found -> {
              if (found.isEmpty() || !found.get().admits(actor.userId(), kind)) {
                return care.<Buffer>notAMember(actor, kind, boardId, "care.timeline.read");
              }
              (cached != null ? firstPagesFromCache : firstPagesFromDatabase).increment();
              return Future.succeededFuture(found.get().render(actor.userId()));
            }),
            actor, "care.timeline.read", kind.auditTarget(boardId))
        .onSuccess(json -> ctx.response().putHeader("Content-Type", "application/json").end(json))
        .onFailure(ctx::fail);
  }

  private Future<Optional<TimelineCache.Page>> readFirstPage(CareActor actor, BoardKind kind, String boardId) {
    long version = firstPages.version(boardId);
    return care.database().read(c -> BoardSql.isActiveMember(c, boardId, kind, actor.userId())
            ? TimelineCache.Page.read(c, boardId, version) : Optional.<TimelineCache.Page>empty())
        .onSuccess(read -> read.ifPresent(p -> firstPages.keep(boardId, p)));
  }

  /**
   * The recipients of a 特別便 as stored: the chosen members, each once, and the author, whom the node
   * adds itself (the author is never one of the choices). A 特別便 needs someone besides its author: one
   * to oneself alone would be a note nobody else reads, most likely a wrong choice, and is refused.
   */
  static List<String> directRecipients(CareActor author, List<String> chosen) {
    if (chosen.isEmpty()) {
      return List.of();
    }
    List<String> recipients = new ArrayList<>(new java.util.LinkedHashSet<>(chosen));
    recipients.remove(author.userId());
    if (recipients.isEmpty()) {
      throw CodedException.invalid("care.recipient_self_only",
          "特別便の宛先には、ご自身のほかに少なくとも1人のメンバーを選んでください。");
    }
    recipients.add(author.userId());
    return recipients;
  }

  private static long parseSeq(String before) {
    if (before == null || before.isEmpty()) {
      return Long.MAX_VALUE;
    }
    try {
      return Long.parseLong(before);
    } catch (NumberFormatException e) {
      throw CareInput.malformed("before");
    }
  }

  private void create(RoutingContext ctx, BoardKind kind) {
    CareActor actor = CareActor.of(ctx);
    CareInput input = CareInput.of(ctx);
    String category = input.text("category", "情報カテゴリー", 20);
    String body = input.text("body", "本文", BODY_MAX);
    List<String> recipients = directRecipients(actor, input.ids("recipients", "特別便の宛先", 100));
    List<String> attachments = input.ids("attachments", "添付ファイル", 20);
    PostSql.NewPost post = new PostSql.NewPost(CareIds.next(), ctx.pathParam("boardId"), actor, category, "note",
        body, null, null, recipients, attachments);
    Answers.keepWithCreate(ctx);
    writer.write(ctx.vertx(), kind, post, (c, id) -> { })
        .onSuccess(json -> Answers.createdAsWritten(ctx, json))
        .onFailure(ctx::fail);
  }

  private void markRead(RoutingContext ctx, BoardKind kind) {
    CareActor actor = CareActor.of(ctx);
    String boardId = ctx.pathParam("boardId");
    List<String> postIds = CareInput.of(ctx).ids("postIds", "既読にする記事", PostSql.PAGE * 2);
    care.member(actor, kind, boardId, "care.post.read_receipt").compose(me -> care.database().write(c -> {
      List<String> marked = PostDetailsSql.markRead(c, boardId, actor.userId(), postIds, care.now());
      if (!marked.isEmpty()) {
        care.audit().append(c, AuditEvent.success(actor.userId(), "care.post.read_receipt", kind.auditTarget(boardId),
            new JsonObject().put("posts", new JsonArray(marked))));
        care.recordEvent(c, boardId, care.events().read(c, actor.userId(), marked, care.now()));
      }
      Map<List<String>, List<String>> audiences = byAudience(c, marked);
      for (Map.Entry<List<String>, List<String>> audience : audiences.entrySet()) {
        care.recordLive(c, boardId, readEvent(actor, audience.getValue(), audience.getKey()));
      }
      return audiences;
    })).onSuccess(audiences -> {
      if (!audiences.isEmpty()) {
        CareContext.boardChanged(ctx.vertx(), boardId);
      }
      ctx.json(new JsonObject().put("marked", new JsonArray(audiences.values().stream().flatMap(List::stream)
          .toList())));
    }).onFailure(ctx::fail);
  }

  /**
   * Groups the posts just read by who may see them, so that a read receipt for a direct post
   * (特別便) is announced only to its recipients: other members must not even learn its id.
   */
  private static Map<List<String>, List<String>> byAudience(Connection c, List<String> postIds) throws SQLException {
    Map<List<String>, List<String>> audiences = new LinkedHashMap<>();
    for (String postId : postIds) {
      audiences.computeIfAbsent(PostDetailsSql.recipients(c, postId), recipients -> new ArrayList<>()).add(postId);
    }
    return audiences;
  }

  private static JsonObject readEvent(CareActor reader, List<String> postIds, List<String> recipients) {
    JsonObject event = new JsonObject().put("type", "read").put("postIds", new JsonArray(postIds))
        .put("userId", reader.userId());
    return recipients.isEmpty() ? event : event.put("recipients", new JsonArray(recipients));
  }
}
