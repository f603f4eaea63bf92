package jp.tsunagu.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.storage.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader with two followers and one synchronous replica, on real database files of the node's
 * schema and one Vert.x's event bus: the follower a write waits for gets each batch at once, the
 * other the batches of a while together; and when the one waited for stops, the other takes its place.
 * The delay is two seconds here (20 ms in a node), so what goes together does not depend on the machine's speed.
 */
class AsynchronousFollowersTest {

  private static final NodeConfig.Storage SETTINGS = new NodeConfig.Storage(2, Duration.ofSeconds(10), 256);
  private static final long ACK_MILLIS = 8_000;
  private static final long DELAY_MILLIS = 2_000;
  /** How long a follower may take to apply a batch here (a delayed follower waits DELAY_MILLIS first). */
  private static final Duration APPLIED_WITHIN = Duration.ofSeconds(15);

  @TempDir
  Path dir;

  private Vertx vertx;
  private Database leader;
  /** The follower waited for first: the two have applied as much, and it comes first by name. */
  private Database first;
  private Database second;
  private ReplicationLink leaderLink;
  private ReplicationLink firstLink;
  private ReplicationLink secondLink;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    leader = database("leader.db");
    first = database("first.db");
    second = database("second.db");
    List<String> members = List.of("leader", "follower-a", "follower-b");
    leaderLink = link(leader, "leader", members);
    firstLink = link(first, "follower-a", members);
    secondLink = link(second, "follower-b", members);
    new LeaderCommits(new BatchWriter(() -> 1, leader.expectedSchemaVersion()), leaderLink, token -> { })
        .install(leader);
    for (Database follower : List.of(first, second)) {
      follower.acknowledgingCommitHook("cluster.replication",
          new BatchWriter(() -> 0, follower.expectedSchemaVersion())::gather, batch -> null);
    }
    Context leaderContext = vertx.getOrCreateContext();
    CompletableFuture<Void> started = new CompletableFuture<>();
    leaderContext.runOnContext(v -> leaderLink.start().onComplete(done -> started.complete(null)));
    started.get(10, TimeUnit.SECONDS);
    firstLink.start().await(10, TimeUnit.SECONDS);
    secondLink.start().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    leader.close();
    first.close();
    second.close();
  }

  @Test
  void the_follower_no_write_waits_for_gets_the_batches_of_a_while_in_one_message_and_commits_them_together()
      throws Exception {
    for (int i = 0; i < 4; i++) {
      // Each answered once the follower waited for applied it, one after the other.
      write("訪問記録 " + i).get(10, TimeUnit.SECONDS);
    }
    assertThat(firstLink.times().toJson(first).getLong("messagesReceived")).isEqualTo(4);
    assertThat(firstLink.times().toJson(first).getLong("commits")).isGreaterThanOrEqualTo(4);

    ReplicaDumps.awaitPosition(second, 4, APPLIED_WITHIN);
    assertThat(secondLink.times().toJson(second).getLong("received")).isEqualTo(4);
    assertThat(secondLink.times().toJson(second).getLong("messagesReceived")).isEqualTo(1);
    assertThat(second.submitRead(ReplicaDumps::dump).get()).isEqualTo(leader.submitRead(ReplicaDumps::dump).get());
    assertThat(first.submitRead(ReplicaDumps::dump).get()).isEqualTo(leader.submitRead(ReplicaDumps::dump).get());
  }

  @Test
  void when_the_follower_waited_for_stops_the_other_confirms_the_writes_and_is_sent_each_batch_at_once()
      throws Exception {
    write("最初の記録").get(10, TimeUnit.SECONDS);
    ReplicaDumps.awaitPosition(second, 1, APPLIED_WITHIN);
    CountDownLatch release = holdWriter(first);
    try {
      // The first follower holds it unapplied: the second gets it after the delay, applies it, and the
      // write is answered on its word.
      write("止まった間の記録").get(ACK_MILLIS / 2, TimeUnit.MILLISECONDS);
      assertThat(second.submitRead(ReplicationPosition::of).get().batchId()).isEqualTo(2);
      assertThat(first.submitRead(ReplicationPosition::of).get().batchId()).isEqualTo(1);

      // Now ahead, the second is the one waited for: each batch goes to it at once, alone.
      long messagesBefore = secondLink.times().toJson(second).getLong("messagesReceived");
      write("次の記録").get(ACK_MILLIS / 2, TimeUnit.MILLISECONDS);
      write("その次の記録").get(ACK_MILLIS / 2, TimeUnit.MILLISECONDS);
      assertThat(secondLink.times().toJson(second).getLong("messagesReceived")).isEqualTo(messagesBefore + 2);
    } finally {
      release.countDown();
    }
    // The first, let go, applies what it holds and gets the rest: every batch, in order.
    ReplicaDumps.awaitPosition(first, 4, APPLIED_WITHIN);
    assertThat(first.submitRead(ReplicaDumps::dump).get()).isEqualTo(leader.submitRead(ReplicaDumps::dump).get());
    assertThat(second.submitRead(ReplicaDumps::dump).get()).isEqualTo(leader.submitRead(ReplicaDumps::dump).get());
  }

  private ReplicationLink link(Database database, String self, List<String> members) {
    return new ReplicationLink(vertx, database, "async-test", self, () -> members, 1, new BatchWatch(), ACK_MILLIS,
        DELAY_MILLIS);
  }

  private CompletableFuture<Object> write(String body) {
    return leader.submitWrite(c -> {
      ReplicaDumps.execute(c, "insert into future_notes (body) values ('" + body + "')");
      return null;
    });
  }

  /** Holds the database's writer in a transaction of its own until the latch returned is counted down. */
  private static CountDownLatch holdWriter(Database database) throws InterruptedException {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    database.submitWrite(c -> {
      held.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    return release;
  }


  private Database database(String name) throws Exception {
    Database database = Database.open(dir.resolve(name), SETTINGS);
    database.submitWrite(c -> {
      ReplicaDumps.execute(c, ReplicationTest.FUTURE_FEATURE);
      return null;
    }).get();
    database.submitWrite(ChangeCapture::install).get();
    return database;
  }
}
