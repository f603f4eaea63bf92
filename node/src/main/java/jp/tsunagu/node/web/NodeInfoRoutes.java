package jp.tsunagu.node.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.NodeVersion;
import jp.tsunagu.node.reference.ReferenceData;

/**
 * {@code GET /api/v1/node}: public facts about this node that the web shell shows (network name,
 * municipalities served, demo mode). Nothing here is secret or about a person.
 */
public final class NodeInfoRoutes implements RouteSet {

  private final NodeServices services;

  public NodeInfoRoutes(NodeServices services) {
    this.services = services;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/node").handler(this::describe);
  }

  private void describe(RoutingContext ctx) {
    JsonArray municipalities = new JsonArray();
    for (String code : services.config().node().municipalities()) {
      JsonObject municipality = new JsonObject().put("code", code);
      ReferenceData.get().municipality(code).ifPresent(m ->
          municipality.put("prefecture", m.prefecture()).put("name", m.nameJa()));
      municipalities.add(municipality);
    }
    ctx.json(new JsonObject()
        .put("name", services.config().node().name())
        .put("displayName", services.config().node().displayName())
        .put("municipalities", municipalities)
        .put("demo", services.config().demo())
        .put("version", NodeVersion.get())
        .put("federationPin", services.keys().identity().tlsPin()));
  }
}
