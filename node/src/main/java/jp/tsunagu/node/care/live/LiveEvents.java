package jp.tsunagu.node.care.live;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import jp.tsunagu.node.storage.Database;

/**
 * The live events of boards, kept and told. An event is kept as a row of {@code live_events} in the
 * write's own transaction, and its row is what streams are told of: once a transaction that added rows
 * is durable, the writer hands them here and they are published to this instance's streams alone. A follower does the same for the rows of each batch it
 * applies, so every instance tells its own streams of what it holds, with the leader's id, and no
 * event depends on the leader surviving until it publishes it (nor is one told twice by a clustered
 * publish beside it). A stream that heard of an event can read everything up to it from its instance.
 */
public final class LiveEvents {

  private final Clock clock;
  /** Streams listen on their own instance: every instance publishes what it committed. */
  private final DeliveryOptions thisInstance = new DeliveryOptions().setLocalOnly(true);
  private volatile Vertx vertx;

  private LiveEvents(Clock clock) {
    this.clock = clock;
  }

  /** The live events of {@code database}, told from now on to the streams of {@link #tellOn the instance}. */
  public static LiveEvents keptBy(Database database, Clock clock) {
    LiveEvents live = new LiveEvents(clock);
    database.touchTableHook(LiveEvents.class, LiveLog.TOUCHED, live::committed);
    return live;
  }

  /** Tells the streams of this instance's {@code vertx} of every event committed from now on. */
  public void tellOn(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Keeps the event in the write's transaction: streams hear of it once the write is committed. */
  public void record(Connection c, String boardId, JsonObject event) throws SQLException {
    LiveLog.record(c, boardId, event, Instant.now(clock).toString());
  }

  private void committed(List<LiveLog.Logged> events) {
    Vertx told = vertx;
    if (told == null) {
      return;
    }
    for (LiveLog.Logged logged : events) {
      told.eventBus().publish(LiveRoutes.address(logged.boardId()), logged.event().copy().put("id", logged.id()),
          thisInstance);
    }
  }
}
