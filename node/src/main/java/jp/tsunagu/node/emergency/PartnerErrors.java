package jp.tsunagu.node.emergency;

import jp.tsunagu.node.errors.CodedException;

/**
 * The stable codes of emergency access across municipal borders. A refusal of a partner's request
 * says why the request failed and never anything of the person it names.
 */
final class PartnerErrors {

  private PartnerErrors() {}

  /** No active agreement with the emergency-access scope between the two nodes. */
  static CodedException scopeNotGranted() {
    return CodedException.forbidden("federation.scope_not_granted",
        "no active agreement between the two nodes allows the 'emergency-access' scope");
  }

  /** Not signed by the calling node's key (another key, a key of no partner, a broken signature). */
  static CodedException signatureInvalid(String detail) {
    return CodedException.forbidden("emergency.request_signature_invalid", detail);
  }

  static CodedException malformed(String detail) {
    return CodedException.invalid("emergency.request_malformed", detail);
  }

  /** The signed body names another responder, patient or action than the request's path and headers. */
  static CodedException mismatch(String detail) {
    return CodedException.forbidden("emergency.request_mismatch", detail);
  }

  /** The responder is not a 救急・消防 account of the calling node. */
  static CodedException roleRefused() {
    return CodedException.forbidden("emergency.responder_role_refused",
        "only a 救急・消防 (emergency_responder) account of the calling node may ask");
  }

  /** Signed too long ago, or in the future: outside the window in which requests are taken. */
  static CodedException stale() {
    return CodedException.forbidden("emergency.request_stale", "the request was not signed within the accepted window");
  }

  /** The same signed request again. */
  static CodedException replayed() {
    return CodedException.conflict("emergency.request_replayed", "this request was already received");
  }

  /** The partner node named by the responder shares no emergency-access scope with this node. */
  static CodedException partnerUnknown() {
    return CodedException.forbidden("emergency.partner_not_allowed",
        "この市町村とは救急情報連携の協定（emergency-access）がありません。");
  }

  /** The partner did not answer (down, slow, or its answer could not be read). */
  static CodedException partnerUnavailable(String node) {
    return CodedException.unavailable("emergency.partner_unavailable",
        node + " のノードから応答がありません。時間をおいて試すか、電話で確認してください。");
  }
}
