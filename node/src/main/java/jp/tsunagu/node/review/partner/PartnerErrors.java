package jp.tsunagu.node.review.partner;

import jp.tsunagu.node.errors.CodedException;

/** The stable codes of the review board's exchange with partner nodes; a refusal stores nothing. */
final class PartnerErrors {

  private PartnerErrors() {}

  static CodedException signatureInvalid(String detail) {
    return CodedException.forbidden("review.partner_signature_invalid", detail);
  }

  static CodedException malformed(String detail) {
    return CodedException.invalid("review.partner_malformed", detail);
  }

  static CodedException stale() {
    return CodedException.forbidden("review.partner_stale", "the message was not signed within the accepted window");
  }

  /** The message names another node as its receiver, or a reviewer who is no professional here. */
  static CodedException notForUs(String detail) {
    return CodedException.forbidden("review.partner_wrong_recipient", detail);
  }

  /** The reviewer the message names is no professional of this node (any more). */
  static CodedException reviewerUnknown() {
    return CodedException.forbidden("review.partner_reviewer_unknown", "the reviewer is no professional of this node");
  }

  /** The reviewer named does not sit on the session's panel (or the session or case is not known). */
  static CodedException notOnPanel() {
    return CodedException.forbidden("review.partner_not_on_panel",
        "the reviewer does not sit on the panel of this session");
  }

  static CodedException sessionMismatch() {
    return CodedException.invalid("review.partner_session_mismatch", "the case is not on the session named");
  }
}
