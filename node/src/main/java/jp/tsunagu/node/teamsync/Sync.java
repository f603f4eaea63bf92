package jp.tsunagu.node.teamsync;

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
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.federation.FederationClient;

/**
 * A node's team sync state and the steps both directions share: verifying sequenced events against
 * the keys of the nodes that signed them, fetching attachments by hash, applying to replicas. One
 * per node (found by its database), used by the routes on the federation listener and by the
 * {@link SyncEngine} that pushes, pulls and delivers the outbox.
 */
public final class Sync {

  private final NodeServices services;
  private final Federation federation;
  private final TeamSync team;
  private final AuditLog audit;
  private volatile FederationClient client;
  private volatile Vertx vertx;
  private volatile SyncEngine engine;
  /** This node's writes' origin envelopes sent lately: their signatures are not checked again on the way back. */
  private final OwnEnvelopes ownEnvelopes = new OwnEnvelopes();

  public Sync(NodeServices services, Federation federation, TeamSync team) {
    this.services = services;
    this.federation = federation;
    this.team = team;
    this.audit = new AuditLog(services.database(), services.clock());
  }

  OwnEnvelopes ownEnvelopes() {
    return ownEnvelopes;
  }

  /** Mounts team sync's routes on the federation listener's router (after its peer check). */
  public void mountRoutes(io.vertx.ext.web.Router router) {
    new SyncRoutes(this).mount(router);
  }

  /** The client for calls to partners, made once with the Vert.x instance the node runs on. */
  /**
   * A client of this run of team sync's own: the one the last run made closed with its verticle (on a clustered
   * node, when the instance stopped leading), and an instance elected again reached no partner with it.
   */
  synchronized FederationClient startClient(Vertx vertx) {
    this.vertx = vertx;
    client = FederationClient.of(vertx, federation);
    return client;
  }

  synchronized FederationClient client(Vertx vertx) {
    if (client == null) {
      this.vertx = vertx;
      client = FederationClient.of(vertx, federation);
    }
    return client;
  }

  /** Boards this node is pulling a backlog of now (a push of the same events then waits). */
  private final java.util.Set<String> pulling = ConcurrentHashMap.newKeySet();

  boolean catchingUp(String boardId) {
    return pulling.contains(boardId);
  }

  void pulling(String boardId, boolean now) {
    if (now) {
      pulling.add(boardId);
    } else {
      pulling.remove(boardId);
    }
  }

  synchronized void running(SyncEngine engine) {
    this.engine = engine;
  }

  /** The engine stopped (on a clustered node, this instance no longer leads); unless another runs already. */
  synchronized void stopped(SyncEngine stopped) {
    if (engine == stopped) {
      engine = null;
    }
  }

  /**
   * How many calls to a partner waited out the whole call timeout since sync started: none is
   * expected between partners that are up (a refused or closed connection fails at once).
   */
  public long timedOutCalls(String peer) {
    SyncEngine running = engine;
    return running == null ? 0 : running.timeouts(peer);
  }

