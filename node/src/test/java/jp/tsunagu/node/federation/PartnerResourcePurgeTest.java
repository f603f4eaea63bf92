package jp.tsunagu.node.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partner resources' purge runs every 15 s: with nothing to purge it only reads. A write with
 * nothing in it held the writer for nothing, and on a full disk it committed and made the node look
 * writable again.
 */
class PartnerResourcePurgeTest {

  @TempDir
  Path dir;

  @Test
  void a_purge_with_nothing_to_purge_completes_without_a_write() throws Exception {
    try (TsunaguNode node = TsunaguNode.start(TestNodes.config(dir, "ina"))) {
      Database database = node.services().database();
      // Every commit of the writer waits until the gate opens: a purge that wrote would not complete.
      CountDownLatch gate = new CountDownLatch(1);
      database.commitHook(gate, c -> {
        try {
          gate.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return null;
      }, nothing -> { });
      try {
        List<String> purged = node.feature(PartnerResourcesFeature.class).sync().purge()
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(purged).isEmpty();
      } finally {
        gate.countDown();
      }
    }
  }
}
