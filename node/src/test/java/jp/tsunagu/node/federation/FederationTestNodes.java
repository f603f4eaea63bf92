package jp.tsunagu.node.federation;

import static jp.tsunagu.node.testing.TestPorts.freePort;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.testing.TestNodes;

/**
 * Real nodes for federation tests: a network from the reference data on loopback, with a fixed free
 * federation port so that the endpoint in its identity card is where it really listens, and a plain
 * HTTP client for its loopback admin API.
 */
final class FederationTestNodes {

  private FederationTestNodes() {}

  static TsunaguNode start(Path dir, String networkNode) {
    return TsunaguNode.start(new ConfigLoader(name -> null).fromJson(config(networkNode), dir));
  }

  /** In demo mode, so tests log people in with a password alone from loopback. */
  static TsunaguNode startDemo(Path dir, String networkNode) {
    return TsunaguNode.start(new ConfigLoader(name -> null).fromJson(config(networkNode), dir).asDemo());
  }

  private static JsonObject config(String networkNode) {
    JsonObject json = TestNodes.json(networkNode);
    json.getJsonObject("federation").put("port", freePort());
    return json;
  }

  static NodeIdentity identity(TsunaguNode node) {
    return node.services().keys().identity();
  }

  static Federation federation(TsunaguNode node) {
    return TestNodes.federation(node);
  }

  static HttpResponse<String> post(TsunaguNode node, String path, String body) {
    return send(HttpRequest.newBuilder(node.adminUrl().resolve(path)).header("Content-Type", "application/json")
        .header("Authorization", jp.tsunagu.node.testing.TestAdmin.authorization(node))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  static HttpResponse<String> get(TsunaguNode node, String path) {
    return send(HttpRequest.newBuilder(node.adminUrl().resolve(path))
        .header("Authorization", jp.tsunagu.node.testing.TestAdmin.authorization(node)).GET().build());
  }

  static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
          .send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("admin request " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }


  static URI endpoint(TsunaguNode node) {
    return node.services().config().federation().endpoint();
  }
}
