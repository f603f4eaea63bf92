package jp.tsunagu.node.reports;

import jp.tsunagu.node.errors.CodedException;

/** The stable codes of a partner's statistics request; a refusal discloses nothing of the node's figures. */
final class StatisticsErrors {

  private StatisticsErrors() {}

  /** No active agreement with the statistics scope between the two nodes. */
  static CodedException scopeNotGranted() {
    return CodedException.forbidden("federation.scope_not_granted",
        "no active agreement between the two nodes allows the 'statistics' scope");
  }

  static CodedException signatureInvalid(String detail) {
    return CodedException.forbidden("reports.statistics_signature_invalid", detail);
  }

  static CodedException malformed(String detail) {
    return CodedException.invalid("reports.statistics_malformed", detail);
  }

  static CodedException stale() {
    return CodedException.forbidden("reports.statistics_stale", "the request was not signed within the accepted window");
  }

  static CodedException replayed() {
    return CodedException.conflict("reports.statistics_replayed", "this request was already received");
  }
}
