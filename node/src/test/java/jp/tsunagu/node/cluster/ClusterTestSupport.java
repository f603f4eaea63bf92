package jp.tsunagu.node.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.keys.NodeKeys;

/**
 * What the cluster tests share: one node identity for every instance, copying a stopped instance's data
 * directory, waiting for a state, stopping every member at once.
 */
final class ClusterTestSupport {

  private ClusterTestSupport() {}

  /** Copies a stopped instance's directory, so that every instance starts from the same database. */
  static void copy(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  /** Waits up to 90 s for {@code condition}, looking every 200 ms. */
  static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 90 s");
      }
      Thread.sleep(200);
    }
  }

  /** Makes the node's keys in the first instance's directories and gives every other instance the same. */
  static void shareIdentity(List<NodeConfig> configs) throws IOException {
    NodeKeys.loadOrCreate(configs.get(0));
    for (NodeConfig config : configs.subList(1, configs.size())) {
      copy(configs.get(0).identityDir(), config.identityDir());
      copy(configs.get(0).userCaDir(), config.userCaDir());
    }
  }

  /**
   * Stops every instance at once: one by one, the last ones would wait for a CP group without its
   * majority. A node that cannot close (stopped already, or alone with no member to leave to) is left.
   */
  static void stopAll(List<TsunaguNode> nodes) {
    nodes.forEach(node -> node.cluster().ifPresent(ClusterInstance::close));
    nodes.forEach(node -> node.cluster().ifPresent(c -> c.members().getHazelcastInstance().getLifecycleService()
        .terminate()));
    for (TsunaguNode node : nodes) {
      try {
        node.close();
      } catch (RuntimeException e) {
        // the others have left already; a member cannot leave gracefully alone
      }
    }
  }
}
