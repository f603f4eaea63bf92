package jp.tsunagu.node.emergency;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.jws.TrustStore;
import jp.tsunagu.federation.wire.EmergencyRequest;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.federation.CallingPartner;
import jp.tsunagu.node.federation.Federation;

/**
 * The home node's checks on a partner's emergency request, all before anyone is looked up, so a
 * refusal is the same whether or not the person exists: the calling partner's pin (the listener),
 * an active agreement with the {@code emergency-access} scope, the signature by the calling node's
 * key, the responder a person of the calling node holding the 救急・消防 role, the signed body the
 * same as the path and headers, signed within the clock window, and never received before. A
 * refusal changes nothing but the audit log.
 */
final class PartnerRequestPolicy {

  private final EmergencyContext emergency;
  private final Federation federation;
  private final Predicate<String> scoped;

  PartnerRequestPolicy(EmergencyContext emergency, Federation federation, Predicate<String> scoped) {
    this.emergency = emergency;
    this.federation = federation;
    this.scoped = scoped;
  }

  /**
   * The verified request, or the audited refusal; {@code pathPatientId} is the path's patient id (an
   * access), its access id (a view), or empty (a search).
   */
  Future<EmergencyRequest> check(RoutingContext ctx, String action, String pathPatientId) {
    NodeCard peer = CallingPartner.of(ctx);
    String node = peer.profile().name();
    EmergencyRequest request;
    try {
      request = verified(node, ctx.body().asString(), ctx.request().getHeader(EmergencyRequest.RESPONDER_HEADER),
          action, pathPatientId);
    } catch (CodedException e) {
      return refused(node, action, pathPatientId, e);
    }
    Instant now = emergency.now();
    // The id is kept inside the same write that finds it new: two copies sent at once cannot both pass.
    return emergency.services().database().write(c -> {
      if (!PartnerSql.rememberRequest(c, request.requestId(), node, EmergencyContext.stamp(now))) {
        throw PartnerErrors.replayed();
      }
      return request;
    }).recover(e -> e instanceof CodedException coded && coded.kind().isRefusal()
        ? refused(node, action, pathPatientId, coded) : Future.failedFuture(e));
  }

  private EmergencyRequest verified(String node, String compact, String responderHeader, String action,
      String pathPatientId) {
    if (!scoped.test(node)) {
      throw PartnerErrors.scopeNotGranted();
    }
    EmergencyRequest request;
    try {
      request = EmergencyRequest.verify(compact, trust());
    } catch (ProtocolException e) {
      throw e.code().endsWith(".malformed") || e.code().endsWith("version_unsupported")
          ? PartnerErrors.malformed(e.getMessage()) : PartnerErrors.signatureInvalid(e.getMessage());
    }
    // Signed by a partner's key, but not this caller's: a partner relaying another's request.
    if (!request.node().equals(node)) {
      throw PartnerErrors.signatureInvalid("signed by " + request.node() + ", called by " + node);
    }
    if (!EmergencyRequest.RESPONDER_ROLE.equals(request.role())) {
      throw PartnerErrors.roleRefused();
    }
    String signedId = EmergencyRequest.VIEW.equals(action) ? request.accessId() : request.patientId();
    if (!request.action().equals(action) || !signedId.equals(pathPatientId)
        || !request.responder().toString().equals(responderHeader)) {
      throw PartnerErrors.mismatch("the signed request names another responder, patient or action than its path"
          + " and headers");
    }
    Duration skew = Duration.between(request.issuedAt(), emergency.now()).abs();
    if (skew.compareTo(EmergencyRequest.MAX_SKEW) > 0) {
      throw PartnerErrors.stale();
    }
    return request;
  }

  private TrustStore trust() {
    return federation.agreements().current().trustStore(federation.identity().name(), federation.clock().instant());
  }

  /** Audited as the calling node's, with the code; what the request named is not echoed back. */
  private <T> Future<T> refused(String node, String action, String pathPatientId, CodedException e) {
    JsonObject detail = new JsonObject().put("reason", e.code()).put("action", action);
    if (!pathPatientId.isEmpty()) {
      detail.put("path", pathPatientId);
    }
    return emergency.audit().record(AuditEvent.refused("node:" + node, "emergency.partner.request",
        "emergency:" + Scopes.EMERGENCY_ACCESS, detail)).transform(ignored -> Future.failedFuture(e));
  }
}
