package jp.tsunagu.node.emergency;

import jp.tsunagu.node.errors.CodedException;

/** The stable codes of emergency access and the 人生会議; the messages are for the crew and the team. */
final class EmergencyErrors {

  private EmergencyErrors() {}

  /** No such access of the caller's, or no such patient on this node: nothing said of which. */
  static CodedException notFound() {
    return CodedException.notFound("emergency.not_found", "該当する情報が見つかりません。");
  }

  /** The access's time is up: a new access (with a new reason) is needed. */
  static CodedException expired() {
    return CodedException.notFound("emergency.access_expired",
        "閲覧できる時間が終わりました。必要な場合は、理由を入力して改めて閲覧してください。");
  }

  static CodedException archived() {
    return CodedException.conflict("emergency.patient_archived",
        "この方の登録は終了（アーカイブ）しています。緊急閲覧はできません。");
  }

  static CodedException reasonRequired() {
    return CodedException.invalid("emergency.reason_required", "閲覧の理由を入力してください。");
  }

  static CodedException dispatchNumberRequired() {
    return CodedException.invalid("emergency.dispatch_number_required", "出場番号を入力してください。");
  }

  static CodedException searchEmpty() {
    return CodedException.invalid("emergency.search_empty",
        "氏名と生年月日、電話番号、住所のいずれかを入力してください。");
  }

  static CodedException birthDateRequired() {
    return CodedException.invalid("emergency.birth_date_required", "氏名で探すときは生年月日も入力してください。");
  }

  /** Too many people match: none is shown, so a vague search lists nobody. */
  static CodedException tooBroad() {
    return CodedException.rejected("emergency.search_too_broad",
        "該当する方が多すぎます。氏名・生年月日・電話番号・住所などをより詳しく入力してください。");
  }

  static CodedException rateLimited() {
    return CodedException.rateLimited("emergency.too_many_accesses",
        "短時間の緊急閲覧が上限を超えたため、受け付けられません。行政に通知しました。");
  }

  /** A partner's replica: its home node answers for the patient (not on this node). */
  static CodedException homeNodeOnly() {
    return CodedException.conflict("emergency.home_node_only",
        "この方の人生会議と医療情報は、登録している市町村のノードで記録します。");
  }
}
