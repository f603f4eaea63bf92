package jp.tsunagu.node.resources;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for GSI's address search with canned answers: each known address answers one
 * feature at its point, "壊れた応答" answers a broken body, anything else an empty list.
 */
final class GeocoderStandIn implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  /** {@code places}: address → {longitude, latitude}. */
  GeocoderStandIn(Map<String, double[]> places) throws Exception {
    server = vertx.createHttpServer().requestHandler(request -> {
      String q = request.getParam("q");
      if ("壊れた応答".equals(q)) {
        request.response().end("<html>");
        return;
      }
      JsonArray answer = new JsonArray();
      double[] point = places.get(q);
      if (point != null) {
        answer.add(new JsonObject().put("type", "Feature").put("geometry", new JsonObject().put("type", "Point")
            .put("coordinates", new JsonArray().add(point[0]).add(point[1])))
            .put("properties", new JsonObject().put("title", q).put("addressCode", "")));
      }
      request.response().putHeader("Content-Type", "application/json").end(answer.encode());
    }).listen(0, "127.0.0.1").await(60, TimeUnit.SECONDS);
  }

  /** The node configuration's {@code geocoder} section pointing here. */
  JsonObject config() {
    return new JsonObject().put("url", "http://127.0.0.1:" + server.actualPort() + "/address-search/AddressSearch?q=");
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(60, TimeUnit.SECONDS);
  }
}
