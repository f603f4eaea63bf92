package jp.tsunagu.node.teamsync;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopped team sync (an instance that stopped leading) has its client closed with its verticle, and the
 * calls it had in flight fail with "Client is closed": expected, so they end quietly, while a partner's
 * failure of a running team sync is still a warning; so with its start check's calls.
 */
class SyncEngineStopTest {

  @TempDir
  Path dir;

  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final List<ch.qos.logback.classic.Logger> loggers = Stream.of(SyncEngine.class, HomeRecovery.class)
      .map(type -> (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(type)).toList();

  @BeforeEach
  void listen() {
    lines.start();
    loggers.forEach(logger -> logger.addAppender(lines));
    // the quiet ending is logged at DEBUG: the test waits for it
    loggers.forEach(logger -> logger.setLevel(Level.DEBUG));
  }

  @AfterEach
  void stopListening() {
    loggers.forEach(logger -> logger.detachAppender(lines));
    loggers.forEach(logger -> logger.setLevel(null));
  }

  @Test
  void a_call_that_fails_after_the_stop_logs_no_warning_and_one_before_it_warns() {
    try (TsunaguNode node = TsunaguNode.start(TestNodes.config(dir, "ina"))) {
      Sync sync = node.feature(TeamSyncFeature.class).sync();
      SyncEngine running = new SyncEngine(sync, node.vertx());
      running.failed("kamiina", new IllegalStateException("connection refused"));
      assertThat(lines.list).anyMatch(line -> line.getLevel() == Level.WARN
          && line.getFormattedMessage().contains("partner kamiina failed (connection refused)"));

      SyncEngine stopped = new SyncEngine(sync, node.vertx());
      stopped.stop();
      lines.list.clear();
      stopped.failed("kamiina", new IllegalStateException("Client is closed"));
      assertThat(lines.list).noneMatch(line -> line.getLevel().isGreaterOrEqual(Level.WARN));
    }
  }

  /**
   * A demoted instance's start check (its engine stopped) has its calls to partners end with the closed client:
   * quiet; the same failure while team sync runs is a partner that could not be asked, and warns.
   */
  @Test
  void a_start_check_call_that_fails_after_the_stop_logs_no_warning_and_one_while_running_warns() throws Exception {
    try (TsunaguNode node = TsunaguNode.start(TestNodes.config(dir, "ina"))) {
      Sync sync = node.feature(TeamSyncFeature.class).sync();
      SyncEngine running = new SyncEngine(sync, node.vertx());
      startCheck(node, running, "kamiina");
      eventually(() -> lines.list.stream().anyMatch(line -> line.getLevel() == Level.WARN
          && line.getFormattedMessage().contains("start check: partner kamiina could not be asked")));

      SyncEngine stopped = new SyncEngine(sync, node.vertx());
      stopped.stop();
      lines.list.clear();
      startCheck(node, stopped, "kamiina");
      eventually(() -> lines.list.stream().anyMatch(line -> line.getLevel() == Level.DEBUG
          && line.getFormattedMessage().contains("ended with team sync's stop")));
      assertThat(lines.list).noneMatch(line -> line.getLevel().isGreaterOrEqual(Level.WARN));
    }
  }

  /** Runs an engine's start check on the node's event loop, as its verticle does, and waits for the boards held. */
  private static void startCheck(TsunaguNode node, SyncEngine engine, String partner) throws Exception {
    java.util.concurrent.CompletableFuture<Void> held = new java.util.concurrent.CompletableFuture<>();
    node.vertx().runOnContext(v -> engine.recovery().startCheck(List.of(partner))
        .onComplete(done -> held.complete(null)));
    held.get(30, TimeUnit.SECONDS);
  }

  private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean() && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }
}
