package jp.tsunagu.node.federation;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The current {@link PeerTrust}, read by the TLS trust managers at every handshake. It is
 * re-evaluated when the agreement store changes (import, withdrawal) and lazily as soon as the clock
 * passes a validity boundary, so an agreement that expires stops admitting its partners at that very
 * instant, without a restart. Listeners hear of every change of who is trusted.
 */
public final class FederationTrust {

  private final AgreementStore store;
  private final Clock clock;
  private final AtomicReference<PeerTrust> current;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  FederationTrust(AgreementStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    this.current = new AtomicReference<>(evaluate());
    store.onChange(this::refresh);
  }

  /** The trust that holds now. */
  public PeerTrust current() {
    PeerTrust trust = current.get();
    return trust.staleAt(clock.instant()) ? refresh() : trust;
  }

  /** Re-evaluates the agreements against the clock and tells the listeners when trust changed. */
  public PeerTrust refresh() {
    PeerTrust next = evaluate();
    PeerTrust previous = current.getAndSet(next);
    if (!PeerTrust.sameTrust(previous, next)) {
      listeners.forEach(Runnable::run);
    }
    return next;
  }

  /** Called after every change of who is trusted (not on every re-evaluation). */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  public void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  private PeerTrust evaluate() {
    return PeerTrust.evaluate(store.current(), store.local().name(), clock.instant());
  }
}
