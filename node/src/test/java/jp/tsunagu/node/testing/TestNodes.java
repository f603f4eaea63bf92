package jp.tsunagu.node.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.federation.FederationFeature;
import jp.tsunagu.node.reference.ReferenceData;

/** Configurations for real nodes in tests: loopback, free ports, a data directory in a temp folder. */
public final class TestNodes {

  private TestNodes() {}

  /** The configuration of a real network from the reference data (e.g. "ina"), on free loopback ports. */
  public static NodeConfig config(Path dir, String networkNode) {
    return new ConfigLoader(name -> null).fromJson(json(networkNode), dir);
  }

  /** The JSON form of {@link #config}, for tests that change one key. */
  public static JsonObject json(String networkNode) {
    ReferenceData.Network network = ReferenceData.get().network(networkNode).orElseThrow();
    return new JsonObject()
        .put("node", new JsonObject()
            .put("name", network.node())
            .put("displayName", network.networkJa())
            .put("municipalities", new JsonArray(List.copyOf(network.municipalityCodes()))))
        .put("dataDir", network.node() + "-data")
        .put("web", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("federation", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0));
  }

  /** The node's federation state (agreements, pins), for tests that import or withdraw agreements. */
  public static Federation federation(TsunaguNode node) {
    return node.feature(FederationFeature.class).federation();
  }
}
