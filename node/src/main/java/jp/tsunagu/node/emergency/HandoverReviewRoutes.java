package jp.tsunagu.node.emergency;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.RouteSet;

/**
 * 行政's list of handover sheets (who made which for which hospital, whether it was opened) and the
 * revocation of one: a revoked link opens nothing more and its stored sheet is emptied. Audited.
 */
final class HandoverReviewRoutes implements RouteSet {

  private static final int SHOWN = 500;
  private static final Handler<RoutingContext> STAFF = AccessGuard.roles(Role.MUNICIPAL_STAFF);

  private final EmergencyContext emergency;

  HandoverReviewRoutes(EmergencyContext emergency) {
    this.emergency = emergency;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/municipal/emergency-handovers").handler(STAFF).handler(this::list);
    api.post("/municipal/emergency-handovers/:handoverId/revoke").handler(STAFF).handler(AccessGuard::csrf)
        .handler(this::revoke);
  }

  private void list(RoutingContext ctx) {
    String userId = Principal.required(ctx).user().id();
    String now = EmergencyContext.stamp(emergency.now());
    emergency.services().database().read(c -> {
      JsonArray handovers = new JsonArray();
      for (HandoverSql.Handover h : HandoverSql.recent(c, SHOWN)) {
        AccessSql.Access access = AccessSql.byId(c, h.accessId()).orElseThrow(EmergencyErrors::notFound);
        handovers.add(h.summary(now).put("dispatchNumber", access.dispatchNumber())
            .put("patientName", emergency.records().patient(c, h.patientId()).map(p -> p.name()).orElse("")));
      }
      return new JsonObject().put("handovers", handovers).put("codeGuesses", HandoverOpenRoutes.CODE_GUESSES);
    }).compose(list -> emergency.audit().record(AuditEvent.success(userId, "emergency.handover.review.read",
        "emergency_handovers", null)).map(ignored -> list))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void revoke(RoutingContext ctx) {
    String userId = Principal.required(ctx).user().id();
    String handoverId = ctx.pathParam("handoverId");
    String now = EmergencyContext.stamp(emergency.now());
    emergency.services().database().write(c -> {
      HandoverSql.Handover h = HandoverSql.byId(c, handoverId).orElseThrow(HandoverErrors::notFound);
      if (h.revokedAt() != null) {
        throw HandoverErrors.alreadyRevoked();
      }
      HandoverSql.revoke(c, h.id(), userId, now);
      emergency.audit().append(c, AuditEvent.success(userId, "emergency.handover.revoked",
          EmergencyContext.patientTarget(h.patientId()), new JsonObject().put("handover", h.id())
              .put("hospital", h.hospital()).put("wasOpened", h.openedAt() != null)));
      return HandoverSql.byId(c, h.id()).orElseThrow(HandoverErrors::notFound).summary(now);
    }).recover(e -> e instanceof CodedException coded && coded.kind().isRefusal()
        ? emergency.refused(userId, "emergency.handover.revoke", "emergency_handover:" + handoverId, coded)
        : Future.failedFuture(e))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }
}
