package jp.tsunagu.node.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.audit.AuditChainVerifier;
import jp.tsunagu.federation.identity.MunicipalityCode;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.identity.NodeProfile;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.storage.Database;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain's head kept in memory by the single writer: a write rolled back (alone, or with the
 * batch it shared a commit with) takes its audit row and its move of the head with it, and a
 * restarted database continues the chain from the file. After each case the whole log and the
 * signed checkpoint verify as {@code audit verify} checks them.
 */
class AuditHeadTest {

  private static final NodeConfig.Storage SETTINGS = new NodeConfig.Storage(2, Duration.ofSeconds(10), 256);

  @TempDir
  Path dataDir;

  NodeIdentity identity;

  @BeforeEach
  void aNodeIdentity() {
    identity = NodeIdentity.create(dataDir.resolve(AuditChainVerifier.IDENTITY), new NodeProfile("ina", "いーな",
        List.of(MunicipalityCode.parse("202096")), URI.create("https://127.0.0.1:9443")));
  }

  @Test
  void a_write_that_fails_after_appending_leaves_no_row_and_the_next_row_follows_the_committed_head()
      throws Exception {
    try (Database database = open(); AuditCheckpoints checkpoints = start(database)) {
      AuditLog log = new AuditLog(database, Clock.systemUTC());
      record(log, "first");
      CompletableFuture<Void> failing = database.submitWrite(c -> {
        log.append(c, event("rolled-back"));
        throw new SQLException("the feature's own write failed");
      });
      assertThatThrownBy(failing::join).hasRootCauseMessage("the feature's own write failed");
      record(log, "second");
      assertThat(rows(database)).containsExactly("1 first", "2 second");
    }
    assertIntact(2);
  }

  @Test
  void events_appended_together_in_one_statement_chain_in_their_order_and_verify() throws Exception {
    try (Database database = open(); AuditCheckpoints checkpoints = start(database)) {
      AuditLog log = new AuditLog(database, Clock.systemUTC());
      record(log, "first");
      database.submitWrite(c -> {
        log.appendAll(c, List.of(event("opened"), event("viewed"), event("third")));
        return null;
      }).join();
      CompletableFuture<Void> failing = database.submitWrite(c -> {
        log.appendAll(c, List.of(event("rolled-back-1"), event("rolled-back-2")));
        throw new SQLException("the feature's own write failed");
      });
      assertThatThrownBy(failing::join).hasRootCauseMessage("the feature's own write failed");
      record(log, "last");
      assertThat(rows(database)).containsExactly("1 first", "2 opened", "3 viewed", "4 third", "5 last");
    }
    assertIntact(5);
  }

  @Test
  void a_failing_write_in_a_group_commit_rolls_back_alone_and_its_neighbours_chain_without_a_gap() throws Exception {
    try (Database database = open(); AuditCheckpoints checkpoints = start(database)) {
      AuditLog log = new AuditLog(database, Clock.systemUTC());
      record(log, "first");
      // Holds the writer so that the next writes queue up and commit as one batch.
      CountDownLatch hold = new CountDownLatch(1);
      CompletableFuture<Boolean> holding = database.submitWrite(c -> awaitQuietly(hold));
      List<CompletableFuture<?>> batch = new ArrayList<>();
      batch.add(database.submitWrite(c -> {
        log.append(c, event("a"));
        return null;
      }));
      CompletableFuture<Object> failing = database.submitWrite(c -> {
        log.append(c, event("rolled-back"));
        throw new IllegalStateException("refused by the feature");
      });
      batch.add(database.submitWrite(c -> {
        log.append(c, event("b"));
        return null;
      }));
      hold.countDown();
      holding.join();
      batch.forEach(CompletableFuture::join);
      assertThatThrownBy(failing::join).hasRootCauseMessage("refused by the feature");
      record(log, "c");
      assertThat(rows(database)).containsExactly("1 first", "2 a", "3 b", "4 c");
    }
    assertIntact(4);
  }

  @Test
  void after_a_restart_the_chain_continues_from_the_last_row_in_the_file() throws Exception {
    try (Database database = open(); AuditCheckpoints checkpoints = start(database)) {
      AuditLog log = new AuditLog(database, Clock.systemUTC());
      record(log, "before");
      record(log, "restart");
    }
    try (Database database = open(); AuditCheckpoints checkpoints = start(database)) {
      record(new AuditLog(database, Clock.systemUTC()), "after");
      assertThat(rows(database)).containsExactly("1 before", "2 restart", "3 after");
    }
    assertIntact(3);
  }

  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Database open() {
    return Database.open(dataDir.resolve(AuditChainVerifier.DATABASE), SETTINGS);
  }

  private AuditCheckpoints start(Database database) {
    return AuditCheckpoints.start(database, identity, dataDir, Clock.systemUTC());
  }

  private static AuditEvent event(String actor) {
    return AuditEvent.success(actor, "patient.read", "patient:p1", new JsonObject());
  }

  private static void record(AuditLog log, String actor) {
    log.record(event(actor)).toCompletionStage().toCompletableFuture().join();
  }

  private static List<String> rows(Database database) {
    return database.submitRead(AuditHeadTest::rows).join();
  }

  private static List<String> rows(Connection c) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select seq, actor from audit_log order by seq");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        rows.add(rs.getLong(1) + " " + rs.getString(2));
      }
    }
    return rows;
  }

  /** The chain and the node's signed checkpoint (written when the checkpoints closed) agree on the last row. */
  private void assertIntact(long lastSeq) {
    AuditChainVerifier.Result result = AuditChainVerifier.verify(dataDir);
    assertThat(result.intact()).as(result.toString()).isTrue();
    assertThat(result.checkpoint()).hasValueSatisfying(checkpoint -> assertThat(checkpoint.seq()).isEqualTo(lastSeq));
  }
}
