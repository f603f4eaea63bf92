package jp.tsunagu.node.emergency;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.wire.EmergencyRequest;
import jp.tsunagu.federation.wire.ErrorResponse;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.federation.FederationClient;
import jp.tsunagu.node.federation.LazyFederationClient;

/**
 * The responder's node asking a patient's home node: the partners that share an active agreement
 * with the {@code emergency-access} scope now, and one signed request to one of them over the
 * federation listener's mutual TLS. A partner's refusal comes back with its own stable code; a
 * partner that does not answer is {@code emergency.partner_unavailable}.
 */
final class PartnerCalls {

  private final Federation federation;
  private final Predicate<String> scoped;
  private final LazyFederationClient client;

  PartnerCalls(Federation federation, Predicate<String> scoped) {
    this.federation = federation;
    this.client = new LazyFederationClient(federation);
    this.scoped = scoped;
  }

  /** The partners a responder of this node may ask now, in agreement order. */
  List<NodeCard> partners() {
    Instant now = federation.clock().instant();
    return federation.agreements().current().partners(federation.identity().name(), now).stream()
        .filter(card -> scoped.test(card.profile().name())).toList();
  }

  Optional<NodeCard> partner(String node) {
    return partners().stream().filter(card -> card.profile().name().equals(node)).findFirst();
  }

  /** The home node's search answer ({@code home}, {@code patients}). */
  Future<JsonObject> search(Vertx vertx, NodeCard home, EmergencyRequest request) {
    return post(vertx, home, EmergencyRequest.SEARCH_PATH, request, 200);
  }

  /** The home node's limited view of the patient, with its own access's id and expiry. */
  Future<JsonObject> open(Vertx vertx, NodeCard home, EmergencyRequest request) {
    return post(vertx, home, EmergencyRequest.ACCESS_PATH.formatted(request.patientId()), request, 201);
  }

  /** The home node's view of an access it opened for the same responder, while it lasts there. */
  Future<JsonObject> view(Vertx vertx, NodeCard home, EmergencyRequest request) {
    return post(vertx, home, EmergencyRequest.VIEW_PATH.formatted(request.accessId()), request, 200);
  }

  private Future<JsonObject> post(Vertx vertx, NodeCard home, String path, EmergencyRequest request, int expected) {
    String node = home.profile().name();
    String signed = request.sign(federation.identity());
    return client.get(vertx).call(home, HttpMethod.POST, path, Buffer.buffer(signed), FederationV1.JOSE,
            Map.of(EmergencyRequest.RESPONDER_HEADER, request.responder().toString()))
        .recover(e -> Future.failedFuture(PartnerErrors.partnerUnavailable(node)))
        .compose(reply -> {
          if (reply.status() != expected) {
            return Future.failedFuture(refusal(home, reply));
          }
          try {
            federation.contacted(node);
            return Future.succeededFuture(reply.body().toJsonObject());
          } catch (DecodeException e) {
            return Future.failedFuture(PartnerErrors.partnerUnavailable(node));
          }
        });
  }

  /** The home node's refusal as this node answers it: the same code and kind, a message of ours. */
  private static CodedException refusal(NodeCard home, FederationClient.Reply reply) {
    String node = home.profile().name();
    CodedException.Kind kind = switch (reply.status()) {
      case 400 -> CodedException.Kind.INVALID;
      case 403 -> CodedException.Kind.FORBIDDEN;
      case 404 -> CodedException.Kind.NOT_FOUND;
      case 409 -> CodedException.Kind.CONFLICT;
      case 422 -> CodedException.Kind.REJECTED;
      case 429 -> CodedException.Kind.RATE_LIMITED;
      default -> null;
    };
    if (kind == null) {
      return PartnerErrors.partnerUnavailable(node);
    }
    String code;
    String message;
    try {
      ErrorResponse error = ErrorResponse.parse(reply.body().toString());
      code = error.code();
      message = error.message();
    } catch (ProtocolException e) {
      return PartnerErrors.partnerUnavailable(node);
    }
    if (AGREEMENT_ENDED.containsKey(code)) {
      return new CodedException(kind, code, HomeMunicipality.names(home) + "との" + AGREEMENT_ENDED.get(code));
    }
    return new CodedException(kind, code, node + " のノードが断りました: " + message);
  }

  /**
   * The home node's codes for a partner it no longer admits (the agreement withdrawn there, expired,
   * or no longer with the scope), as a crew reads them: the English message of the listener says
   * nothing to a crew in an ambulance.
   */
  private static final Map<String, String> AGREEMENT_ENDED = Map.of(
      "federation.scope_not_granted", "救急情報連携の協定（emergency-access）は有効ではありません（終了・期限切れ・撤回）。"
          + "救急情報は開けません。電話で確認してください。",
      "federation.peer_not_trusted", "協定は有効ではありません（終了・期限切れ・撤回）。"
          + "救急情報は開けません。電話で確認してください。");

  void close() {
    client.close();
  }
}
