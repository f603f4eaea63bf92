package jp.tsunagu.node.care.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.storage.WorkCounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live events kept for replay: at least the node's last {@link LiveLog#KEEP}, the older ones removed a
 * thousand at a time by one write in a thousand, so that the other writes that record an event pay one
 * statement for it and nothing more.
 */
class LiveLogPruneTest {

  @TempDir
  Path dir;

  private static final JsonObject EVENT = new JsonObject().put("type", "post").put("postId", "p1");

  private static long record(Database database) {
    return database.submitWrite(c -> LiveLog.record(c, "board", EVENT, "2026-12-07T00:00:00Z")).join();
  }

  private static LiveLog.Span span(Database database) {
    return database.submitRead(c -> LiveLog.span(c, Long.MAX_VALUE)).join();
  }

  @Test
  void one_write_in_a_thousand_removes_the_events_beyond_the_last_ten_thousand_and_the_others_remove_nothing() {
    try (Database database = Database.open(dir.resolve("live.db"),
        new NodeConfig.Storage(4, Duration.ofSeconds(10), 256))) {
      database.submitWrite(c -> {
        for (long i = 1; i < LiveLog.KEEP + LiveLog.PRUNE_EVERY - 1; i++) {
          LiveLog.record(c, "board", EVENT, "2026-12-07T00:00:00Z");
        }
        return null;
      }).join();
      assertThat(span(database).oldest()).isEqualTo(1);

      WorkCounts before = database.workCounts();
      long id = record(database);
      long plainStatements = database.workCounts().minus(before).writeStatements();
      assertThat(id % LiveLog.PRUNE_EVERY).isNotZero();
      assertThat(span(database).oldest()).as("nothing removed by a write that is not the thousandth").isEqualTo(1);

      before = database.workCounts();
      id = record(database);
      assertThat(id % LiveLog.PRUNE_EVERY).isZero();
      assertThat(database.workCounts().minus(before).writeStatements()).as("the prune: one statement more")
          .isEqualTo(plainStatements + 1);
      LiveLog.Span kept = span(database);
      assertThat(kept.newest()).isEqualTo(id);
      assertThat(kept.newest() - kept.oldest() + 1).as("the last ten thousand kept").isEqualTo(LiveLog.KEEP);

      for (int i = 0; i < 10; i++) {
        record(database);
      }
      assertThat(span(database).newest() - span(database).oldest() + 1).isEqualTo(LiveLog.KEEP + 10);
    }
  }
}
