package jp.tsunagu.node.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What the cluster tests share: copying a stopped instance's data directory, waiting for a state. */
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
}
