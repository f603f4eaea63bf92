package jp.tsunagu.node.care.live;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagu.node.web.EventStream;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.teams.BoardKind;
import jp.tsunagu.node.care.CareFeature;
import jp.tsunagu.node.care.CareContext;
import jp.tsunagu.node.care.CareActor;

/**
 * Live updates of a timeline as server-sent events. Every event is kept with an id that means the
 * same on every instance of the node ({@link LiveEvents}), and each instance tells its own streams of
 * the events it has committed or applied (a clustered leader, once the write is acknowledged), so a
 * post written through one instance reaches streams on the others. Each stream passes on only what
 * its member may know of: a direct post's events go to its recipients alone. A stream opened again
 * with {@code Last-Event-ID} (which a browser's EventSource sends by itself when it reconnects; a page
 * opening a new one passes it as the query parameter {@code lastEventId}) is first sent the events it
 * missed, then live ones; its SSE id carries a tag of the event's row, so an id this instance holds
 * for another event gets a reset rather than a silent skip. Events carry ids, not content; the page
 * fetches what changed through the audited routes.
 */
public final class LiveRoutes implements RouteSet {

  private final CareContext care;
  private final int streamsPerUser;
  /** Live streams open per user on this instance (one LiveRoutes serves every event loop). */
  private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

  public LiveRoutes(CareContext care) {
    this.care = care;
    this.streamsPerUser = care.services().config().limits().liveStreamsPerUser();
  }

  public static String address(String boardId) {
    return "tsunagu.care.board." + boardId;
  }

  @Override
  public void mountApi(Router api) {
    for (BoardKind kind : BoardKind.values()) {
      api.get("/" + kind.path() + "/:boardId/live").handler(CareFeature.PROFESSIONALS)
          .handler(ctx -> stream(ctx, kind));
    }
  }

  /**
   * A user's streams beyond {@code limits.liveStreamsPerUser} are refused with 429
   * {@code live.too_many_streams} before the membership check and its audit row, so one client
   * opening streams in a loop neither ties up the node nor fills the audit log. A {@code Last-Event-ID}
   * that is no event id of this kind ({@link LastEventId}) is refused before them, with 400
   * {@code live.last_event_id_invalid}.
   */
  private void stream(RoutingContext ctx, BoardKind kind) {
    CareActor actor = CareActor.of(ctx);
    String boardId = ctx.pathParam("boardId");
    String lastEventId = lastEventId(ctx);
    LastEventId after = lastEventId == null ? null : LastEventId.parse(lastEventId);
    if (lastEventId != null && after == null) {
      ctx.fail(CodedException.invalid("live.last_event_id_invalid",
          "Last-Event-ID はこのノードのイベント番号ではありません。画面を再読み込みしてください。"));
      return;
    }
    Runnable release = reserve(actor.userId());
    if (release == null) {
      ctx.fail(CodedException.rateLimited("live.too_many_streams",
          "同時に開いている画面が多すぎます。使っていない画面を閉じてから再読み込みしてください。"));
      return;
    }
    // A stream taken up again reads what it missed with its opening: the row says from where.
    care.member(actor, kind, boardId, "care.live.open")
        .compose(me -> care.audit().record(jp.tsunagu.node.audit.AuditEvent.success(actor.userId(), "care.live.open",
            kind.auditTarget(boardId), after == null ? null : new JsonObject().put("after", after.id()))))
        .onSuccess(v -> open(ctx, kind, boardId, actor, after, release))
        .onFailure(failure -> {
          release.run();
          ctx.fail(failure);
        });
  }

  /** Takes one of the user's stream slots; null when all are taken. The returned action frees it once. */
  private Runnable reserve(String userId) {
    AtomicInteger count = open.computeIfAbsent(userId, id -> new AtomicInteger());
    if (count.incrementAndGet() > streamsPerUser) {
      count.decrementAndGet();
      return null;
    }
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        count.decrementAndGet();
      }
    };
  }

  private void open(RoutingContext ctx, BoardKind kind, String boardId, CareActor actor, LastEventId after,
      Runnable release) {
    EventStream stream = EventStream.open(ctx).onEnd(release);
    StreamSeam seam = new StreamSeam(stream, actor.userId());
    // Listening first, then reading what was missed up to the newest event told: an event told in
    // between is in one or both, one not told yet comes live.
    stream.onEnd(care.live().listen(boardId));
    MessageConsumer<JsonObject> consumer = ctx.vertx().eventBus().localConsumer(address(boardId),
        message -> seam.live(message.body()));
    stream.onEnd(consumer::unregister);
    if (after == null) {
      seam.replayed(null);
    } else {
      long toldThrough = care.live().toldThrough();
      care.database().read(c -> LiveReplay.after(c, boardId, after, toldThrough))
          .onSuccess(seam::replayed)
          .onFailure(failure -> stream.close());
    }
    // A member removed from the team loses the stream at the next ping.
    stream.pingEvery(EventStream.PING_MILLIS, () -> care.database()
        .read(c -> BoardSql.activeMember(c, boardId, kind, actor.userId()))
        .onSuccess(member -> {
          if (member.isPresent()) {
            stream.ping();
          } else {
            stream.close();
          }
        }));
  }

  /** The id the stream takes up from: the header an EventSource sends, else the page's query parameter. */
  private static String lastEventId(RoutingContext ctx) {
    String header = ctx.request().getHeader("Last-Event-ID");
    String id = header != null && !header.isEmpty() ? header : ctx.request().getParam("lastEventId");
    return id == null || id.isEmpty() ? null : id;
  }
}
