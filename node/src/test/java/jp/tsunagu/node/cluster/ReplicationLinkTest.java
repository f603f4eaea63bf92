package jp.tsunagu.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * The link between a leader and a follower as the instances run it, on real database files of the
 * node's schema: the leader's commit hook ships each batch, the follower's link applies it and
 * answers, and the leader's writes are answered once it has. Both links on one Vert.x's event bus
 * (the clustered bus carries the same messages between processes, over TLS).
 */
class ReplicationLinkTest {

  private static final NodeConfig.Storage SETTINGS = new NodeConfig.Storage(2, Duration.ofSeconds(10), 256);
  /** How long a write waits for the follower here: long beside a commit, short for a test. */
  private static final long ACK_MILLIS = 4_000;
  /** How long the leader may take to commit a batch here. */
  private static final Duration COMMITTED_WITHIN = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  private Vertx vertx;
  private Database leader;
  private Database follower;
  private ReplicationLink leaderLink;
  private ReplicationLink followerLink;
  private Context leaderContext;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    leader = database("leader.db");
    follower = database("follower.db");
    List<String> members = List.of("leader", "follower");
    leaderLink = new ReplicationLink(vertx, leader, "link-test", "leader", () -> members, 1, new BatchWatch(),
        ACK_MILLIS, AsynchronousFollowers.DELAY_MILLIS);
    followerLink = new ReplicationLink(vertx, follower, "link-test", "follower", () -> members, 1, new BatchWatch(),
        ACK_MILLIS, AsynchronousFollowers.DELAY_MILLIS);
    BatchWriter writer = new BatchWriter(() -> 1, leader.expectedSchemaVersion());
    new LeaderCommits(writer, leaderLink, token -> { }).install(leader);
    // The follower's own hook refuses what would need replicating, as on every instance that does not lead.
    BatchWriter refusing = new BatchWriter(() -> 0, follower.expectedSchemaVersion());
    follower.acknowledgingCommitHook("cluster.replication", refusing::gather, followerLink::ship);
    leaderContext = vertx.getOrCreateContext();
    CompletableFuture<Void> started = new CompletableFuture<>();
    leaderContext.runOnContext(v -> leaderLink.start().onComplete(done -> started.complete(null)));
    started.get(10, TimeUnit.SECONDS);
    followerLink.start().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    leader.close();
    follower.close();
  }

  @Test
  void batches_committed_while_the_leaders_event_loop_is_busy_go_in_one_message_answered_once() throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    leaderContext.runOnContext(v -> {
      busy.countDown();
      await(release);
    });
    busy.await(10, TimeUnit.SECONDS);
    List<CompletableFuture<Object>> writes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      // Each its own transaction: committed, kept and numbered, not yet answered.
      writes.add(committedNote("訪問記録 " + i, i + 1));
    }
    assertThat(writes).noneMatch(CompletableFuture::isDone);
    release.countDown();
    for (CompletableFuture<Object> write : writes) {
      write.get(10, TimeUnit.SECONDS);
    }

    // A write's answer may be told before its batch's hold is counted: both follow the same acknowledgement.
    awaitShipped(3);
    JsonObject sent = leaderLink.times().toJson(leader);
    JsonObject received = followerLink.times().toJson(follower);
    assertThat(sent.getLong("shipped")).isEqualTo(3);
    assertThat(sent.getLong("messagesSent")).isEqualTo(1);
    assertThat(received.getLong("received")).isEqualTo(3);
    assertThat(received.getLong("messagesReceived")).isEqualTo(1);
    // Where the follower's time went: its writer's statements for the batches, and never a transaction
    // held open for more (the leader's next batches come only after this answer).
    assertThat(received.getLong("applyMicros")).isPositive();
    assertThat(received.getLong("gatherMicros")).isZero();
    assertFollowerHoldsTheLeadersData(3);
    assertThat(leaderLink.followerPositions()).containsEntry("follower", 3L);

    // A batch committed when the loop is free goes at once, alone.
    write("insert into future_notes (body) values ('訪問記録 3')").get(10, TimeUnit.SECONDS);
    assertThat(leaderLink.times().toJson(leader).getLong("messagesSent")).isEqualTo(2);
    assertThat(follower.submitRead(ReplicationPosition::of).get()).isEqualTo(new ReplicationPosition(4, 1));
  }

  @Test
  void a_write_its_follower_confirms_after_its_deadline_is_answered_as_unknown_and_the_one_behind_it_as_written()
      throws Exception {
    CountDownLatch release = holdFollowersWriter();
    CompletableFuture<Object> first = committedNote("遅れて届く記録", 1);
    // The next batch is committed while the first still waits, half its time later, so its own deadline is later.
    Thread.sleep(ACK_MILLIS / 2);
    CompletableFuture<Object> second = committedNote("その次の記録", 2);

    // The first deadline passes: its outcome is unknown (the follower holds nothing yet), not a refusal.
    assertThat(codeOf(first)).isEqualTo("storage.outcome_unknown");
    assertThat(follower.submitRead(ReplicationPosition::of).get().batchId()).isZero();
    assertThat(leader.submitRead(c -> notes(c)).get()).isEqualTo(2L);
    assertThat(second).isNotDone();

    // The follower's writer goes on: it applies both, in order, and the second write is answered.
    release.countDown();
    second.get(10, TimeUnit.SECONDS);
    assertFollowerHoldsTheLeadersData(2);
    assertThat(leaderLink.followerPositions()).containsEntry("follower", 2L);
  }

  @Test
  void a_write_its_follower_confirms_late_but_within_its_deadline_is_answered_as_written_and_nothing_is_given_up_after()
      throws Exception {
    CountDownLatch release = holdFollowersWriter();
    CompletableFuture<Object> late = committedNote("少し遅れる記録", 1);
    Thread.sleep(ACK_MILLIS / 4);
    assertThat(late).isNotDone();
    release.countDown();
    late.get(10, TimeUnit.SECONDS);

    // Past the first write's deadline, the writes after it are answered as ever.
    Thread.sleep(ACK_MILLIS);
    assertThat(late).isCompletedWithValue(null);
    write("insert into future_notes (body) values ('その後の記録')").get(10, TimeUnit.SECONDS);
    assertFollowerHoldsTheLeadersData(2);
  }

  @Test
  void a_followers_answer_after_the_deadline_counts_and_is_logged_once_as_late_not_as_a_failure() throws Exception {
    ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        ReplicationLink.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    log.addAppender(lines);
    log.setLevel(ch.qos.logback.classic.Level.INFO);
    try {
      CountDownLatch release = holdFollowersWriter();
      CompletableFuture<Object> first = write("insert into future_notes (body) values ('遅れて届く記録')");
      ReplicaDumps.awaitPosition(leader, 1, COMMITTED_WITHIN);
      CompletableFuture<Object> second = write("insert into future_notes (body) values ('これも遅れる記録')");
      ReplicaDumps.awaitPosition(leader, 2, COMMITTED_WITHIN);
      assertThat(codeOf(first)).isEqualTo("storage.outcome_unknown");
      assertThat(codeOf(second)).isEqualTo("storage.outcome_unknown");

      // The follower's writer goes on after both deadlines: its answers arrive late, and still count.
      release.countDown();
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!Long.valueOf(2).equals(leaderLink.followerPositions().get("follower")) && System.nanoTime() < giveUp) {
        Thread.sleep(10);
      }
      assertThat(leaderLink.followerPositions()).containsEntry("follower", 2L);
      assertThat(lines.list).filteredOn(line -> line.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
          .as("a late answer is no failure").isEmpty();
      assertThat(lines.list).filteredOn(line -> line.getFormattedMessage().contains("follower follower confirmed"))
          .as("said once for the follower while it is late").hasSize(1)
          .allMatch(line -> line.getLevel() == ch.qos.logback.classic.Level.INFO);

      // In time again, it is not said again.
      write("insert into future_notes (body) values ('間に合う記録')").get(10, TimeUnit.SECONDS);
      assertThat(lines.list).hasSize(1);
    } finally {
      log.detachAppender(lines);
      log.setLevel(null);
    }
  }

  @Test
  void the_write_probe_run_while_a_write_fault_stands_makes_no_batch() throws Exception {
    write("insert into future_notes (body) values ('訪問記録')").get(10, TimeUnit.SECONDS);
    awaitShipped(1);
    // A full disk as SQLite meets it: the database capped at the pages it has.
    long pages = leader.submitRead(c -> pragma(c, "page_count")).get();
    write("pragma max_page_count = " + pages).get(10, TimeUnit.SECONDS);
    assertThat(codeOf(write("insert into future_notes (body, photo) values ('写真', zeroblob(65536))")))
        .isEqualTo("storage.write_failed");
    assertThat(leader.writeFault()).isPresent();

    write("pragma max_page_count = 1000000").get(10, TimeUnit.SECONDS);
    leader.probeWrites().await(10, TimeUnit.SECONDS);
    assertThat(leader.writeFault()).as("the probe committed").isEmpty();
    assertThat(leader.submitRead(ReplicationPosition::of).get().batchId()).as("and made no batch").isEqualTo(1);
    assertThat(leaderLink.times().toJson(leader).getLong("shipped")).isEqualTo(1);
    assertFollowerHoldsTheLeadersData(1);
  }

  private static long pragma(java.sql.Connection c, String name) throws java.sql.SQLException {
    try (java.sql.Statement statement = c.createStatement();
        java.sql.ResultSet rs = statement.executeQuery("pragma " + name)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Holds the follower's writer in a transaction of its own until the latch returned is counted down. */
  private CountDownLatch holdFollowersWriter() throws InterruptedException {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    follower.submitWrite(c -> {
      held.countDown();
      await(release);
      return null;
    });
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    return release;
  }

  private static long notes(java.sql.Connection c) throws java.sql.SQLException {
    try (java.sql.Statement statement = c.createStatement();
        java.sql.ResultSet rs = statement.executeQuery("select count(*) from future_notes")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String codeOf(CompletableFuture<Object> write) throws Exception {
    try {
      write.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause() instanceof jp.tsunagu.node.errors.CodedException coded ? coded.code() : e.getCause().toString();
    }
    throw new AssertionError("the write was answered as written");
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

  private CompletableFuture<Object> write(String sql) {
    return leader.submitWrite(c -> {
      ReplicaDumps.execute(c, sql);
      return null;
    });
  }

  /** A note written on the leader in a transaction of its own, once committed there as batch {@code batchId}. */
  private CompletableFuture<Object> committedNote(String body, long batchId) throws Exception {
    CompletableFuture<Object> written = write("insert into future_notes (body) values ('" + body + "')");
    ReplicaDumps.awaitPosition(leader, batchId, COMMITTED_WITHIN);
    return written;
  }

  /** The follower applied the leader's batches up to {@code batchId} (token 1) and holds what the leader holds. */
  private void assertFollowerHoldsTheLeadersData(long batchId) throws Exception {
    assertThat(follower.submitRead(ReplicationPosition::of).get()).isEqualTo(new ReplicationPosition(batchId, 1));
    assertThat(follower.submitRead(ReplicaDumps::dump).get()).isEqualTo(leader.submitRead(ReplicaDumps::dump).get());
  }


  private void awaitShipped(long batches) throws InterruptedException {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (leaderLink.times().toJson(leader).getLong("shipped") < batches && System.nanoTime() < giveUp) {
      Thread.sleep(10);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
