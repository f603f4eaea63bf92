package jp.tsunagu.node.federation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.wire.ErrorResponse;
import jp.tsunagu.federation.wire.ProfessionalDirectory;

/**
 * Asks every partner that shares the {@code care-team} scope with this node for professionals
 * matching a search, all at once, each within its own time limit, so one slow or absent partner
 * delays the answer by at most that limit and is named as not having answered.
 */
final class PartnerDirectory {

  /** How long one partner may take to answer a search. */
  static final long PEER_TIMEOUT_MILLIS = 4_000;

  /** What one partner answered, or the code of why it did not. */
  record PartnerAnswer(NodeCard partner, List<ProfessionalDirectory.Entry> professionals, Optional<String> problem) {

    String node() {
      return partner.profile().name();
    }
  }

  private final Federation federation;
  private final ScopedPartners scoped;
  private final LazyFederationClient client;

  PartnerDirectory(Federation federation) {
    this.federation = federation;
    this.client = new LazyFederationClient(federation);
    this.scoped = new ScopedPartners(federation);
  }

  /** The answers of every partner with the scope, in agreement order; never fails for a partner's sake. */
  Future<List<PartnerAnswer>> search(Vertx vertx, FederatedId requester, String query) {
    List<Future<PartnerAnswer>> asks = scoped.with(Scopes.CARE_TEAM).stream()
        .map(partner -> ask(vertx, partner, requester, query)).toList();
    return Future.all(asks).map(all -> asks.stream().map(Future::result).toList());
  }

  private Future<PartnerAnswer> ask(Vertx vertx, NodeCard partner, FederatedId requester, String query) {
    String path = ProfessionalDirectory.PATH + "?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
    String name = partner.profile().name();
    return client.get(vertx).get(partner, path, Map.of(ProfessionalDirectory.REQUESTER_HEADER, requester.toString()),
            PEER_TIMEOUT_MILLIS)
        .map(answer -> {
          if (answer.status() != 200) {
            throw new PeerCallException("peer.refused", name + " answered " + answer.status() + " "
                + ErrorResponse.codeOr(answer.body(), "(no error code)"), null);
          }
          try {
            return ProfessionalDirectory.parse(answer.body(), name);
          } catch (ProtocolException e) {
            throw new PeerCallException("peer.answer_invalid", name + "'s answer: " + e.code(), e);
          }
        })
        .map(directory -> {
          federation.contacted(name);
          federation.partnerProfiles().answered(name, directory.professionals());
          return new PartnerAnswer(partner, directory.professionals(), Optional.empty());
        })
        .recover(e -> Future.succeededFuture(new PartnerAnswer(partner, List.of(),
            Optional.of(e instanceof PeerCallException call ? call.code() : "peer.unreachable"))));
  }
}
