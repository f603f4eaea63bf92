package jp.tsunagu.node.care;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.web.Feature;

/**
 * Live updates of a timeline as server-sent events. Writers publish on the Vert.x event bus (so a
 * post written on one instance of a clustered node reaches streams on the others); each stream
 * passes on only what its member may know of: a direct post's events go to its recipients alone.
 * Events carry ids, not content; the page fetches what changed through the audited routes.
 */
final class LiveRoutes implements Feature {

  private static final long PING_MILLIS = 25_000;

  private final CareContext care;

  LiveRoutes(CareContext care) {
    this.care = care;
  }

  static String address(String boardId) {
    return "tsunagu.care.board." + boardId;
  }

  @Override
  public void mountApi(Router api) {
    for (BoardKind kind : BoardKind.values()) {
      api.get("/" + kind.path() + "/:boardId/live").handler(CareFeatures.PROFESSIONALS)
          .handler(ctx -> stream(ctx, kind));
    }
  }

  private void stream(RoutingContext ctx, BoardKind kind) {
    CareActor actor = CareActor.of(ctx);
    String boardId = ctx.pathParam("boardId");
    care.member(actor, kind, boardId, "care.live.open")
        .compose(me -> care.audit().record(jp.tsunagu.node.audit.AuditEvent.success(actor.userId(), "care.live.open",
            kind.auditTarget(boardId), null)))
        .onSuccess(v -> open(ctx, kind, boardId, actor))
        .onFailure(ctx::fail);
  }

  private void open(RoutingContext ctx, BoardKind kind, String boardId, CareActor actor) {
    HttpServerResponse response = ctx.response();
    // identity encoding: a compressed stream would sit in the compressor instead of reaching the page.
    response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Content-Encoding", "identity").putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    response.write(": connected\n\n");
    MessageConsumer<JsonObject> consumer = ctx.vertx().eventBus().consumer(address(boardId), message -> {
      JsonObject event = message.body();
      JsonArray recipients = event.getJsonArray("recipients");
      if (recipients == null || recipients.contains(actor.userId())) {
        JsonObject visible = event.copy();
        visible.remove("recipients");
        response.write("event: " + event.getString("type") + "\ndata: " + visible.encode() + "\n\n");
      }
    });
    // A member removed from the team loses the stream at the next ping.
    long ping = ctx.vertx().setPeriodic(PING_MILLIS, id -> care.database()
        .read(c -> BoardSql.activeMember(c, boardId, kind, actor.userId()))
        .onSuccess(member -> {
          if (member.isPresent()) {
            response.write(": ping\n\n");
          } else {
            response.end();
          }
        }));
    response.closeHandler(v -> stop(ctx, consumer, ping));
    response.endHandler(v -> stop(ctx, consumer, ping));
  }

  private static void stop(RoutingContext ctx, MessageConsumer<JsonObject> consumer, long ping) {
    ctx.vertx().cancelTimer(ping);
    consumer.unregister();
  }
}
