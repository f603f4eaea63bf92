package jp.tsunagu.node.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Supplier;
import jp.tsunagu.node.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, before an instance publishes its position (and so before it may contend for the writer),
 * it proves its last batch against the leader's: the leader answers with its own last batch number
 * and the digest it keeps for the instance's last batch ({@link BatchChain}). An instance holding a
 * batch the leader does not have (a leader that died before replicating its last batch, whether or
 * not the new leader has written as far since), or whose last batch has another digest there, is
 * marked diverged before it publishes anything. With no leader present (every instance restarting)
 * there is nothing to compare with: the usual election of the most advanced instance applies, and
 * its batches become the cluster's history.
 */
final class ChainCheck {

  private static final Logger LOG = LoggerFactory.getLogger(ChainCheck.class);
  private static final long ASK_MILLIS = 5_000;

  private final Vertx vertx;
  private final Database database;
  private final String prefix;
  private final String self;
  private final Supplier<String> leader;
  private final Supplier<List<String>> members;

  ChainCheck(Vertx vertx, Database database, String clusterName, String self, Supplier<String> leader,
      Supplier<List<String>> members) {
    this.vertx = vertx;
    this.database = database;
    this.prefix = "tsunagu.cluster." + clusterName + ".chain.";
    this.self = self;
    this.leader = leader;
    this.members = members;
  }

  /** Answers other instances' questions about this instance's chain. */
  Future<Void> start() {
    return vertx.eventBus().<JsonObject>consumer(prefix + self, this::onAsk).completion();
  }

  private void onAsk(Message<JsonObject> message) {
    long batchId = message.body().getLong("batchId", 0L);
    database.read(c -> new JsonObject().put("batchId", ReplicationPosition.of(c).batchId())
            .put("digest", BatchChain.digestOf(c, batchId)))
        .onSuccess(message::reply)
        .onFailure(e -> message.fail(503, e.getMessage()));
  }

  /** Compares this instance's last batch with the leader's; marks the database diverged when they differ. */
  Future<Void> verify() {
    return database.read(c -> new Object[] {ReplicationPosition.of(c).batchId(), BatchChain.head(c),
        BatchChain.diverged(c)}).compose(own -> {
          long batchId = (Long) own[0];
          if (batchId == 0 || own[2] != null) {
            return Future.succeededFuture();
          }
          return vertx.executeBlocking(leader::get, false).compose(current -> {
            if (current == null || current.equals(self) || !members.get().contains(current)) {
              return Future.succeededFuture();
            }
            return vertx.eventBus().<JsonObject>request(prefix + current, new JsonObject().put("batchId", batchId),
                    new DeliveryOptions().setSendTimeout(ASK_MILLIS))
                .compose(reply -> judge(batchId, (String) own[1], reply.body()))
                .recover(e -> {
                  LOG.warn("could not compare this instance's batches with the leader's: {}", e.getMessage());
                  return Future.succeededFuture();
                });
          });
        });
  }

  private Future<Void> judge(long batchId, String head, JsonObject leaders) {
    long leaderBatch = leaders.getLong("batchId", 0L);
    String digest = leaders.getString("digest");
    String why = null;
    if (leaderBatch < batchId) {
      why = "this database holds batches up to " + batchId + ", the leader only up to " + leaderBatch
          + ": the last ones were never replicated";
    } else if (!head.equals(digest)) {
      why = "batch " + batchId + " here is not the leader's batch " + batchId + " (the leader " + (digest == null
          ? "no longer keeps it" : "has another") + "): batches held here were never replicated";
    }
    if (why == null) {
      return Future.succeededFuture();
    }
    String reason = why;
    LOG.error("this instance diverged from the cluster and will apply nothing more until rebuilt: {}", reason);
    return database.write(c -> BatchChain.markDiverged(c, reason)).mapEmpty();
  }
}
