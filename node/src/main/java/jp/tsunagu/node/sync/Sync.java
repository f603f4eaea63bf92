package jp.tsunagu.node.sync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.envelope.SequencedEvent;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.jws.TrustStore;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.NodeServices;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.SyncRejection;
import jp.tsunagu.node.care.TeamSync;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.federation.FederationClient;
import jp.tsunagu.node.web.ApiException;

/**
 * A node's team sync state and the steps both directions share: verifying sequenced events against
 * the keys of the nodes that signed them, fetching attachments by hash, applying to replicas. One
 * per node (found by its database), used by the routes on the federation listener and by the
 * {@link SyncEngine} that pushes, pulls and delivers the outbox.
 */
public final class Sync {

  private static final Map<jp.tsunagu.node.storage.Database, Sync> RUNNING = new ConcurrentHashMap<>();

  private final NodeServices services;
  private final Federation federation;
  private final TeamSync team;
  private final AuditLog audit;
  private volatile FederationClient client;
  private volatile Vertx vertx;

  private Sync(NodeServices services) {
    this.services = services;
    this.federation = Federation.of(services);
    this.team = TeamSync.of(services);
    this.audit = new AuditLog(services.database(), services.clock());
  }

  public static Sync of(NodeServices services) {
    return RUNNING.computeIfAbsent(services.database(), database -> new Sync(services));
  }

  static void release(NodeServices services) {
    RUNNING.remove(services.database());
    TeamSync.release(services);
  }

  /** Mounts team sync's routes on the federation listener's router (after its peer check). */
  public void mountRoutes(io.vertx.ext.web.Router router) {
    new SyncRoutes(this).mount(router);
  }

  /** The client for calls to partners, made once with the Vert.x instance the node runs on. */
  synchronized FederationClient client(Vertx vertx) {
    if (client == null) {
      this.vertx = vertx;
      client = FederationClient.of(vertx, federation);
    }
    return client;
  }

  FederationClient client() {
    return client(vertx());
  }

  /** The node's Vert.x: known once sync started, else that of the listener calling (it is the same one). */
  private Vertx vertx() {
    Vertx known = vertx;
    return known != null ? known : Vertx.currentContext().owner();
  }

  Federation federation() {
    return federation;
  }

  TeamSync team() {
    return team;
  }

  AuditLog audit() {
    return audit;
  }

  NodeServices services() {
    return services;
  }

  String localNode() {
    return services.config().node().name();
  }

  TrustStore trustStore() {
    return federation.agreements().current().trustStore(localNode(), services.clock().instant())
        .with(services.keys().identity().card());
  }

  /** The card of a node this one shares an active agreement with now. */
  NodeCard partner(String node) {
    return federation.agreements().current().partners(localNode(), services.clock().instant()).stream()
        .filter(card -> card.profile().name().equals(node))
        .findFirst()
        .orElseThrow(() -> new SyncRejection("sync.scope_missing", node + " is no partner of " + localNode()));
  }

  /**
   * Verifies events a home node sent (pushed or pulled): its countersignature and the origin's
   * signature, each against its own node's key, and that the sender is the events' home node and
   * they are for this board. Runs off the event loop (signature checks cost CPU).
   */
  Future<List<SequencedEvent>> verifySequenced(String home, String boardId, List<String> envelopes) {
    if (!team.careTeamPartner().test(home)) {
      return Future.failedFuture(new SyncRejection("sync.scope_missing", "no care-team agreement with " + home));
    }
    TrustStore trust = trustStore();
    return team.cursor(boardId).compose(cursor -> {
      List<String> fresh = envelopes.stream().filter(e -> claimedSequence(e) > cursor).toList();
      int half = (fresh.size() + 1) / 2;
      if (fresh.size() < 64) {
        return vertx().executeBlocking(() -> verify(home, boardId, fresh, trust), false);
      }
      Future<List<SequencedEvent>> first = vertx().executeBlocking(() ->
          verify(home, boardId, fresh.subList(0, half), trust), false);
      Future<List<SequencedEvent>> second = vertx().executeBlocking(() ->
          verify(home, boardId, fresh.subList(half, fresh.size()), trust), false);
      return Future.all(first, second).map(both -> {
        List<SequencedEvent> all = new ArrayList<>(first.result());
        all.addAll(second.result());
        return all;
      });
    });
  }

  /**
   * The sequence number an envelope claims, read without verifying: only to skip what the replica
   * already holds (a push and a pull may bring the same events), never to apply anything.
   */
  private static long claimedSequence(String envelope) {
    try {
      String payload = new String(java.util.Base64.getUrlDecoder().decode(envelope.split("\\.")[1]),
          java.nio.charset.StandardCharsets.UTF_8);
      return new io.vertx.core.json.JsonObject(payload).getLong("sequence", Long.MAX_VALUE);
    } catch (RuntimeException e) {
      return Long.MAX_VALUE; // verification will refuse it
    }
  }

  static List<SequencedEvent> verify(String home, String boardId, List<String> envelopes, TrustStore trust) {
    List<SequencedEvent> events = new ArrayList<>(envelopes.size());
    for (String envelope : envelopes) {
      SequencedEvent event;
      try {
        event = EventEnvelope.verifyCountersigned(envelope, trust);
      } catch (ProtocolException e) {
        throw new ApiException(422, e.code(), e.getMessage());
      }
      if (!event.origin().event().home().equals(home)) {
        throw new SyncRejection("sync.not_home_node", home + " sent an event homed at " + event.origin().event().home());
      }
      if (!event.origin().event().targets().get(0).equals(boardId)) {
        throw new SyncRejection("envelope.id_mismatch", "an event of another board than " + boardId);
      }
      events.add(event);
    }
    return events;
  }

  /** Applies verified events to the replica, after fetching the attachments they name from the home node. */
  Future<Long> apply(Vertx vertx, NodeCard home, String boardId, List<SequencedEvent> events) {
    return fetchFiles(home, events.stream().map(e -> e.origin().event()).toList())
        .compose(v -> team.applySequenced(vertx, boardId, events));
  }

  /** Fetches the files the events name and this node lacks, each checked against its hash on arrival. */
  Future<Void> fetchFiles(NodeCard from, List<Event> events) {
    List<String> missing = team.missingFiles(events);
    Future<Void> chain = Future.succeededFuture();
    for (String sha256 : missing) {
      chain = chain.compose(v -> client().call(from, HttpMethod.GET, String.format(FederationV1.ATTACHMENT, sha256),
              null, null)
          .recover(e -> Future.failedFuture(new ApiException(503, "sync.attachment_unavailable",
              "attachment " + sha256 + " could not be fetched from " + from.profile().name())))
          .compose(reply -> {
            if (reply.status() != 200) {
              return Future.failedFuture(new ApiException(503, "sync.attachment_unavailable",
                  from.profile().name() + " did not hand over attachment " + sha256 + " (" + reply.status() + ")"));
            }
            return vertx().executeBlocking(() -> {
              team.storeArrived(sha256, reply.body().getBytes());
              return null;
            }, false);
          }));
    }
    return chain;
  }
}
