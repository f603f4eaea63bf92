package jp.tsunagu.node.teamsync;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.envelope.VerifiedEvent;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.federation.CallingPartner;

/**
 * Team sync on the federation listener (after its per-request peer check): submissions of remote
 * writes to boards homed here, the boards and events a partner may read, events the home node
 * pushes to this node's replicas, and attachments by hash. Every envelope is verified against the
 * key of the node that signed it, whoever delivered it.
 */
final class SyncRoutes {

  private static final int PAGE = 500;

  private final Sync sync;

  SyncRoutes(Sync sync) {
    this.sync = sync;
  }

  void mount(Router router) {
    router.post(path(FederationV1.SUBMISSION, ":boardId", ":eventId")).handler(this::submit);
    router.post(FederationV1.SUBMISSIONS).handler(new SubmissionPages(sync)::submit);
    router.post(path(FederationV1.INVITATION, ":boardId")).handler(this::invitation);
    router.get(FederationV1.BOARDS).handler(this::boards);
    router.get(path(FederationV1.BOARD_EVENTS, ":boardId")).handler(this::feed);
    router.post(path(FederationV1.BOARD_EVENTS, ":boardId")).handler(this::pushed);
    router.get(path(FederationV1.ATTACHMENT, ":sha256")).handler(this::attachment);
    router.get(FederationV1.REPLICAS).handler(this::replicas);
    router.get(path(FederationV1.REPLICA_EVENTS, ":boardId")).handler(this::replicaEvents);
  }

  private static String path(String format, Object... params) {
    return String.format(format, params);
  }

  /**
   * A remote write: size, origin signature, path ids = signed ids, this node its home; then the
   * checks that need nothing fetched (the incoming-event policy, membership, declared files), and
   * only then its files are fetched from the origin and the care checks run.
   */
  private void submit(RoutingContext ctx) {
    NodeCard peer = CallingPartner.of(ctx);
    String boardId = ctx.pathParam("boardId");
    String eventId = ctx.pathParam("eventId");
    VerifiedEvent verified;
    try {
      verified = EventEnvelope.verify(envelope(ctx), sync.trustStore()).requireIds(eventId, List.of(boardId));
      if (!verified.event().home().equals(sync.localNode())) {
        throw new ProtocolException("sync.not_home_node", sync.localNode() + " is not the home node of this event");
      }
    } catch (ProtocolException e) {
      refuseUnverified(ctx, peer, boardId, e);
      return;
    }
    VerifiedEvent event = verified;
    sync.team().precheck(event, boardId, sync.services().config().limits().uploadBytes())
        .compose(v -> sync.fetchFiles(sync.partner(event.event().origin()), List.of(event.event())))
        .compose(v -> sync.team().submit(ctx.vertx(), event))
        .onSuccess(countersigned -> ctx.json(new JsonObject().put("event", countersigned)))
        .onFailure(ctx::fail);
  }

  private void refuseUnverified(RoutingContext ctx, NodeCard peer, String boardId, ProtocolException e) {
    sync.audit().record(AuditEvent.refused("node:" + peer.profile().name(), "sync.event.refused", "board:" + boardId,
        new JsonObject().put("code", e.code()))).onComplete(ignored ->
        ctx.fail(CodedException.rejected(e.code(), e.getMessage())));
  }

  /**
   * An invitation of one of this node's professionals (or its withdrawal), signed by the board's
   * home node and sent by it.
   */
  private void invitation(RoutingContext ctx) {
    NodeCard peer = CallingPartner.of(ctx);
    String boardId = ctx.pathParam("boardId");
    VerifiedEvent verified;
    try {
      verified = EventEnvelope.verify(envelope(ctx), sync.trustStore());
    } catch (ProtocolException e) {
      refuseUnverified(ctx, peer, boardId, e);
      return;
    }
    sync.team().receiveInvitation(ctx.vertx(), verified, peer.profile().name(), boardId)
        .onSuccess(v -> ctx.json(new JsonObject().put("status", "received")))
        .onFailure(ctx::fail);
  }

