package jp.tsunagu.node.federation;

import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.node.config.TlsEngine;
import jp.tsunagu.node.feature.NodeServices;

/**
 * A node's federation state, shared by its admin API, its federation listener and the features
 * that talk to partners: the agreement store, the pin trust derived from it, and when each partner
 * was last heard from. One per node, made by the node's composition root and handed to whoever
 * needs it.
 */
public final class Federation {

  private final NodeServices services;
  private final AgreementStore store;
  private final FederationTrust trust;
  private final Counter refusedHandshakes;
  private final Map<String, Instant> lastContact = new ConcurrentHashMap<>();
  private final PartnerProfiles partnerProfiles = new PartnerProfiles();
  private final java.util.List<java.util.function.Consumer<String>> contactListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile java.util.function.Function<String, io.vertx.core.Future<Backlog>> backlogSource =
      node -> io.vertx.core.Future.succeededFuture(new Backlog(0, Optional.empty(), 0));

  public Federation(NodeServices services) {
    this.services = services;
    this.store = AgreementStore.load(services.database(), services.keys().identity(), services.clock());
    this.trust = new FederationTrust(store, services.clock());
    this.refusedHandshakes = Counter.builder("tsunagu.federation.handshakes.refused")
        .description("TLS handshakes refused because the peer's pin is in no active agreement")
        .register(services.metrics());
  }

  public AgreementStore agreements() {
    return store;
  }

  public FederationTrust trust() {
    return trust;
  }

  public NodeIdentity identity() {
    return services.keys().identity();
  }

  /** The engine of this node's federation TLS, both directions ({@code tls.engine}). */
  public TlsEngine tlsEngine() {
    return services.config().tls().engine();
  }

  public Clock clock() {
    return services.clock();
  }

  /** Partners' professionals as their own nodes described them in directory answers. */
  public PartnerProfiles partnerProfiles() {
    return partnerProfiles;
  }

  public NodeServices services() {
    return services;
  }

  /** How many handshakes the pin check has refused (also a Prometheus counter). */
  public double refusedHandshakes() {
    return refusedHandshakes.count();
  }

  void countRefusal() {
    refusedHandshakes.increment();
  }

  /** Records a successful exchange with a partner (a call answered, or a request of theirs admitted). */
  public void contacted(String node) {
    lastContact.put(node, clock().instant());
    contactListeners.forEach(listener -> listener.accept(node));
  }

  /** Hears of every successful exchange with a partner (sync catches up at once when one comes back). */
  public void onContact(java.util.function.Consumer<String> listener) {
    contactListeners.add(listener);
  }

  /** Stops telling {@code listener} (its team sync stopped: on a clustered node, the instance no longer leads). */
  public void removeContactListener(java.util.function.Consumer<String> listener) {
    contactListeners.remove(listener);
  }

  /** What waits for a partner: events or writes not yet delivered, and since when. */
  public record Backlog(long events, Optional<Instant> oldest, long rejected) {}

  /** Where peer status reads each partner's backlog from (team sync). */
  public void backlogSource(java.util.function.Function<String, io.vertx.core.Future<Backlog>> source) {
    this.backlogSource = source;
  }

  io.vertx.core.Future<Backlog> backlog(String node) {
    return backlogSource.apply(node);
  }

  Optional<Instant> lastContact(String node) {
    return Optional.ofNullable(lastContact.get(node));
  }
}
