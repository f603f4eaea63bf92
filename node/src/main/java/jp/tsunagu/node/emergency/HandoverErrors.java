package jp.tsunagu.node.emergency;

import jp.tsunagu.node.errors.CodedException;

/** The stable codes of the handover sheet; the messages are for the crew, the hospital and 行政. */
final class HandoverErrors {

  private HandoverErrors() {}

  static CodedException hospitalRequired() {
    return CodedException.invalid("handover.hospital_required", "搬送先の医療機関名を入力してください。");
  }

  /**
   * No such link, or the link with a wrong code: the same answer, so a guess learns nothing of
   * whether the link exists.
   */
  static CodedException notFound() {
    return CodedException.notFound("handover.not_found",
        "引き継ぎ情報が見つかりません。リンクと確認コードを確かめてください。");
  }

  static CodedException used() {
    return CodedException.gone("handover.used",
        "この引き継ぎ情報はすでに開かれました（1回限り）。救急隊に確認してください。");
  }

  static CodedException expired() {
    return CodedException.gone("handover.expired", "この引き継ぎ情報の有効期限（24時間）が過ぎました。");
  }

  static CodedException revoked() {
    return CodedException.gone("handover.revoked", "この引き継ぎ情報は取り消されました。");
  }

  /** Too many wrong codes: the link is locked for good, so guessing the short code cannot succeed. */
  static CodedException locked() {
    return CodedException.rateLimited("handover.locked",
        "確認コードの誤りが続いたため、このリンクは使えなくなりました。救急隊に新しい引き継ぎ情報を依頼してください。");
  }

  static CodedException alreadyRevoked() {
    return CodedException.conflict("handover.already_revoked", "この引き継ぎ情報はすでに取り消されています。");
  }

  static CodedException pdfFailed() {
    return CodedException.internal("handover.pdf_failed", "引き継ぎ情報の PDF を作成できませんでした。");
  }
}
