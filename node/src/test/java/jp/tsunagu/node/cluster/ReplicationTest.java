package jp.tsunagu.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.storage.StorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Row-level replication between two real database files of the node's schema: the leader's capture
 * triggers and commit hook make one batch per transaction, the follower applies it, and the leader's
 * writes are answered only once the follower has applied them.
 */
class ReplicationTest {

  private static final NodeConfig.Storage SETTINGS = new NodeConfig.Storage(2, Duration.ofSeconds(10), 256);

  /** Tables a later feature's migration could add, made on both instances as a migration would. */
  static final String[] FUTURE_FEATURE = {
      "create table future_notes (id integer primary key, body text not null, score real, photo blob, flag)",
      "create table future_plain (label text unique, amount integer)",
      "create table future_pairs (a text not null, b integer not null, note text, primary key (a, b)) without rowid",
      "create table future_children (id integer primary key, note_id integer not null references future_notes (id)"
          + " on delete cascade on update cascade, label text)",
      "create table future_touches (note_id integer primary key)",
      "create trigger future_note_touched after insert on future_notes begin"
          + " insert or ignore into future_touches (note_id) values (new.id); end"};

  @TempDir
  Path dir;

  private Database leader;
  private Database follower;
  private BatchApplier applier;
  private final AtomicLong token = new AtomicLong(1);
  private final List<ReplicationBatch> shipped = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    leader = Database.open(dir.resolve("leader.db"), SETTINGS);
    follower = Database.open(dir.resolve("follower.db"), SETTINGS);
    for (Database database : List.of(leader, follower)) {
      database.submitWrite(c -> {
        ReplicaDumps.execute(c, FUTURE_FEATURE);
        return null;
      }).get();
    }
    applier = new BatchApplier(follower.expectedSchemaVersion());
    assertThat(leader.submitWrite(ChangeCapture::install).get()).isGreaterThan(10);
    BatchWriter writer = new BatchWriter(token::get, leader.expectedSchemaVersion());
    leader.acknowledgingCommitHook("replication", writer::gather, batch -> {
      if (batch == null) {
        return null;
      }
      synchronized (shipped) {
        shipped.add(batch);
      }
      return follower.submitWrite(c -> applier.apply(c, batch));
    });
  }

  @AfterEach
  void close() {
    leader.close();
    follower.close();
  }

  @Test
  void writes_on_the_leader_appear_identically_on_the_follower_with_the_same_audit_chain_head() throws Exception {
    AuditLog audit = new AuditLog(leader, Clock.systemUTC());
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int n = i;
      writes.add(audit.record(AuditEvent.success("user-" + n, "care.post_created", "board/" + n,
          new JsonObject().put("n", n))).toCompletionStage().toCompletableFuture());
      writes.add(leader.submitWrite(c -> {
        ReplicaDumps.execute(c, "insert into future_notes (body, score, photo, flag) values ('note ''" + n
            + "'' 訪問', " + (n + 0.1) + ", x'00ff" + String.format("%02x", n) + "', " + (n % 2 == 0 ? "null" : n) + ")",
            "insert into future_plain (label, amount) values ('label-" + n + "', " + (Long.MAX_VALUE - n) + ")",
            "insert into future_pairs (a, b, note) values ('p', " + n + ", 'pair')");
        return null;
      }));
    }
    for (CompletableFuture<?> write : writes) {
      write.get();
    }
    leader.submitWrite(c -> {
      ReplicaDumps.execute(c,
          "insert into future_children (note_id, label) select id, 'child of ' || id from future_notes where id <= 5",
          "update future_notes set id = 1000 where id = 1",
          "delete from future_notes where id = 2",
          "update future_pairs set b = b + 100 where b < 3",
          "delete from future_plain where amount % 3 = 0",
          "update future_plain set label = label || '!' where amount % 3 = 1",
          "update future_notes set score = 1.0 / 3, body = 'ほか' where id = 3");
      return null;
    }).get();

    // Answered only after the follower applied it: nothing is still on its way.
    ReplicationPosition onLeader = leader.submitRead(ReplicationPosition::of).get();
    ReplicationPosition onFollower = follower.submitRead(ReplicationPosition::of).get();
    assertThat(onFollower).isEqualTo(onLeader);
    assertThat(onLeader.batchId()).isEqualTo(shipped.size());
    var leaderRows = leader.submitRead(ReplicaDumps::dump).get();
    var followerRows = follower.submitRead(ReplicaDumps::dump).get();
    assertThat(followerRows).isEqualTo(leaderRows);
    assertThat(leaderRows.get("future_children")).hasSize(4).anyMatch(row -> row.startsWith("Integer:1|Integer:1|Integer:1000|"));
    assertThat(leaderRows.get("future_notes")).hasSize(39);
    assertThat(leaderRows.get("audit_log")).hasSize(40);
    assertThat(follower.submitRead(AuditLog::lastRow).get()).isEqualTo(leader.submitRead(AuditLog::lastRow).get());
    // Both keep the batches, so either can bring a third instance up to date.
    assertThat(follower.submitRead(c -> count(c, "select count(*) from cluster_batches")).get())
        .isEqualTo(shipped.size());
    assertThat(leader.submitRead(c -> count(c, "select count(*) from cluster_changes")).get()).isZero();
  }

  @Test
  void the_follower_keeps_each_batch_as_the_text_the_leader_made_with_the_same_digest() throws Exception {
    leader.submitWrite(c -> {
      ReplicaDumps.execute(c, "insert into future_notes (body, score, photo, flag) values ('改行\n\"引用\" \\ /', 0.1, x'00ff', null)",
          "insert into future_pairs (a, b, note) values ('p', 1, 'pair')",
          "update future_notes set score = 1e300 where id = 1",
          "delete from future_pairs where b = 1");
      return null;
    }).get();

    String sql = "select batch_id, token, changes, prev_digest, digest from cluster_batches order by batch_id";
    assertThat(follower.submitRead(c -> ReplicaDumps.rows(c, sql)).get())
        .isEqualTo(leader.submitRead(c -> ReplicaDumps.rows(c, sql)).get()).hasSize(1);
    ReplicationBatch batch = shipped.get(0);
    assertThat(batch.changes()).hasSize(4);
    assertThat(batch.changes().getJsonObject(0).getJsonArray("v").getString(1)).isEqualTo("t改行\n\"引用\" \\ /");
    assertThat(batch.changes().getJsonObject(2).getJsonArray("v").getString(2)).startsWith("r");
    assertThat(batch.changes().getJsonObject(3).containsKey("v")).isFalse();
    assertThat(follower.submitRead(c -> ReplicaDumps.rows(c, "select digest from cluster_position")).get())
        .containsExactly(batch.digest());
  }

  @Test
  void a_batch_costs_the_leader_five_statements_and_the_follower_one_a_row_and_six_more() throws Exception {
    // Capture installed on the follower too, as on every instance of a cluster (any may lead next).
    follower.submitWrite(ChangeCapture::install).get();
    // The follower reads a table's description once, at its first change.
    leader.submitWrite(c -> {
      ReplicaDumps.execute(c, "insert into future_notes (body) values ('first')");
      return null;
    }).get();
    var leaderBefore = leader.workCounts();
    var followerBefore = follower.workCounts();
    leader.submitWrite(c -> {
      for (int i = 0; i < 10; i++) {
        ReplicaDumps.execute(c, "insert into future_notes (body) values ('note " + i + "')");
      }
      ReplicaDumps.execute(c, "update future_notes set score = 1 where id = 1", "delete from future_notes where id = 2");
      return null;
    }).get();

    // The leader gathers, checks, keeps and numbers the batch in the same few statements whatever it holds.
    assertThat(leader.workCounts().minus(leaderBefore).writeStatements()).isEqualTo(5);
    // The follower: one statement a row (an insert where the row is not there yet, as a new row nearly
    // never is), and the batch's checks, its position and its kept copy.
    assertThat(follower.workCounts().minus(followerBefore).writeStatements()).isEqualTo(12 + 6);
    assertThat(follower.submitRead(ReplicaDumps::dump).get()).isEqualTo(leader.submitRead(ReplicaDumps::dump).get());
    // Its own capture recorded nothing of the leader's rows: paused while they were applied.
    assertThat(follower.submitRead(c -> count(c, "select count(*) from cluster_changes")).get()).isZero();
  }

  @Test
  void a_follower_records_none_of_the_rows_it_applies_in_its_own_capture() throws Exception {
    leader.submitWrite(c -> {
      for (int i = 0; i < 10; i++) {
        ReplicaDumps.execute(c, "insert into future_notes (body) values ('note " + i + "')");
      }
      ReplicaDumps.execute(c, "update future_notes set score = 1 where id = 1", "delete from future_notes where id = 2");
      return null;
    }).get();
    try (Database late = lateInstance("late.db")) {
      late.submitWrite(ChangeCapture::install).get();
      BatchApplier lateApplier = new BatchApplier(late.expectedSchemaVersion());
      long changed = late.submitWrite(c -> {
        long before = count(c, "select total_changes()");
        lateApplier.apply(c, shipped.get(0));
        return count(c, "select total_changes()") - before;
      }).get();
      // The 12 rows, the 10 touches the feature's own trigger makes, capture paused and resumed, the
      // kept batch and the position: no row of cluster_changes written and removed again.
      assertThat(changed).isEqualTo(12 + 10 + 2 + 2);
      assertThat(late.submitRead(ReplicaDumps::dump).get()).isEqualTo(leader.submitRead(ReplicaDumps::dump).get());
    }
  }

  @Test
  void a_message_that_is_not_a_leaders_batch_is_refused_as_a_bad_batch() {
    ReplicationBatch batch = new ReplicationBatch(1, 1, "270", new JsonArray().add(new JsonObject().put("t", "x")));
    ReplicationBatch.Received received = ReplicationBatch.fromWire(batch.toWire("leader-a"));
    assertThat(received.batches()).containsExactly(batch);
    assertThat(received.leader()).isEqualTo("leader-a");
    io.vertx.core.buffer.Buffer header = io.vertx.core.buffer.Buffer.buffer("{\"batchId\":1}");
    for (io.vertx.core.buffer.Buffer wire : List.of(io.vertx.core.buffer.Buffer.buffer(),
        io.vertx.core.buffer.Buffer.buffer().appendInt(10_000).appendString("{}"),
        io.vertx.core.buffer.Buffer.buffer().appendInt(2).appendString("[]"),
        io.vertx.core.buffer.Buffer.buffer().appendInt(3).appendString("{x}"),
        io.vertx.core.buffer.Buffer.buffer().appendInt(header.length()).appendBuffer(header).appendString("[]"))) {
      assertThatThrownBy(() -> ReplicationBatch.fromWire(wire)).isInstanceOf(ReplicationRefused.class)
          .extracting(e -> ((CodedException) e).code()).isEqualTo("cluster.bad_batch");
    }
    ReplicationBatch notAnArray = ReplicationBatch.fromJson(new JsonObject().put("batchId", 1).put("token", 1)
        .put("schema", follower.expectedSchemaVersion()).put("changes", "{\"t\":"));
    assertRefused(notAnArray, "cluster.bad_batch");
  }

  @Test
  void batches_committed_together_travel_in_one_message_read_back_in_order_from_one_leader() {
    ReplicationBatch first = new ReplicationBatch(7, 2, "270", new JsonArray().add(new JsonObject().put("t", "訪問")));
    ReplicationBatch second = ReplicationBatch.ofText(8, 2, "270", "[]", first.digest());
    io.vertx.core.buffer.Buffer wire = ReplicationBatch.toWire("leader-a", List.of(first, second));
    ReplicationBatch.Received received = ReplicationBatch.fromWire(wire);
    assertThat(received.batches()).containsExactly(first, second);
    assertThat(received.batches().get(1).digest()).isEqualTo(second.digest());
    assertThat(received.leader()).isEqualTo("leader-a");
    // A second batch cut short, or sent in another leader's name, refuses the whole message.
    io.vertx.core.buffer.Buffer cut = wire.getBuffer(0, wire.length() - 1);
    io.vertx.core.buffer.Buffer mixed = first.toWire("leader-a").appendBuffer(second.toWire("leader-b"));
    for (io.vertx.core.buffer.Buffer bad : List.of(cut, mixed)) {
      assertThatThrownBy(() -> ReplicationBatch.fromWire(bad)).isInstanceOf(ReplicationRefused.class)
          .extracting(e -> ((CodedException) e).code()).isEqualTo("cluster.bad_batch");
    }
  }

  @Test
  void a_batch_from_an_older_fencing_token_is_refused_and_changes_nothing() throws Exception {
    token.set(5);
    leader.submitWrite(c -> {
      ReplicaDumps.execute(c, "insert into future_notes (body) values ('by the leader of token 5')");
      return null;
    }).get();
    var before = follower.submitRead(ReplicaDumps::dump).get();
    ReplicationBatch late = new ReplicationBatch(2, 4, follower.expectedSchemaVersion(), new JsonArray().add(
        new JsonObject().put("t", "future_notes").put("op", "i").put("nk", new JsonArray().add(99))
            .put("v", new JsonArray().add(99).add("tlate write of a deposed leader").addNull().addNull().addNull())));

    assertThatThrownBy(() -> follower.submitWrite(c -> applier.apply(c, late)).get())
        .hasCauseInstanceOf(ReplicationRefused.class).cause().extracting(e -> ((CodedException) e).code())
        .isEqualTo("cluster.stale_token");
    assertThat(follower.submitRead(ReplicaDumps::dump).get()).isEqualTo(before);
    assertThat(follower.submitRead(ReplicationPosition::of).get()).isEqualTo(new ReplicationPosition(1, 5));
  }

  @Test
  void a_batch_applied_twice_changes_nothing_the_second_time() throws Exception {
    leader.submitWrite(c -> {
      ReplicaDumps.execute(c, "insert into future_plain (label, amount) values ('once', 1)");
      return null;
    }).get();
    assertThat(follower.submitWrite(c -> applier.apply(c, shipped.get(0))).get())
        .isEqualTo(BatchApplier.Outcome.ALREADY_APPLIED);
    assertThat(follower.submitRead(c -> count(c, "select count(*) from future_plain")).get()).isEqualTo(1);
  }

  @Test
  void a_batch_number_held_from_a_deposed_leader_and_shipped_again_by_a_newer_one_is_refused_as_diverged()
      throws Exception {
    token.set(5);
    leader.submitWrite(c -> {
      ReplicaDumps.execute(c, "insert into future_plain (label, amount) values ('of the deposed leader', 1)");
      return null;
    }).get();
    var before = follower.submitRead(ReplicaDumps::dump).get();
    // The new leader (token 9) never had batch 1 of token 5 and wrote its own batch 1.
    ReplicationBatch other = new ReplicationBatch(1, 9, follower.expectedSchemaVersion(), new JsonArray().add(
        new JsonObject().put("t", "future_plain").put("op", "i").put("nk", new JsonArray().add(1))
            .put("v", new JsonArray().add("tof the new leader").add(2))));

    assertRefused(other, "cluster.diverged");
    assertThat(follower.submitRead(ReplicaDumps::dump).get()).isEqualTo(before);
    assertThat(follower.submitRead(ReplicationPosition::of).get()).isEqualTo(new ReplicationPosition(1, 5));
    // The same batch again from the leader that wrote it is still only a repeat.
    assertThat(follower.submitWrite(c -> applier.apply(c, shipped.get(0))).get())
        .isEqualTo(BatchApplier.Outcome.ALREADY_APPLIED);
  }

  @Test
  void batches_that_are_not_the_next_one_or_not_what_a_leader_writes_are_refused_and_change_nothing()
      throws Exception {
    var before = follower.submitRead(ReplicaDumps::dump).get();
    String schema = follower.expectedSchemaVersion();
    JsonObject row = new JsonObject().put("t", "future_plain").put("op", "i").put("nk", new JsonArray().add(7))
        .put("v", new JsonArray().add("tseven").add(7));
    assertRefused(new ReplicationBatch(2, 1, schema, new JsonArray().add(row)), "cluster.batch_gap");
    assertRefused(new ReplicationBatch(1, 1, "1", new JsonArray().add(row)), "cluster.schema_mismatch");
    assertRefused(new ReplicationBatch(1, 1, schema, new JsonArray().add(row.copy().put("t", "schema_history"))),
        "cluster.bad_batch");
    assertRefused(new ReplicationBatch(1, 1, schema, new JsonArray().add(row.copy().put("op", "x"))),
        "cluster.bad_batch");
    assertRefused(new ReplicationBatch(1, 1, schema, new JsonArray().add(row.copy().put("v", new JsonArray().add(1)))),
        "cluster.bad_batch");
    assertRefused(new ReplicationBatch(1, 1, schema, new JsonArray().add(row.copy().put("v",
        new JsonArray().add("qseven").add(7)))), "cluster.bad_value");
    // The first change applies, the second is bad: the batch is one transaction, nothing of it stays.
    assertRefused(new ReplicationBatch(1, 1, schema, new JsonArray().add(row).add(row.copy().put("nk", "1"))),
        "cluster.bad_batch");
    assertThatThrownBy(() -> ReplicationBatch.fromJson(new JsonObject().put("batchId", 1)))
        .isInstanceOf(ReplicationRefused.class).hasMessageContaining("batchId, token, schema and changes");
    assertThat(follower.submitRead(ReplicaDumps::dump).get()).isEqualTo(before);
    assertThat(follower.submitRead(ReplicationPosition::of).get()).isEqualTo(new ReplicationPosition(0, 0));
  }

  @Test
  void a_page_of_fetched_batches_applies_in_one_transaction_and_a_page_with_a_refused_batch_applies_none_of_it()
      throws Exception {
    for (int i = 0; i < 5; i++) {
      int n = i;
      leader.submitWrite(c -> {
        ReplicaDumps.execute(c, "insert into future_notes (body) values ('note " + n + "')",
            "update future_notes set score = " + n + " where id = 1");
        return null;
      }).get();
    }
    // An instance that missed every batch (it was stopped) takes them as the leader hands them out.
    try (Database late = lateInstance("late.db")) {
      BatchApplier lateApplier = new BatchApplier(late.expectedSchemaVersion());
      var before = late.submitRead(ReplicaDumps::dump).get();
      // Batch 3 is missing: batches 4 and 5 would not follow batch 2, so nothing of the page is applied.
      List<ReplicationBatch> gap = List.of(shipped.get(0), shipped.get(1), shipped.get(3), shipped.get(4));
      assertThatThrownBy(() -> lateApplier.applyAllOn(late, gap).toCompletionStage().toCompletableFuture().get())
          .cause().isInstanceOf(ReplicationRefused.class).extracting(e -> ((CodedException) e).code())
          .isEqualTo("cluster.batch_gap");
      assertThat(late.submitRead(ReplicaDumps::dump).get()).isEqualTo(before);
      assertThat(late.submitRead(ReplicationPosition::of).get()).isEqualTo(new ReplicationPosition(0, 0));

      assertThat(lateApplier.applyAllOn(late, shipped.subList(0, 2)).toCompletionStage().toCompletableFuture().get())
          .contains("future_notes");
      // A page overlapping what is applied already skips those batches and applies the rest.
      lateApplier.applyAllOn(late, shipped).toCompletionStage().toCompletableFuture().get();
      assertThat(late.submitRead(ReplicaDumps::dump).get()).isEqualTo(leader.submitRead(ReplicaDumps::dump).get());
      assertThat(late.submitRead(ReplicationPosition::of).get()).isEqualTo(new ReplicationPosition(5, 1));
      assertThat(lateApplier.applyAllOn(late, shipped).toCompletionStage().toCompletableFuture().get()).isEmpty();
    }
  }

  @Test
  void a_page_holding_a_batch_of_a_newer_leader_over_one_held_from_a_deposed_leader_marks_the_database_diverged()
      throws Exception {
    leader.submitWrite(c -> {
      ReplicaDumps.execute(c, "insert into future_plain (label, amount) values ('of the deposed leader', 1)");
      return null;
    }).get();
    ReplicationBatch other = new ReplicationBatch(1, 9, follower.expectedSchemaVersion(), new JsonArray().add(
        new JsonObject().put("t", "future_plain").put("op", "i").put("nk", new JsonArray().add(1))
            .put("v", new JsonArray().add("tof the new leader").add(2))));
    var before = follower.submitRead(ReplicaDumps::dump).get();

    assertThatThrownBy(() -> applier.applyAllOn(follower, List.of(other)).toCompletionStage().toCompletableFuture()
        .get()).cause().isInstanceOf(ReplicationRefused.class).extracting(e -> ((CodedException) e).code())
        .isEqualTo(BatchChain.DIVERGED);
    assertThat(follower.submitRead(BatchChain::diverged).get()).isNotNull();
    assertThat(follower.submitRead(c -> count(c, "select count(*) from future_plain where label = 'of the deposed leader'"))
        .get()).isEqualTo(1);
    assertThat(follower.submitRead(ReplicaDumps::dump).get().get("future_plain")).isEqualTo(before.get("future_plain"));
  }

  private Database lateInstance(String file) throws Exception {
    Database late = Database.open(dir.resolve(file), SETTINGS);
    late.submitWrite(c -> {
      ReplicaDumps.execute(c, FUTURE_FEATURE);
      return null;
    }).get();
    return late;
  }

  @Test
  void a_leader_whose_token_is_below_one_its_database_has_seen_commits_nothing() throws Exception {
    token.set(3);
    leader.submitWrite(c -> {
      ReplicaDumps.execute(c, "insert into future_plain (label, amount) values ('token 3', 3)");
      return null;
    }).get();
    token.set(2);
    assertThatThrownBy(() -> leader.submitWrite(c -> {
      ReplicaDumps.execute(c, "insert into future_plain (label, amount) values ('token 2', 2)");
      return null;
    }).get()).isInstanceOf(ExecutionException.class).cause().extracting(e -> ((CodedException) e).code())
        .isEqualTo("cluster.not_leader");
    assertThat(leader.submitRead(c -> count(c, "select count(*) from future_plain")).get()).isEqualTo(1);
  }

  @Test
  void a_write_no_follower_confirmed_is_committed_here_but_not_acknowledged() throws Exception {
    try (Database alone = Database.open(dir.resolve("alone.db"), SETTINGS)) {
      alone.submitWrite(ChangeCapture::install).get();
      BatchWriter writer = new BatchWriter(() -> 1, alone.expectedSchemaVersion());
      alone.acknowledgingCommitHook("replication", writer::gather, batch -> CompletableFuture.failedFuture(
          new ReplicationRefused("cluster.no_follower", "no follower answered")));
      assertThatThrownBy(() -> new AuditLog(alone, Clock.systemUTC()).record(AuditEvent.success("u", "a", "t",
          new JsonObject())).toCompletionStage().toCompletableFuture().get())
          .cause().isInstanceOf(StorageException.class).extracting(e -> ((CodedException) e).code())
          .isEqualTo("storage.outcome_unknown");
      assertThat(alone.submitRead(c -> count(c, "select count(*) from audit_log")).get()).isEqualTo(1);
    }
  }

  private void assertRefused(ReplicationBatch batch, String code) {
    assertThatThrownBy(() -> follower.submitWrite(c -> applier.apply(c, batch)).get())
        .cause().isInstanceOf(ReplicationRefused.class).extracting(e -> ((CodedException) e).code()).isEqualTo(code);
  }

  private static long count(java.sql.Connection c, String sql) throws java.sql.SQLException {
    try (var statement = c.createStatement(); var rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
