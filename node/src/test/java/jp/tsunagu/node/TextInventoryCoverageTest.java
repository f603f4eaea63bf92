package jp.tsunagu.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.TextInventory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text inventory cannot drift from the routes: every route that takes a request body (POST,
 * PUT, PATCH) on the web and admin listeners is either listed with its text fields or named as a
 * route whose body holds no text (bytes, a CSV file, ids and flags), and nothing listed is stale.
 */
class TextInventoryCoverageTest {

  @TempDir
  Path dir;

  @Test
  void every_route_that_takes_a_body_is_in_the_text_inventory_or_named_as_taking_no_text() {
    TsunaguNode node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(TestNodes.json("ina"), dir).asDemo());
    Vertx vertx = Vertx.vertx();
    try {
      Set<String> routes = new TreeSet<>();
      routes.addAll(bodyRoutes(vertx, node.features().stream().flatMap(f -> f.webRoutes().stream()).toList(),
          "/api/v1"));
      routes.addAll(bodyRoutes(vertx, node.features().stream().flatMap(f -> f.adminRoutes().stream()).toList(),
          "/admin/v1"));
      Set<String> classified = new TreeSet<>(TextInventory.all().stream().map(TextInventory.Route::key).toList());
      classified.addAll(TextInventory.WITHOUT_TEXT);
      assertThat(routes).as("routes the inventory does not classify").isSubsetOf(classified);
      assertThat(classified).as("inventory entries no route has").isSubsetOf(routes);
    } finally {
      vertx.close();
      node.close();
    }
  }

  private static Set<String> bodyRoutes(Vertx vertx, List<RouteSet> features, String mount) {
    Router api = Router.router(vertx);
    features.forEach(feature -> feature.mountApi(api));
    Set<String> keys = new TreeSet<>();
    for (Route route : api.getRoutes()) {
      if (route.getPath() == null || route.methods() == null) {
        continue;
      }
      for (HttpMethod method : route.methods()) {
        if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
          keys.add(method.name() + " " + mount + route.getPath());
        }
      }
    }
    return keys;
  }
}
