package jp.tsunagu.node.care.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.storage.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A board's live events are published on this instance only while a stream of the board is open here, on a
 * real SQLite file and a real event bus; an event committed while no one listened is still counted told, so
 * a stream opened later with its id replays it.
 */
class LiveEventsListeningTest {

  private static final NodeConfig.Storage SETTINGS = new NodeConfig.Storage(2, Duration.ofSeconds(10), 256);
  private static final String BOARD = "board-1";

  @TempDir
  Path dir;

  private Database database;
  private Vertx vertx;
  private LiveEvents live;
  /** Everything published on the board's address, whether a stream listens or not. */
  private final BlockingQueue<JsonObject> published = new LinkedBlockingQueue<>();

  @BeforeEach
  void open() throws Exception {
    database = Database.open(dir.resolve("live.db"), SETTINGS);
    live = LiveEvents.keptBy(database, Clock.systemUTC());
    vertx = Vertx.vertx();
    live.tellOn(vertx);
    vertx.eventBus().<JsonObject>localConsumer(LiveRoutes.address(BOARD), message -> published.add(message.body()))
        .completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    database.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private long write(String type) throws Exception {
    return database.submitWrite(c -> LiveLog.record(c, BOARD, new JsonObject().put("type", type),
        "2026-12-08T00:00:00Z")).get(10, TimeUnit.SECONDS);
  }

  @Test
  void an_event_of_a_board_no_stream_listens_to_is_told_but_not_published() throws Exception {
    long unheard = write("unheard");
    assertThat(live.toldThrough()).as("counted told: a stream opened later replays up to it").isEqualTo(unheard);

    Runnable release = live.listen(BOARD);
    long heard = write("heard");
    // published from the writer thread in commit order: the first published is the first after listening
    JsonObject first = published.poll(10, TimeUnit.SECONDS);
    assertThat(first).isNotNull();
    assertThat(first.getString("type")).isEqualTo("heard");
    assertThat(first.getLong("id")).isEqualTo(heard);

    release.run();
    release.run(); // a second end of the same stream changes nothing
    assertThat(live.listened(BOARD)).isFalse();
    write("after the stream ended");
    live.listen(BOARD);
    write("a new stream");
    assertThat(published.poll(10, TimeUnit.SECONDS).getString("type")).isEqualTo("a new stream");
  }

  @Test
  void two_streams_of_a_board_keep_it_published_until_both_end() throws Exception {
    Runnable one = live.listen(BOARD);
    Runnable two = live.listen(BOARD);
    one.run();
    assertThat(live.listened(BOARD)).isTrue();
    write("still heard");
    assertThat(published.poll(10, TimeUnit.SECONDS).getString("type")).isEqualTo("still heard");
    two.run();
    assertThat(live.listened(BOARD)).isFalse();
  }

  @Test
  void a_replay_after_an_unpublished_event_returns_it_with_the_tag_a_stream_is_sent() throws Exception {
    long id = write("unheard");
    LiveLog.Logged kept = database.submitRead(c -> LiveLog.at(c, id)).get(10, TimeUnit.SECONDS);
    assertThat(kept.event().getString("type")).isEqualTo("unheard");
    assertThat(LiveEvents.told(kept).getString("tag")).isEqualTo(kept.tag()).hasSize(LiveLog.TAG_DIGITS);
  }
}
