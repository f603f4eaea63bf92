package jp.tsunagu.node.federation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.agreement.Agreement;
import jp.tsunagu.federation.agreement.AgreementSet;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.jws.TrustStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Probes every partner of an active agreement with a mutual-TLS hello, all at once. */
final class PeerProbe {

  private static final Logger LOG = LoggerFactory.getLogger(PeerProbe.class);

  private final Federation federation;
  private final LazyFederationClient client;

  PeerProbe(Federation federation) {
    this.federation = federation;
    this.client = new LazyFederationClient(federation);
  }

  Future<List<PeerStatus>> probeAll(Vertx vertx) {
    Instant now = federation.clock().instant();
    AgreementSet agreements = federation.agreements().current();
    String local = federation.identity().name();
    TrustStore trust = agreements.trustStore(local, now);
    List<Future<PeerStatus>> probes = agreements.partners(local, now).stream()
        .map(partner -> probe(vertx, partner, trust, agreements.activeBetween(local, partner.profile().name(), now)))
        .toList();
    return Future.all(probes).map(all -> probes.stream().map(Future::result).toList());
  }

  private Future<PeerStatus> probe(Vertx vertx, NodeCard partner, TrustStore trust, List<Agreement> shared) {
    String name = partner.profile().name();
    List<String> ids = shared.stream().map(Agreement::id).distinct().toList();
    return client.get(vertx).hello(partner, trust)
        .compose(hello -> {
          federation.contacted(name);
          return status(partner, ids, true, Optional.empty());
        }, e -> {
          String code = e instanceof PeerCallException call ? call.code() : "peer.unreachable";
          LOG.info("peer {} not reachable: {} ({})", name, code, e.getMessage());
          return status(partner, ids, false, Optional.of(code));
        });
  }

  private Future<PeerStatus> status(NodeCard partner, List<String> ids, boolean reachable, Optional<String> problem) {
    String name = partner.profile().name();
    Instant now = federation.clock().instant();
    return federation.backlog(name).map(backlog -> new PeerStatus(name, partner.profile().displayName(),
        partner.profile().federationEndpoint().toString(), ids, reachable, federation.lastContact(name), problem,
        backlog.events(), backlog.oldest().map(o -> Math.max(0, java.time.Duration.between(o, now).toSeconds()))
            .orElse(0L), backlog.rejected()));
  }
}
