package jp.tsunagu.node.federation;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.node.web.ApiException;

/** How a refused agreement or withdrawal is answered: the library's stable code, a fitting status. */
final class AgreementErrors {

  private AgreementErrors() {}

  static ApiException toApi(ProtocolException e) {
    return new ApiException(status(e.code()), e.code(), e.getMessage());
  }

  private static int status(String code) {
    if (code.endsWith(".not_json")) {
      return 400;
    }
    if (code.equals("agreement.version_conflict")) {
      return 409;
    }
    if (code.equals("withdrawal.agreement_unknown")) {
      return 404;
    }
    return 422;
  }
}
