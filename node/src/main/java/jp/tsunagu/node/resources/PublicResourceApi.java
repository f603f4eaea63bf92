package jp.tsunagu.node.resources;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import jp.tsunagu.node.web.RouteSet;

/** The public JSON view of the portal: search and one resource, published ones only. */
final class PublicResourceApi implements RouteSet {

  private static final int MAX_RESULTS = 500;

  private final ResourceService service;

  PublicResourceApi(ResourceService service) {
    this.service = service;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/resources").handler(this::search);
    api.get("/resources/:id").handler(this::one);
    api.get("/resource-vocabulary").handler(this::vocabulary);
  }

  private void search(RoutingContext ctx) {
    SearchQuery query = SearchQuery.from(ctx.queryParams());
    service.catalog().onSuccess(catalog -> {
      List<Catalog.Hit> hits = catalog.search(query);
      JsonArray items = new JsonArray();
      hits.stream().limit(MAX_RESULTS).forEach(h -> items.add(ResourceJson.toJson(h.resource(), catalog.vocabulary())
          .put("introductions", catalog.introductions(h.resource().id()))));
      ctx.json(new JsonObject().put("total", hits.size()).put("resources", items));
    }).onFailure(ctx::fail);
  }

  private void one(RoutingContext ctx) {
    service.catalog().onSuccess(catalog -> ctx.json(ResourceJson.toJson(catalog.published(ctx.pathParam("id"))
        .orElseThrow(ResourceService::notFound), catalog.vocabulary()))).onFailure(ctx::fail);
  }

  private void vocabulary(RoutingContext ctx) {
    service.catalog().onSuccess(c -> ctx.json(ResourceJson.vocabulary(c.vocabulary()))).onFailure(ctx::fail);
  }
}
