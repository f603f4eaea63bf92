package jp.tsunagu.node.teamsync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.federation.envelope.VerifiedEvent;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.care.replication.TeamData;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.storage.Database;

/**
 * Invitations of partners' professionals as they travel between nodes: the offers owed to a peer and
 * their delivery (as the board's home), and an invitation received (as the professional's node). What
 * an invitation is and how it is checked is {@link TeamInvitations}'.
 */
final class InvitationDelivery {

  private final NodeServices services;
  private final AuditLog audit;
  private final TeamData data;
  private final TeamInvitations invitations;
  private final ReplicaRetention retention;

  InvitationDelivery(NodeServices services, AuditLog audit, TeamData data, TeamInvitations invitations,
      ReplicaRetention retention) {
    this.services = services;
    this.audit = audit;
    this.data = data;
    this.invitations = invitations;
    this.retention = retention;
  }

  private Database db() {
    return services.database();
  }

  /** Invitations of the peer's professionals to boards homed here not yet delivered, each signed. */
  Future<List<TeamInvitations.Offer>> offers(String peer) {
    return db().read(c -> offers(c, peer));
  }

  /** {@link #offers(String)} inside a read that does more. */
  List<TeamInvitations.Offer> offers(java.sql.Connection c, String peer) throws java.sql.SQLException {
    return invitations.pending(c, peer);
  }

  /** The peer took the offer, or refused it with {@code refusedCode}: either way it is not sent again. */
  Future<Void> offerDelivered(String peer, TeamInvitations.Offer offer, String refusedCode) {
    return db().write(c -> {
      invitations.delivered(c, peer, offer, refusedCode);
      return null;
    });
  }

  /**
   * An invitation (or withdrawal) signed by a board's home node, its signature verified. Kept as an
   * invitation of this node's professional; a withdrawn invitation of a board that never shared its
   * history here is purged. Fails with the {@link SyncRejection}, audited, when a check fails.
   */
  Future<Void> receiveInvitation(Vertx vertx, VerifiedEvent verified, String sender, String pathBoardId) {
    List<String> purged = new ArrayList<>();
    return db().write(c -> {
      purged.clear();
      List<LiveNotice> notices = invitations.receive(c, verified.event(), sender, pathBoardId);
      purged.addAll(retention.purgeIfOnlyInvited(c, pathBoardId));
      data.keepLive(c, notices);
      return notices;
    }).recover(failure -> failure instanceof CodedException refusal && refusal.kind().isRefusal()
        ? audit.record(AuditEvent.refused("node:" + sender, "sync.invitation.refused", "board:" + pathBoardId,
            new JsonObject().put("code", refusal.code()))).compose(v -> Future.failedFuture(refusal))
        : Future.failedFuture(failure))
        .compose(notices -> retention.deleteUnreferencedFiles(purged).map(notices))
        .onSuccess(notices -> TeamSync.announce(vertx, pathBoardId)).mapEmpty();
  }
}
