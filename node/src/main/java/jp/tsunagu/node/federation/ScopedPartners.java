package jp.tsunagu.node.federation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import jp.tsunagu.federation.agreement.AgreementSet;
import jp.tsunagu.federation.identity.NodeCard;

/**
 * Which partners share an active agreement with this node that allows a scope ({@code care-team},
 * {@code resources-directory}), as the agreements stand now. Judging agreements verifies their
 * signatures, so the answer is kept until the agreement set changes (import, withdrawal) or the clock
 * passes a validity boundary, the same instants at which {@link PeerTrust} changes.
 */
final class ScopedPartners {

  private record Judged(AgreementSet set, PeerTrust trust, Map<String, List<NodeCard>> byScope) {}

  private final Federation federation;
  private final AtomicReference<Judged> judged = new AtomicReference<>();

  ScopedPartners(Federation federation) {
    this.federation = federation;
  }

  /** The partners with whom {@code scope} may flow now, one card per node. */
  List<NodeCard> with(String scope) {
    return current().byScope().getOrDefault(scope, List.of());
  }

  /** Whether {@code scope} may flow between this node and {@code node} now. */
  boolean allows(String node, String scope) {
    return partner(node, scope).isPresent();
  }

  /** The card of {@code node} when {@code scope} may flow with it now. */
  Optional<NodeCard> partner(String node, String scope) {
    return with(scope).stream().filter(card -> card.profile().name().equals(node)).findFirst();
  }

  private Judged current() {
    AgreementSet set = federation.agreements().current();
    Instant now = federation.clock().instant();
    Judged last = judged.get();
    if (last != null && last.set() == set && !now.isBefore(last.trust().evaluatedAt())
        && !last.trust().staleAt(now)) {
      return last;
    }
    Judged fresh = judge(set, now);
    judged.set(fresh);
    return fresh;
  }

  private Judged judge(AgreementSet set, Instant now) {
    String local = federation.identity().name();
    PeerTrust trust = PeerTrust.evaluate(set, local, now);
    Map<String, List<NodeCard>> byScope = new HashMap<>();
    for (NodeCard partner : set.partners(local, now)) {
      for (String scope : set.scopesBetween(local, partner.profile().name(), now)) {
        byScope.computeIfAbsent(scope, s -> new ArrayList<>()).add(partner);
      }
    }
    byScope.replaceAll((scope, cards) -> List.copyOf(cards));
    return new Judged(set, trust, Map.copyOf(byScope));
  }
}
