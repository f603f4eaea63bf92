package jp.tsunagu.node.federation;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.errors.CodedException.Kind;

/** How a refused agreement or withdrawal is answered: the library's stable code, a fitting kind. */
final class AgreementErrors {

  private AgreementErrors() {}

  static CodedException toApi(ProtocolException e) {
    return new CodedException(kind(e.code()), e.code(), e.getMessage());
  }

  private static Kind kind(String code) {
    if (code.endsWith(".not_json")) {
      return Kind.INVALID;
    }
    if (code.equals("agreement.version_conflict")) {
      return Kind.CONFLICT;
    }
    if (code.equals("withdrawal.agreement_unknown")) {
      return Kind.NOT_FOUND;
    }
    return Kind.REJECTED;
  }
}
