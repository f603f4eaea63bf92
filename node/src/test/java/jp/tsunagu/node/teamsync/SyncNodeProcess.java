package jp.tsunagu.node.teamsync;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.testing.TestNodes;

/**
 * A node in a JVM of its own, for {@link KillNineSyncTest} to kill with SIGKILL: starts the network's
 * node on a data directory prepared in-process (keys, agreement, team), on the given federation and
 * web ports, prints {@code READY} and serves until killed.
 */
public final class SyncNodeProcess {

  private SyncNodeProcess() {}

  public static void main(String[] args) throws InterruptedException {
    String network = args[0];
    Path dataDir = Path.of(args[1]);
    JsonObject json = TestNodes.json(network);
    json.getJsonObject("federation").put("port", Integer.parseInt(args[2]));
    json.getJsonObject("web").put("port", Integer.parseInt(args[3]));
    TsunaguNode.start(new ConfigLoader(name -> null).fromJson(json, dataDir).asDemo());
    System.out.println("READY");
    System.out.flush();
    Thread.currentThread().join();
  }
}
