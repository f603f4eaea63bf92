package jp.tsunagu.node.teamsync;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.replication.TeamData;
import jp.tsunagu.node.care.replication.TeamEvents;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.teamsync.TeamSync.Outgoing;

/**
 * This node's writes to boards homed elsewhere, as the sync engine delivers them: what waits for a
 * home node, and settling each write when its home node accepts it, refuses it or cannot be reached.
 */
final class Outbox {

  private final NodeServices services;
  private final AuditLog audit;
  private final TeamData data;
  private final ReplicaRetention retention;
  private final TeamEventTypes types;

  Outbox(NodeServices services, AuditLog audit, TeamData data, ReplicaRetention retention, TeamEventTypes types) {
    this.services = services;
    this.audit = audit;
    this.data = data;
    this.retention = retention;
    this.types = types;
  }

  private Database db() {
    return services.database();
  }

  private String now() {
    return services.clock().instant().toString();
  }

  /**
   * The home node accepted a write of this node: a decline of an invitation whose board never shared
   * its history here leaves nothing behind.
   */
  Future<Void> delivered(Outgoing write) {
    List<String> purged = new ArrayList<>();
    return db().write(c -> {
      purged.clear();
      OutboxSql.settleOutbox(c, write.eventId(), "accepted", null, now());
      if (TeamLogSql.latestSeq(c, write.boardId()) == 0) {
        purged.addAll(retention.purgeIfOnlyInvited(c, write.boardId()));
      }
      return null;
    }).compose(v -> retention.deleteUnreferencedFiles(purged));
  }

  /** A page of writes the home node accepted, settled in one transaction (a page is one commit, not one each). */
  Future<Void> deliveredAll(List<Outgoing> writes) {
    if (writes.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> purged = new ArrayList<>();
    return db().write(c -> {
      purged.clear();
      String now = now();
      java.util.Set<String> boards = new java.util.LinkedHashSet<>();
      for (Outgoing write : writes) {
        OutboxSql.settleOutbox(c, write.eventId(), "accepted", null, now);
        boards.add(write.boardId());
      }
      for (String boardId : boards) {
        if (TeamLogSql.latestSeq(c, boardId) == 0) {
          purged.addAll(retention.purgeIfOnlyInvited(c, boardId));
        }
      }
      return null;
    }).compose(v -> retention.deleteUnreferencedFiles(purged));
  }

  /** A page of writes that waits for its home node until {@code next}: one transaction. */
  Future<Void> retryAllLater(List<Outgoing> writes, Instant next) {
    if (writes.isEmpty()) {
      return Future.succeededFuture();
    }
    return db().write(c -> {
      for (Outgoing write : writes) {
        OutboxSql.retryOutboxLater(c, write.eventId(), next.toString());
      }
      return null;
    });
  }

  /** How many of this node's writes wait for their home nodes. */
  Future<Long> waiting() {
    return db().read(OutboxSql::outboxWaiting);
  }

  Future<List<Outgoing>> outbox(String homeNode, int limit) {
    return db().read(c -> OutboxSql.pendingOutbox(c, homeNode, limit).stream()
        .map(r -> new Outgoing(r.eventId(), r.boardId(), r.envelope(), r.attempts(), Instant.parse(r.nextAttemptAt())))
        .toList());
  }

  /**
   * The home node refused a write: it stays refused, and a refused post shows so; a feature's own
   * event type is told ({@link jp.tsunagu.node.feature.TeamEventType.Settler}), so what it showed as
   * waiting shows as refused too.
   */
  Future<Void> refused(Outgoing write, String code) {
    List<String> purged = new ArrayList<>();
    return db().<Void>write(c -> {
      purged.clear();
      if (OutboxSql.settleOutbox(c, write.eventId(), "rejected", code, now())) {
        Event event = Event.fromJson(jp.tsunagu.federation.json.JsonFields.of(jp.tsunagu.federation.json.Json.parse(
            new String(java.util.Base64.getUrlDecoder().decode(write.envelope().split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8)), "envelope.malformed", "event"));
        if (event.type().equals(TeamEvents.POST)) {
          data.markPostRejected(c, event.targets().get(1));
        }
        Optional<TeamEventType> type = types.declared(event.type());
        if (type.isPresent()) {
          type.get().settler().refused(c, write.boardId(), event, code);
        }
        audit.append(c, AuditEvent.refused(Submissions.authorOf(event), "sync.write.rejected",
            "board:" + write.boardId(), new JsonObject().put("event", write.eventId()).put("code", code)));
        if (TeamLogSql.latestSeq(c, write.boardId()) == 0) {
          // an answer to an invitation its home disowns
          purged.addAll(retention.purgeIfOnlyInvited(c, write.boardId()));
        }
      }
      data.keepLive(c, List.of(new LiveNotice(write.boardId(), new JsonObject().put("type", "sync"))));
      return null;
    }).compose(v -> retention.deleteUnreferencedFiles(purged));
  }

  Future<Void> retryLater(Outgoing write, Instant next) {
    return db().write(c -> {
      OutboxSql.retryOutboxLater(c, write.eventId(), next.toString());
      return null;
    });
  }
}
