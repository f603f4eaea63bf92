package jp.tsunagu.node.federation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.web.RouteSet;

/**
 * The operator's view of partners' resources on the admin listener: {@code GET
 * /admin/v1/partner-resources} (the last pull from each partner) and {@code POST
 * /admin/v1/partner-resources/sync} (pull every partner now and answer with the outcome).
 */
public final class PartnerResourceAdminRoutes implements RouteSet {

  private final PartnerResourceSync sync;

  public PartnerResourceAdminRoutes(PartnerResourceSync sync) {
    this.sync = sync;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/partner-resources").handler(ctx -> answer(ctx, sync.statuses()));
    api.post("/partner-resources/sync").handler(ctx -> sync.pullAll(ctx.vertx())
        .onSuccess(statuses -> answer(ctx, statuses)).onFailure(ctx::fail));
  }

  private static void answer(RoutingContext ctx, java.util.List<PartnerResourceSync.Status> statuses) {
    ctx.json(new JsonObject().put("partners", new JsonArray(statuses.stream()
        .map(PartnerResourceSync.Status::toJson).toList())));
  }
}
