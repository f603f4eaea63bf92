package jp.tsunagu.node.federation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.AgreementSet;
import jp.tsunagu.federation.identity.NodeCard;

/**
 * Which partner nodes the federation listener and client accept, by TLS public-key pin, as the
 * agreement set stands at one instant, and until when that answer holds: the next instant at which
 * a known version begins or ends its validity.
 *
 * @param partnersByPin the cards of the partners of active agreements naming this node, by pin
 * @param evaluatedAt   the instant judged
 * @param nextChange    when a validity period next begins or ends, if ever
 */
public record PeerTrust(Map<String, NodeCard> partnersByPin, Instant evaluatedAt, Optional<Instant> nextChange) {

  public PeerTrust {
    partnersByPin = Map.copyOf(partnersByPin);
  }

  static PeerTrust evaluate(AgreementSet agreements, String localNode, Instant now) {
    Map<String, NodeCard> byPin = new LinkedHashMap<>();
    for (NodeCard partner : agreements.partners(localNode, now)) {
      byPin.putIfAbsent(partner.tlsPin(), partner);
    }
    Optional<Instant> next = agreements.documents().stream()
        .map(AgreementDocument::agreement)
        .flatMap(a -> java.util.stream.Stream.of(a.notBefore(), a.notAfter()))
        .filter(now::isBefore)
        .min(Instant::compareTo);
    return new PeerTrust(byPin, now, next);
  }

  /** Whether a peer presenting a certificate with this pin may connect. */
  public boolean accepts(String pin) {
    return partnersByPin.containsKey(pin);
  }

  /** The partner whose certificate has this pin. */
  public Optional<NodeCard> partner(String pin) {
    return Optional.ofNullable(partnersByPin.get(pin));
  }

  /** Whether a validity period began or ended since this was evaluated. */
  boolean staleAt(Instant now) {
    return nextChange.map(change -> !now.isBefore(change)).orElse(false);
  }

  /** Whether both accept exactly the same partners with the same cards. */
  static boolean sameTrust(PeerTrust a, PeerTrust b) {
    return a.partnersByPin.equals(b.partnersByPin);
  }
}
