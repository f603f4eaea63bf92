package jp.tsunagu.node.teamsync;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopped team sync (an instance that stopped leading) has its client closed with its verticle, and the
 * calls it had in flight fail with "Client is closed": expected, so they end quietly, while a partner's
 * failure of a running team sync is still a warning.
 */
class SyncEngineStopTest {

  @TempDir
  Path dir;

  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final ch.qos.logback.classic.Logger logger =
      (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(SyncEngine.class);

  @BeforeEach
  void listen() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void stopListening() {
    logger.detachAppender(lines);
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
}