  /** The body as text; an absent body (no bytes at all) reads as empty. */
  private static String body(RoutingContext ctx) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    return text == null ? "" : text.strip();
  }

  /** One envelope: present and at most {@link FederationV1#ENVELOPE_MAX_BYTES}. */
  private static String envelope(RoutingContext ctx) {
    if (ctx.body() != null && ctx.body().length() > FederationV1.ENVELOPE_MAX_BYTES) {
      throw new ProtocolException("envelope.too_large", "an envelope has at most "
          + FederationV1.ENVELOPE_MAX_BYTES + " bytes");
    }
    String text = body(ctx);
    if (text.isEmpty()) {
      throw new ProtocolException("envelope.malformed", "the body holds no envelope");
    }
    return text;
  }

  private void boards(RoutingContext ctx) {
    String peer = CallingPartner.of(ctx).profile().name();
    if (!sync.team().careTeamPartner().test(peer)) {
      ctx.json(new JsonObject().put("boards", new JsonArray()));
      return;
    }
    sync.team().sharedWith(peer).onSuccess(boards -> ctx.json(new JsonObject().put("boards", new JsonArray(
        boards.stream().map(b -> new JsonObject().put("id", b.boardId()).put("seq", b.latestSeq())).toList()))))
        .onFailure(ctx::fail);
  }

  /**
   * Pull: the page after {@code after}. The caller has applied up to {@code acked} (by default
   * {@code after}), which acknowledges that much: a caller fetching ahead while it applies names both.
   */
  private void feed(RoutingContext ctx) {
    String peer = CallingPartner.of(ctx).profile().name();
    String boardId = ctx.pathParam("boardId");
    long after = number(ctx.request().getParam("after", "0"));
    long acked = Math.min(after, number(ctx.request().getParam("acked", String.valueOf(after))));
    sync.team().feed(peer, boardId, after, PAGE)
        // nothing after the caller's cursor: it may hold more than this node (restored from an older backup)
        .compose(events -> (events.isEmpty() && after > 0 ? sync.observedCursor(peer, boardId, after)
            : Future.<Void>succeededFuture()).map(v -> events))
        .compose(events -> (acked > 0 ? sync.team().acknowledge(peer, boardId, acked) : Future.<Void>succeededFuture())
            .map(v -> events))
        .onSuccess(events -> ctx.json(new JsonObject().put("events", new JsonArray(events))))
        .onFailure(ctx::fail);
  }

  private static long number(String text) {
    try {
      return Math.max(0, Long.parseLong(text));
    } catch (NumberFormatException e) {
      throw CodedException.invalid("request.malformed", "after must be a number");
    }
  }

  /** Push from a board's home node to this node's replica. */
  private void pushed(RoutingContext ctx) {
    NodeCard peer = CallingPartner.of(ctx);
    String boardId = ctx.pathParam("boardId");
    JsonArray envelopes;
    try {
      envelopes = new JsonObject(body(ctx)).getJsonArray("events", new JsonArray());
    } catch (RuntimeException e) {
      ctx.fail(CodedException.invalid("request.malformed", "the body must be {\"events\": [...]}"));
      return;
    }
    if (sync.catchingUp(boardId)) {
      sync.team().cursor(boardId).onSuccess(cursor -> ctx.json(new JsonObject().put("cursor", cursor)
          .put("results", new JsonArray()))).onFailure(ctx::fail);
      return; // this node is pulling the same events already: verifying them twice would halve catch-up
    }
    sync.verifySequenced(peer.profile().name(), boardId, envelopes.stream().map(String::valueOf).toList())
        .compose(events -> sync.apply(ctx.vertx(), peer, boardId, events))
        .onSuccess(applied -> ctx.json(new JsonObject().put("cursor", applied.cursor()).put("results",
            new JsonArray(applied.outcomes().stream().map(TeamSync.Outcome::toJson).toList()))))
        .onFailure(ctx::fail);
  }

  /** The caller's boards this node holds a replica of, with their cursors (the caller is their home node). */
  private void replicas(RoutingContext ctx) {
    String peer = CallingPartner.of(ctx).profile().name();
    sync.team().replicaCursors(peer).onSuccess(cursors -> ctx.json(new JsonObject().put("replicas", new JsonArray(
        cursors.stream().map(r -> new JsonObject().put("id", r.boardId()).put("cursor", r.cursor())).toList()))))
        .onFailure(ctx::fail);
  }

  /** A page of this node's replica of a board, handed back to the board's home node only (404 to anyone else). */
  private void replicaEvents(RoutingContext ctx) {
    String peer = CallingPartner.of(ctx).profile().name();
    long after = number(ctx.request().getParam("after", "0"));
    sync.team().replicaEvents(peer, ctx.pathParam("boardId"), after, PAGE)
        .onSuccess(page -> ctx.json(new JsonObject().put("cursor", page.cursor())
            .put("events", new JsonArray(page.envelopes()))))
        .onFailure(ctx::fail);
  }

  private void attachment(RoutingContext ctx) {
    String peer = CallingPartner.of(ctx).profile().name();
    String sha256 = ctx.pathParam("sha256");
    if (!sha256.matches("[0-9a-f]{64}")) {
      ctx.fail(CodedException.notFound("sync.attachment_unknown", "no such attachment"));
      return;
    }
    sync.team().attachmentServable(peer, sha256).onSuccess(allowed -> {
      if (!allowed) {
        ctx.fail(CodedException.notFound("sync.attachment_unknown", "no such attachment"));
        return;
      }
      ctx.response().putHeader("Content-Type", "application/octet-stream")
          .sendFile(sync.team().attachmentFile(sha256).toString()).onFailure(ctx::fail);
    }).onFailure(ctx::fail);
  }
}