  /**
   * A partner said how far it holds a board (a pull's cursor): above this node's head of a board homed
   * here, the board is held and taken back (see {@link HomeRecovery}).
   */
  Future<Void> observedCursor(String peer, String boardId, long cursor) {
    SyncEngine running = engine;
    return running == null ? Future.succeededFuture() : running.recovery().observed(peer, boardId, cursor);
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
   * Checks a page of events a home node sent (pushed or pulled), each on its own: its
   * countersignature and the origin's signature, each against its own node's key, that the sender
   * is the event's home node and it is for this board. Of a page of {@link #FEW} or more, events the
   * replica already holds are left out before verifying; a smaller one is verified whole, and the apply
   * answers those it holds as held. Runs off the event loop, a large page split over the cores (signature
   * checks cost CPU).
   */
  Future<List<TeamSync.Incoming>> verifySequenced(String home, String boardId, List<String> envelopes) {
    if (!team.careTeamPartner().test(home)) {
      return Future.failedFuture(new SyncRejection("sync.scope_missing", "no care-team agreement with " + home));
    }
    TrustStore trust = trustStore();
    if (envelopes.size() < FEW) {
      // a push of a few events: verified on a worker and handed on whole; the apply reads the cursor in its own
      // transaction and answers an event the replica holds already as held (a push and a pull of the same
      // events, rare: checked for nothing then, and cheap at this size), so no read of the cursor (a trip to a
      // storage thread) stands between the push and its apply, and no envelope is parsed to be sorted first
      return vertx().executeBlocking(() -> verify(home, boardId, envelopes, trust, ownEnvelopes), false);
    }
    List<io.vertx.core.json.JsonObject> claims = envelopes.stream().map(Sync::claimed).toList();
    long lowest = claims.stream().mapToLong(Sync::claimedSeq).min().orElse(Long.MAX_VALUE);
    return team.cursor(boardId).compose(cursor -> team.heldIds(boardId, lowest, cursor).map(held -> {
      List<String> chosen = new ArrayList<>(envelopes.size());
      for (int i = 0; i < envelopes.size(); i++) {
        if (toVerify(claims.get(i), cursor, held)) {
          chosen.add(envelopes.get(i));
        }
      }
      return chosen;
    })).compose(fresh -> {
      int parts = fresh.size() < FEW ? 1 : VERIFIERS;
      int size = (fresh.size() + parts - 1) / Math.max(parts, 1);
      List<Future<List<TeamSync.Incoming>>> checks = new ArrayList<>();
      for (int from = 0; from < fresh.size(); from += size) {
        List<String> part = fresh.subList(from, Math.min(fresh.size(), from + size));
        checks.add(vertx().executeBlocking(() -> verify(home, boardId, part, trust, ownEnvelopes), false));
      }
      return Future.all(checks).map(all -> {
        List<TeamSync.Incoming> checked = new ArrayList<>(fresh.size());
        checks.forEach(part -> checked.addAll(part.result()));
        return checked;
      });
    });
  }

  private static long claimedSeq(io.vertx.core.json.JsonObject claims) {
    return claims.getValue("sequence") instanceof Number n ? n.longValue() : Long.MAX_VALUE;
  }

  /**
   * Whether an event of a page is verified and applied: one after the cursor; or one at a seq the
   * replica holds another event at (its home gave that seq out twice, after a restore from an older
   * backup), which the replica then answers as {@code sync.seq_conflict} instead of passing over it.
   */
  private static boolean toVerify(io.vertx.core.json.JsonObject claims, long cursor, java.util.Map<Long, String> held) {
    long seq = claimedSeq(claims);
    if (seq > cursor) {
      return true;
    }
    String there = held.get(seq);
    String id = originId(claims);
    return there != null && id != null && !there.equals(id);
  }

  /** Up to this many events a page is verified on one worker (splitting it would cost more than it saves). */
  private static final int FEW = 64;

  /** Worker threads verifying one page together: one per core. */
  private static final int VERIFIERS = Math.max(1, Runtime.getRuntime().availableProcessors());

  /**
   * The fields an envelope claims, read without verifying: only to skip what the replica already
   * holds (a push and a pull may bring the same events) and to name a refused event, never to apply.
   */
  private static io.vertx.core.json.JsonObject claimed(String envelope) {
    try {
      String payload = new String(java.util.Base64.getUrlDecoder().decode(envelope.split("\\.")[1]),
          java.nio.charset.StandardCharsets.UTF_8);
      return new io.vertx.core.json.JsonObject(payload);
    } catch (RuntimeException e) {
      return new io.vertx.core.json.JsonObject(); // verification will refuse it
    }
  }

  static List<TeamSync.Incoming> verify(String home, String boardId, List<String> envelopes, TrustStore trust,
      OwnEnvelopes own) {
    List<TeamSync.Incoming> checked = new ArrayList<>(envelopes.size());
    for (String envelope : envelopes) {
      try {
        SequencedEvent event = EventEnvelope.verifyCountersigned(envelope, trust, own::signedHere);
        if (!event.origin().event().home().equals(home)) {
          throw new ProtocolException("sync.not_home_node", home + " sent an event homed at "
              + event.origin().event().home());
        }
        if (!event.origin().event().targets().get(0).equals(boardId)) {
          throw new ProtocolException("envelope.id_mismatch", "an event of another board than " + boardId);
        }
        checked.add(TeamSync.Incoming.verified(event));
      } catch (ProtocolException e) {
        var claims = claimed(envelope);
        checked.add(TeamSync.Incoming.refused(claims.getLong("sequence", -1L), originId(claims), envelope, e.code(),
            e.getMessage()));
      }
    }
    return checked;
  }

  /** The id of the origin's event inside a countersigned envelope, as claimed (for naming a refusal only). */
  private static String originId(io.vertx.core.json.JsonObject claims) {
    Object inner = claims.getValue("event");
    return inner instanceof String compact ? claimed(compact).getString("id") : null;
  }

  /**
   * Applies checked events to the replica, after fetching the attachments the verified ones name from
   * the home node (a file that cannot be fetched now fails the page, to be tried again).
   */
  Future<TeamSync.Applied> apply(Vertx vertx, NodeCard home, String boardId, List<TeamSync.Incoming> events) {
    return fetchFiles(home, events.stream().flatMap(e -> e.event().stream()).map(e -> e.origin().event()).toList())
        .compose(v -> team.applySequenced(vertx, home.profile().name(), boardId, events))
        .onSuccess(applied -> {
          SyncEngine running = engine;
          if (running != null) {
            running.writesApplied(ownWritesHeld(events, applied));
          }
        });
  }

  /**
   * This node's own writes among a page its replica now holds (applied or held before): the apply settled
   * their outbox rows in its own transaction (see {@link ReplicaApply}), so the home node's answer to their
   * submission has nothing left to write.
   */
  private List<String> ownWritesHeld(List<TeamSync.Incoming> events, TeamSync.Applied applied) {
    java.util.Set<String> own = new java.util.HashSet<>();
    for (TeamSync.Incoming in : events) {
      in.event().filter(e -> e.origin().event().origin().equals(localNode())).ifPresent(e -> own.add(in.eventId()));
    }
    if (own.isEmpty()) {
      return List.of();
    }
    return applied.outcomes().stream()
        .filter(o -> ("accepted".equals(o.status()) || "held".equals(o.status())) && own.contains(o.eventId()))
        .map(TeamSync.Outcome::eventId).toList();
  }

  /** Fetches the files the events name and this node lacks, each checked against its hash on arrival. */
  Future<Void> fetchFiles(NodeCard from, List<Event> events) {
    List<String> missing = team.missingFiles(events);
    Future<Void> chain = Future.succeededFuture();
    for (String sha256 : missing) {
      chain = chain.compose(v -> client().call(from, HttpMethod.GET, String.format(FederationV1.ATTACHMENT, sha256),
              null, null)
          .recover(e -> Future.failedFuture(CodedException.unavailable("sync.attachment_unavailable",
              "attachment " + sha256 + " could not be fetched from " + from.profile().name())))
          .compose(reply -> {
            if (reply.status() != 200) {
              return Future.failedFuture(CodedException.unavailable("sync.attachment_unavailable",
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
