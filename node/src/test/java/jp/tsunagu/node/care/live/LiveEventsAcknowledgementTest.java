package jp.tsunagu.node.care.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.storage.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clustered leader's live events, on a real SQLite file and a real event bus, with the
 * acknowledgement of each transaction in the test's hands, as replication gives it (an acknowledging
 * commit hook whose stage completes once followers applied the batch): streams are told of a
 * transaction's events only once it is acknowledged, in commit order, and a stream taken up again
 * is not sent what they were not told.
 */
class LiveEventsAcknowledgementTest {

  private static final NodeConfig.Storage SETTINGS = new NodeConfig.Storage(2, Duration.ofSeconds(10), 256);
  private static final String BOARD = "board-1";

  @TempDir
  Path dir;

  private Database database;
  private Vertx vertx;
  private LiveEvents live;
  /** One acknowledgement per committed transaction, in commit order, for the test to complete. */
  private final BlockingQueue<CompletableFuture<Void>> acknowledgements = new LinkedBlockingQueue<>();
  /** What the board's streams on this instance were told, markers included. */
  private final List<JsonObject> heard = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() throws Exception {
    database = Database.open(dir.resolve("live.db"), SETTINGS);
    live = LiveEvents.keptBy(database, Clock.systemUTC());
    vertx = Vertx.vertx();
    live.tellOn(vertx);
    database.acknowledgingCommitHook("replication", c -> null, ignored -> {
      CompletableFuture<Void> acknowledgement = new CompletableFuture<>();
      acknowledgements.add(acknowledgement);
      return acknowledgement;
    });
    live.listen(BOARD); // as a stream opening on this instance: a board no one listens to is not published
    vertx.eventBus().<JsonObject>localConsumer(LiveRoutes.address(BOARD), message -> heard.add(message.body()))
        .completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    database.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Writes one event of the board in a transaction of its own; answers the write and its acknowledgement to give. */
  private Written write(String type) throws Exception {
    CompletableFuture<Long> answered = database.submitWrite(c -> LiveLog.record(c, BOARD,
        new JsonObject().put("type", type), "2026-12-07T00:00:00Z"));
    CompletableFuture<Void> acknowledgement = acknowledgements.poll(10, TimeUnit.SECONDS);
    assertThat(acknowledgement).as("the transaction committed").isNotNull();
    return new Written(answered, acknowledgement);
  }

  private record Written(CompletableFuture<Long> answered, CompletableFuture<Void> acknowledgement) {}

  /**
   * The types of the events told so far: a marker published after whatever this instance has told
   * arrives behind it (one consumer, one event loop), so an event told already is in the list.
   */
  private List<String> toldSoFar() throws Exception {
    String marker = UUID.randomUUID().toString();
    vertx.eventBus().publish(LiveRoutes.address(BOARD), new JsonObject().put("type", "marker").put("marker", marker),
        new DeliveryOptions().setLocalOnly(true));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (heard.stream().noneMatch(event -> marker.equals(event.getString("marker")))) {
      assertThat(System.nanoTime()).as("the marker arrived").isLessThan(deadline);
      Thread.sleep(10);
    }
    return heard.stream().map(event -> event.getString("type")).filter(type -> !type.equals("marker")).toList();
  }

  @Test
  void a_transaction_is_told_only_once_acknowledged_and_after_every_transaction_committed_before_it()
      throws Exception {
    Written first = write("first");
    Written second = write("second");
    assertThat(toldSoFar()).as("committed, not acknowledged").isEmpty();
    assertThat(live.toldThrough()).isLessThan(1);
    assertThat(first.answered()).isNotDone();

    // The later one acknowledged first still waits for the one committed before it.
    second.acknowledgement().complete(null);
    assertThat(second.answered().get(10, TimeUnit.SECONDS)).isEqualTo(2L);
    assertThat(toldSoFar()).isEmpty();

    first.acknowledgement().complete(null);
    assertThat(first.answered().get(10, TimeUnit.SECONDS)).isEqualTo(1L);
    assertThat(toldSoFar()).containsExactly("first", "second");
    JsonObject told = heard.stream().filter(event -> event.getString("type").equals("first")).findFirst().orElseThrow();
    assertThat(told.getLong("id")).isEqualTo(1);
    assertThat(told.getString("tag")).hasSize(LiveLog.TAG_DIGITS);
    assertThat(live.toldThrough()).isEqualTo(2);
  }

  @Test
  void a_transaction_whose_acknowledgement_failed_is_not_told_nor_replayed_until_a_later_one_is_acknowledged()
      throws Exception {
    Written lost = write("unconfirmed");
    lost.acknowledgement().completeExceptionally(new IllegalStateException("no follower applied it"));
    assertThatThrownBy(() -> lost.answered().get(10, TimeUnit.SECONDS)).cause().isInstanceOf(CodedException.class)
        .satisfies(e -> assertThat(((CodedException) e).code()).isEqualTo("storage.outcome_unknown"));
    assertThat(toldSoFar()).isEmpty();
    // A stream taken up again here is not sent it either: it is committed here, but not told.
    LiveReplay replay = database.submitRead(c -> LiveReplay.after(c, BOARD, new LastEventId(0, null),
        live.toldThrough())).get(10, TimeUnit.SECONDS);
    assertThat(replay.reset()).isFalse();
    assertThat(replay.events()).isEmpty();

    // Followers apply batches in order: one that applied a later batch has this one too.
    Written later = write("later");
    later.acknowledgement().complete(null);
    assertThat(later.answered().get(10, TimeUnit.SECONDS)).isEqualTo(2L);
    assertThat(toldSoFar()).containsExactly("unconfirmed", "later");
    LiveReplay after = database.submitRead(c -> LiveReplay.after(c, BOARD, new LastEventId(0, null),
        live.toldThrough())).get(10, TimeUnit.SECONDS);
    assertThat(after.events()).extracting(LiveLog.Logged::id).containsExactly(1L, 2L);
  }
}
