package jp.tsunagu.node.disaster;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import jp.tsunagu.node.care.replication.TeamReplication;

/**
 * Tells the live progress boards of the 安否確認 a partner's professional recorded through the team
 * sync. Such a record is written inside team sync's transaction, which this feature does not commit;
 * team sync announces every committed board change, so the 地区 the record touched is noted when it
 * is written and told then. A transaction that rolled back leaves a note too: the board is read again
 * for nothing, and only a 地区's name is ever told.
 */
final class SafetyBoardRelay {

  private final Queue<String> districts = new ConcurrentLinkedQueue<>();

  /** Notes a 地区 whose progress changed in a transaction not yet committed. */
  void recorded(String district) {
    districts.add(district);
  }

  /** The verticle that relays the notes after each committed board change. */
  VerticleBase verticle() {
    return new VerticleBase() {
      private MessageConsumer<String> changes;

      @Override
      public Future<?> start() {
        changes = vertx.eventBus().consumer(TeamReplication.BOARD_CHANGED, message -> relay(vertx));
        return changes.completion();
      }

      @Override
      public Future<?> stop() {
        return changes.unregister();
      }
    };
  }

  /** Each noted 地区, once, to the live boards of every instance of the node. */
  private void relay(Vertx vertx) {
    for (String district = districts.poll(); district != null; district = districts.poll()) {
      vertx.eventBus().publish(SafetyChecks.ADDRESS, new JsonObject().put("district", district));
    }
  }
}
