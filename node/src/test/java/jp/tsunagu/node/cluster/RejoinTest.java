package jp.tsunagu.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.storage.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An old leader that comes back: two real database files of the node's schema that each led in
 * turn (capture triggers and commit hook on both), the first one's last batch never replicated. It
 * must find out, whether the new leader has written only as far as its last batch or past it, by
 * the first batch it is sent or by comparing with the leader at start (over a real event bus), and
 * then change nothing more, refuse to write and never be counted as holding its batches.
 */
class RejoinTest {

  private static final NodeConfig.Storage SETTINGS = new NodeConfig.Storage(2, Duration.ofSeconds(10), 256);

  @TempDir
  Path dir;

  private Vertx vertx;
  private Database old;
  private Database current;
  private final AtomicLong oldToken = new AtomicLong(1);
  private final AtomicLong currentToken = new AtomicLong(0);
  private final List<ReplicationBatch> fromOld = new ArrayList<>();
  private final List<ReplicationBatch> fromCurrent = new ArrayList<>();
  private BatchApplier oldApplier;
  private BatchApplier currentApplier;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    old = leaderCapable(dir.resolve("old.db"), oldToken, fromOld);
    current = leaderCapable(dir.resolve("current.db"), currentToken, fromCurrent);
    oldApplier = new BatchApplier(old.expectedSchemaVersion());
    currentApplier = new BatchApplier(current.expectedSchemaVersion());
    // Batch 1 written by the old leader and replicated: both hold it.
    write(old, "first, replicated");
    currentApplier.applyOn(current, fromOld.get(0)).toCompletionStage().toCompletableFuture().get();
    // Batch 2 committed by the old leader, which died before any follower applied it (never acknowledged).
    write(old, "second, never replicated");
    oldToken.set(0);
    currentToken.set(2);
  }

  private static Database leaderCapable(Path file, AtomicLong token, List<ReplicationBatch> shipped) throws Exception {
    Database database = Database.open(file, SETTINGS);
    database.submitWrite(c -> {
      ReplicaDumps.execute(c, ReplicationTest.FUTURE_FEATURE);
      return null;
    }).get();
    database.submitWrite(ChangeCapture::install).get();
    BatchWriter writer = new BatchWriter(token::get, database.expectedSchemaVersion());
    database.acknowledgingCommitHook("replication", writer::gather, batch -> {
      if (batch != null) {
        shipped.add(batch);
      }
      return null;
    });
    return database;
  }

  @AfterEach
  void close() throws Exception {
    old.close();
    current.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void an_old_leader_whose_last_batch_the_new_leader_rewrote_is_diverged_and_changes_nothing_more() throws Exception {
    write(current, "third, by the new leader");
    var before = old.submitRead(ReplicaDumps::dump).get();

    assertRefused(oldApplier.applyOn(old, fromCurrent.get(0)), BatchChain.DIVERGED);

    assertThat(old.submitRead(BatchChain::diverged).get()).contains("never replicated");
    assertStillItsOwn(before);
  }

  @Test
  void an_old_leader_returning_after_the_new_leader_wrote_past_its_last_batch_applies_nothing_on_top() throws Exception {
    write(current, "third, by the new leader");
    write(current, "fourth, by the new leader");
    var before = old.submitRead(ReplicaDumps::dump).get();

    // Batch 3 follows batch 2 by number, but not the old leader's batch 2: before the chain it was applied on top.
    assertRefused(oldApplier.applyOn(old, fromCurrent.get(1)), BatchChain.DIVERGED);

    assertThat(old.submitRead(BatchChain::diverged).get()).contains("does not follow batch 2");
    assertStillItsOwn(before);
  }

  @Test
  void at_start_an_old_leader_compares_its_last_batch_with_the_leaders_and_marks_itself_diverged() throws Exception {
    ChainCheck onCurrent = new ChainCheck(vertx, current, "c", "current", () -> "current", () -> List.of("old", "current"));
    ChainCheck onOld = new ChainCheck(vertx, old, "c", "old", () -> "current", () -> List.of("old", "current"));
    await(onCurrent.start());
    await(onOld.start());

    // The new leader has not written yet: it holds only batch 1, the old one holds batch 2.
    await(onOld.verify());
    assertThat(old.submitRead(BatchChain::diverged).get()).contains("the leader only up to 1");
    assertThat(current.submitRead(BatchChain::diverged).get()).isNull();
  }

  @Test
  void at_start_an_instance_whose_batches_are_the_leaders_is_not_diverged_and_catches_up() throws Exception {
    write(current, "third, by the new leader");
    write(current, "fourth, by the new leader");
    // A follower that held batch 1 only: a copy of the new leader's first batch, nothing of its own.
    Database follower = Database.open(dir.resolve("follower.db"), SETTINGS);
    try {
      follower.submitWrite(c -> {
        ReplicaDumps.execute(c, ReplicationTest.FUTURE_FEATURE);
        return null;
      }).get();
      BatchApplier applier = new BatchApplier(follower.expectedSchemaVersion());
      await(applier.applyOn(follower, fromOld.get(0)));
      ChainCheck onCurrent = new ChainCheck(vertx, current, "c", "current", () -> "current",
          () -> List.of("follower", "current"));
      ChainCheck onFollower = new ChainCheck(vertx, follower, "c", "follower", () -> "current",
          () -> List.of("follower", "current"));
      await(onCurrent.start());
      await(onFollower.verify());
      assertThat(follower.submitRead(BatchChain::diverged).get()).isNull();

      for (ReplicationBatch batch : fromCurrent) {
        await(applier.applyOn(follower, batch));
      }
      assertThat(follower.submitRead(ReplicaDumps::dump).get()).isEqualTo(current.submitRead(ReplicaDumps::dump).get());
      assertThat(follower.submitRead(BatchChain::head).get()).isEqualTo(current.submitRead(BatchChain::head).get());

      // The old leader, compared with a leader that wrote past it, is diverged.
      ChainCheck onOld = new ChainCheck(vertx, old, "c", "old", () -> "current", () -> List.of("old", "current"));
      await(onOld.verify());
      assertThat(old.submitRead(BatchChain::diverged).get()).contains("batch 2 here is not the leader's batch 2");
    } finally {
      follower.close();
    }
  }

  /** Nothing applied, no batch of its own possible, and every later batch refused. */
  private void assertStillItsOwn(Object before) throws Exception {
    assertThat(old.submitRead(ReplicaDumps::dump).get()).isEqualTo(before);
    assertThat(old.submitRead(ReplicationPosition::of).get().batchId()).isEqualTo(2);
    for (ReplicationBatch batch : fromCurrent) {
      assertRefused(oldApplier.applyOn(old, batch), BatchChain.DIVERGED);
    }
    oldToken.set(9);
    assertThatThrownBy(() -> write(old, "elected again")).cause().isInstanceOf(ReplicationRefused.class)
        .extracting(e -> ((CodedException) e).code()).isEqualTo(BatchChain.DIVERGED);
    assertThat(old.submitRead(ReplicaDumps::dump).get()).isEqualTo(before);
  }

  private static void write(Database database, String body) throws Exception {
    database.submitWrite(c -> {
      ReplicaDumps.execute(c, "insert into future_notes (body) values ('" + body + "')");
      return null;
    }).get();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get();
  }

  private static void assertRefused(Future<?> future, String code) {
    assertThatThrownBy(() -> await(future)).cause().isInstanceOf(ReplicationRefused.class)
        .extracting(e -> ((CodedException) e).code()).isEqualTo(code);
  }
}
