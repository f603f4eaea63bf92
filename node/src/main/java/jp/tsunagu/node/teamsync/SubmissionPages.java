package jp.tsunagu.node.teamsync;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.envelope.VerifiedEvent;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.jws.TrustStore;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.replication.TeamReplication;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.federation.CallingPartner;

/**
 * A page of a partner's writes to boards homed here ({@link FederationV1#SUBMISSIONS}): each envelope gets
 * exactly the checks and the answer of a single submission, in the page's order. The signatures are
 * checked on worker threads first; then the events queue on the writer in order, each checked and
 * accepted in one transaction when it names no file to fetch, so a page costs a few group commits rather
 * than a read, a request and a commit per event. An event whose files must be fetched from the origin
 * waits for the events before it, and those after it wait for it, so the order holds.
 */
final class SubmissionPages {

  private final Sync sync;

  SubmissionPages(Sync sync) {
    this.sync = sync;
  }

  void submit(RoutingContext ctx) {
    NodeCard peer = CallingPartner.of(ctx);
    List<String> envelopes;
    try {
      envelopes = envelopes(ctx);
    } catch (CodedException e) {
      ctx.fail(e);
      return;
    }
    TrustStore trust = sync.trustStore();
    Vertx vertx = ctx.vertx();
    int parts = envelopes.size() < 16 ? 1 : 2;
    int size = Math.max(1, (envelopes.size() + parts - 1) / parts);
    List<Future<List<Object>>> checks = new ArrayList<>();
    for (int from = 0; from < envelopes.size(); from += size) {
      List<String> part = envelopes.subList(from, Math.min(envelopes.size(), from + size));
      checks.add(vertx.executeBlocking(() -> part.stream().map(e -> verify(e, trust)).toList(), false));
    }
    Future.all(checks).compose(all -> {
      List<Object> verified = new ArrayList<>(envelopes.size());
      checks.forEach(part -> verified.addAll(part.result()));
      return settle(vertx, peer, verified);
    }).onSuccess(results -> ctx.json(new JsonObject().put("results", new JsonArray(results))))
        .onFailure(ctx::fail);
  }

  /** The body's envelopes: {@code {"events": [compact, ...]}}, at most a page of them, each within the size limit. */
  private static List<String> envelopes(RoutingContext ctx) {
    JsonArray events;
    try {
      String text = ctx.body() == null || ctx.body().asString() == null ? "" : ctx.body().asString();
      events = new JsonObject(text).getJsonArray("events");
    } catch (RuntimeException e) {
      events = null;
    }
    if (events == null || events.isEmpty() || events.stream().anyMatch(e -> !(e instanceof String))) {
      throw CodedException.invalid("request.malformed", "the body must be {\"events\": [envelope, ...]}");
    }
    if (events.size() > FederationV1.SUBMISSION_PAGE_MAX) {
      throw CodedException.invalid("request.malformed", "a page holds at most " + FederationV1.SUBMISSION_PAGE_MAX
          + " envelopes");
    }
    return events.stream().map(String.class::cast).toList();
  }

  /** A verified event, or the protocol refusal of its envelope. */
  private Object verify(String compact, TrustStore trust) {
    try {
      if (compact.getBytes(StandardCharsets.UTF_8).length > FederationV1.ENVELOPE_MAX_BYTES) {
        throw new ProtocolException("envelope.too_large", "an envelope has at most "
            + FederationV1.ENVELOPE_MAX_BYTES + " bytes");
      }
      VerifiedEvent verified = EventEnvelope.verify(compact, trust);
      if (!verified.event().home().equals(sync.localNode())) {
        throw new ProtocolException("sync.not_home_node", sync.localNode() + " is not the home node of this event");
      }
      if (verified.event().targets().isEmpty()) {
        throw new ProtocolException("envelope.id_mismatch", "the signed body names no board");
      }
      return verified;
    } catch (ProtocolException e) {
      return e;
    }
  }

  private Future<List<JsonObject>> settle(Vertx vertx, NodeCard peer, List<Object> verified) {
    long uploadLimit = sync.services().config().limits().uploadBytes();
    List<Future<JsonObject>> answers = new ArrayList<>(verified.size());
    // each board that took events hears of it once for the page (to push them on), not once per event, as soon
    // as every event of the page is committed or refused: its countersignatures are then being made, and the
    // look at where the board goes runs beside them (the signer's push finds it made, see SyncEngine#signed)
    List<Future<Void>> commits = new ArrayList<>(verified.size());
    java.util.Set<String> boards = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());
    Future<Void> before = Future.succeededFuture();
    for (Object item : verified) {
      if (item instanceof ProtocolException refused) {
        answers.add(refuseUnverified(peer, refused));
        continue;
      }
      VerifiedEvent event = (VerifiedEvent) item;
      Promise<Void> committed = Promise.promise();
      java.util.function.Consumer<String> onCommit = board -> {
        boards.add(board);
        committed.tryComplete();
      };
      Future<String> accepted;
      if (sync.team().missingFiles(List.of(event.event())).isEmpty()) {
        accepted = before.compose(v -> sync.team().submitWithoutFiles(vertx, event, uploadLimit, onCommit));
      } else {
        // its files are fetched only after the checks that need none, and once every event before it is settled
        Future<?> earlier = Future.join(new ArrayList<>(answers));
        accepted = earlier.transform(v -> sync.team().precheck(event, event.event().targets().get(0), uploadLimit))
            .compose(v -> sync.fetchFiles(sync.partner(event.event().origin()), List.of(event.event())))
            .compose(v -> sync.team().submitOfPage(vertx, event, onCommit));
        before = accepted.<Void>transform(v -> Future.succeededFuture());
      }
      accepted.onComplete(done -> committed.tryComplete());
      commits.add(committed.future());
      answers.add(accepted.transform(done -> Future.succeededFuture(answer(event.event().id(), done.succeeded()
          ? done.result() : null, done.cause()))));
    }
    Future.join(commits).onComplete(all -> {
      List<String> taken;
      synchronized (boards) {
        taken = List.copyOf(boards);
      }
      taken.forEach(board -> vertx.eventBus().publish(TeamReplication.BOARD_CHANGED, board));
    });
    return Future.all(answers).map(all -> answers.stream().map(Future::result).toList());
  }

  private static JsonObject answer(String eventId, String countersigned, Throwable failure) {
    JsonObject answer = new JsonObject().put("event", eventId);
    if (failure == null) {
      return answer.put("status", "accepted").put("envelope", countersigned);
    }
    if (failure instanceof CodedException coded && coded.kind().isRefusal()) {
      return answer.put("status", "rejected").put("code", coded.code()).put("message", coded.getMessage());
    }
    return answer.put("status", "failed").put("code", failure instanceof CodedException coded ? coded.code()
        : "sync.unavailable");
  }

  /** An envelope that did not verify: refused and audited as the single route does, its event id unknown. */
  private Future<JsonObject> refuseUnverified(NodeCard peer, ProtocolException e) {
    return sync.audit().record(AuditEvent.refused("node:" + peer.profile().name(), "sync.event.refused",
        "node:" + peer.profile().name(), new JsonObject().put("code", e.code())))
        .transform(ignored -> Future.succeededFuture(new JsonObject().put("event", (String) null)
            .put("status", "rejected").put("code", e.code()).put("message", e.getMessage())));
  }
}
