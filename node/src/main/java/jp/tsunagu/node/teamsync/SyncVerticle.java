package jp.tsunagu.node.teamsync;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import jp.tsunagu.node.care.replication.TeamReplication;
import jp.tsunagu.node.federation.Federation;

/**
 * Runs a node's team sync: hears of changed boards on the event bus and of partners coming back,
 * and sweeps once a second for what is due (retries after backoff, agreements that changed or
 * ended, a periodic pull as a safety net).
 */
public final class SyncVerticle extends VerticleBase {

  public static final long SWEEP_MILLIS = 1_000;

  private final Sync sync;
  private SyncEngine engine;
  private MessageConsumer<String> changes;
  private long timer;
  private final Runnable onTrustChange = () -> context.runOnContext(v -> engine.sweep());
  private final java.util.function.Consumer<String> onContact = peer -> context.runOnContext(v -> engine.contacted(peer));

  public SyncVerticle(Sync sync) {
    this.sync = sync;
  }

  @Override
  public Future<?> start() {
    sync.startClient(vertx);
    engine = new SyncEngine(sync, vertx);
    sync.running(engine);
    // a home node pushes what its signer signed while the signatures' commit runs, not after it
    sync.team().log().signer().onSigned(signed -> context.runOnContext(v -> engine.signed(signed)));
    // and a member node submits its writes to their home node the same way
    sync.team().log().signer().onSignedWrites(writes -> context.runOnContext(v -> engine.writesSigned(writes)));
    sync.team().log().signer().start(vertx);
    Federation federation = sync.federation();
    changes = vertx.eventBus().consumer(TeamReplication.BOARD_CHANGED, message -> engine.boardChanged(message.body(),
        message.headers().contains(EventSigner.SIGNED_HEADER), message.headers().get(TeamSync.APPLIED_FROM_HEADER)));
    federation.onContact(onContact);
    federation.trust().onChange(onTrustChange);
    federation.backlogSource(peer -> sync.team().backlog(peer)
        .map(b -> new Federation.Backlog(b.events(), b.oldest(), b.rejected())));
    timer = vertx.setPeriodic(SWEEP_MILLIS, id -> engine.sweep());
    engine.sweep();
    // a partner may hold more of a board than this log (a restore from an older backup): the boards it
    // receives are held before sync counts as started, and released as each partner tells its cursors
    return engine.recovery().startCheck(engine.careTeamPartners())
        .onComplete(v -> engine.careTeamPartners().forEach(engine::catchUp))
        .compose(v -> changes.completion());
  }

  @Override
  public Future<?> stop() {
    // First: on a clustered node this instance no longer leads, and nothing it signs from now on may reach a
    // partner (the leader signs what is left, with the same bytes).
    sync.team().log().signer().stop();
    engine.stop(); // its client closes with this verticle: the calls in flight end quietly
    vertx.cancelTimer(timer);
    engine.writeAcknowledgements(); // best effort: one lost only makes a push send what the partner holds
    sync.federation().trust().removeListener(onTrustChange);
    // A partner that reaches this instance (a follower serves pulls) no longer starts this engine's catch-up.
    sync.federation().removeContactListener(onContact);
    sync.stopped(engine);
    return changes.unregister();
  }
}
