package jp.tsunagu.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.storage.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower as it runs in a cluster: capture triggers installed (any instance may lead next), its
 * own replication hook refusing whatever would need replicating (it holds no token), and a feature's
 * hook emptying a touch table as the timeline cache does. The leader's batches must apply whatever
 * order the hooks were registered in, and a write of the follower's own that the writer groups into
 * the same transaction as a batch must still be refused, never committed unreplicated.
 */
class FollowerApplyTest {

  private static final NodeConfig.Storage SETTINGS = new NodeConfig.Storage(2, Duration.ofSeconds(10), 256);

  @TempDir
  Path dir;

  private Database leader;
  private final List<Database> followers = new ArrayList<>();
  private final List<ReplicationBatch> batches = new ArrayList<>();
  private final List<List<Long>> leaderTouched = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    leader = openWithFeature("leader.db");
    leader.submitWrite(ChangeCapture::install).get();
    leader.commitHook("touches", FollowerApplyTest::takeTouches, ids -> noted(leaderTouched, ids));
    BatchWriter writer = new BatchWriter(() -> 1, leader.expectedSchemaVersion());
    leader.acknowledgingCommitHook("replication", writer::gather, batch -> {
      if (batch != null) {
        batches.add(batch);
      }
      return null;
    });
  }

  @AfterEach
  void close() {
    leader.close();
    followers.forEach(Database::close);
  }

  @Test
  void a_follower_applies_batches_whose_rows_its_own_triggers_touch_whichever_hook_was_registered_first()
      throws Exception {
    leaderWrites("insert into future_notes (body) values ('訪問記録 1')", "insert into future_notes (body) values ('2')");
    leaderWrites("update future_notes set body = '訪問記録 1 (訂正)' where id = 1",
        "insert into future_notes (body) values ('3')");
    assertThat(leaderTouched).containsExactly(List.of(1L, 2L), List.of(3L));
    // Touch tables are emptied in the transaction that filled them: no batch carries them.
    assertThat(batches).hasSize(2).allSatisfy(batch -> assertThat(batch.changes().encode()).doesNotContain("touches"));

    for (boolean touchHookFirst : new boolean[] {true, false}) {
      List<List<Long>> touched = new ArrayList<>();
      Database follower = follower("follower-" + touchHookFirst + ".db", touchHookFirst, touched);
      BatchApplier applier = new BatchApplier(follower.expectedSchemaVersion());
      for (ReplicationBatch batch : batches) {
        assertThat(follower.submitWrite(c -> applier.apply(c, batch)).get()).isEqualTo(BatchApplier.Outcome.APPLIED);
      }
      // Its cache hears of the replicated rows from its own triggers, as the leader's did.
      assertThat(touched).as("touch hook first: " + touchHookFirst).containsExactly(List.of(1L, 2L), List.of(3L));
      assertThat(follower.submitRead(ReplicaDumps::dump).get().get("future_notes"))
          .isEqualTo(leader.submitRead(ReplicaDumps::dump).get().get("future_notes"));
      assertThat(follower.submitRead(c -> count(c, "cluster_changes")).get()).isZero();
      assertThat(follower.submitRead(c -> count(c, "future_touches")).get()).isZero();
    }
  }

  @Test
  void a_follower_write_grouped_with_a_batch_in_one_transaction_is_refused_and_the_batch_commits() throws Exception {
    leaderWrites("insert into future_plain (label, amount) values ('from the leader', 1)");
    Database follower = follower("follower.db", true, new ArrayList<>());
    BatchApplier applier = new BatchApplier(follower.expectedSchemaVersion());
    // The writer is held busy, so the follower's own write and the batch queue up and are taken
    // together: one transaction, the local write first.
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Object> busy = follower.submitWrite(c -> {
      try {
        return release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
    CompletableFuture<Object> local = follower.submitWrite(c -> {
      ReplicaDumps.execute(c, "insert into future_plain (label, amount) values ('written on the follower', 2)");
      return null;
    });
    CompletableFuture<BatchApplier.Outcome> applied = follower.submitWrite(c -> applier.apply(c, batches.get(0)));
    release.countDown();
    busy.get();

    assertThat(applied.get()).isEqualTo(BatchApplier.Outcome.APPLIED);
    assertThatThrownBy(local::get).cause().isInstanceOf(CodedException.class)
        .extracting(e -> ((CodedException) e).code()).isEqualTo("cluster.not_leader");
    assertThat(follower.submitRead(ReplicaDumps::dump).get().get("future_plain"))
        .isEqualTo(leader.submitRead(ReplicaDumps::dump).get().get("future_plain")).hasSize(1);
    assertThat(follower.submitRead(c -> count(c, "cluster_changes")).get()).isZero();
    assertThat(follower.submitRead(ReplicationPosition::of).get()).isEqualTo(new ReplicationPosition(1, 1));
  }

  @Test
  void rows_captured_before_the_instance_took_part_in_replication_are_no_batch() throws Exception {
    Database follower = openWithFeature("restarted.db");
    follower.submitWrite(ChangeCapture::install).get();
    // Triggers left by an earlier run record a write committed while no hook gathers.
    follower.submitWrite(c -> {
      ReplicaDumps.execute(c, "insert into future_plain (label, amount) values ('before joining', 3)");
      return null;
    }).get();
    assertThat(follower.submitRead(c -> count(c, "cluster_changes")).get()).isEqualTo(1);

    follower.submitWrite(ChangeCapture::install).get();

    assertThat(follower.submitRead(c -> count(c, "cluster_changes")).get()).isZero();
  }

  /** A follower: the leader's feature tables, its touch hook and its refusing replication hook. */
  private Database follower(String file, boolean touchHookFirst, List<List<Long>> touched) throws Exception {
    Database follower = openWithFeature(file);
    BatchWriter writer = new BatchWriter(() -> 0, follower.expectedSchemaVersion());
    if (touchHookFirst) {
      follower.commitHook("touches", FollowerApplyTest::takeTouches, ids -> noted(touched, ids));
    }
    follower.acknowledgingCommitHook("replication", writer::gather, batch -> null);
    if (!touchHookFirst) {
      follower.commitHook("touches", FollowerApplyTest::takeTouches, ids -> noted(touched, ids));
    }
    follower.submitWrite(ChangeCapture::install).get();
    return follower;
  }

  private Database openWithFeature(String file) throws Exception {
    Database database = Database.open(dir.resolve(file), SETTINGS);
    if (!file.equals("leader.db")) {
      followers.add(database);
    }
    database.submitWrite(c -> {
      ReplicaDumps.execute(c, ReplicationTest.FUTURE_FEATURE);
      return null;
    }).get();
    return database;
  }

  private void leaderWrites(String... statements) throws Exception {
    leader.submitWrite(c -> {
      ReplicaDumps.execute(c, statements);
      return null;
    }).get();
  }

  private static void noted(List<List<Long>> touched, List<Long> ids) {
    if (!ids.isEmpty()) {
      touched.add(ids);
    }
  }

  /** What the timeline cache's hook does: reads the transaction's touches and empties the table. */
  private static List<Long> takeTouches(Connection c) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (PreparedStatement select = c.prepareStatement("select note_id from future_touches order by note_id");
        var rs = select.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    try (PreparedStatement delete = c.prepareStatement("delete from future_touches")) {
      delete.executeUpdate();
    }
    return ids;
  }

  private static long count(Connection c, String table) throws SQLException {
    try (var statement = c.createStatement(); var rs = statement.executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
