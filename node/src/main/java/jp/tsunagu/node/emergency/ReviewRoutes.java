package jp.tsunagu.node.emergency;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.RouteSet;

/**
 * 行政's review of emergency accesses: every access (who, whose record, why, 出場番号, when, until when),
 * newest first, and the accounts refused for opening too many in an hour. Reading it is audited.
 */
final class ReviewRoutes implements RouteSet {

  private static final int SHOWN = 500;

  private final EmergencyContext emergency;

  ReviewRoutes(EmergencyContext emergency) {
    this.emergency = emergency;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/municipal/emergency-accesses").handler(AccessGuard.roles(Role.MUNICIPAL_STAFF)).handler(this::list);
  }

  private void list(RoutingContext ctx) {
    String userId = Principal.required(ctx).user().id();
    emergency.services().database().read(c -> {
      JsonArray accesses = new JsonArray();
      for (AccessSql.Access a : AccessSql.recent(c, SHOWN)) {
        accesses.add(a.toJson().put("patientName", emergency.records().patient(c, a.patientId())
            .map(p -> p.name()).orElse("")));
      }
      return new JsonObject().put("accesses", accesses).put("flags", new JsonArray(AccessSql.flags(c, SHOWN)))
          .put("accessesPerHour", emergency.accessesPerHour());
    }).compose(list -> emergency.audit().record(AuditEvent.success(userId, "emergency.review.read",
        "emergency_accesses", null)).map(ignored -> list))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }
}
