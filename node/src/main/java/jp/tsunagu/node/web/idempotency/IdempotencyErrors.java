package jp.tsunagu.node.web.idempotency;

import jp.tsunagu.node.errors.CodedException;

/** The refusals of a request's {@code Idempotency-Key}, with their stable codes. */
final class IdempotencyErrors {

  private IdempotencyErrors() {}

  /** The key was used for another request (another route, another body): 422. */
  static CodedException reused() {
    return CodedException.rejected("idempotency.key_reused",
        "この Idempotency-Key は別の内容の送信に使われています。新しい操作には新しいキーを付けてください。");
  }

  /** An earlier attempt with the key is still being carried out: 409, try again shortly. */
  static CodedException inProgress() {
    return CodedException.conflict("idempotency.in_progress",
        "同じ操作を処理しています。しばらく待ってから、同じ Idempotency-Key でもう一度お試しください。");
  }

  /**
   * The first attempt with the key did commit, but its answer is not there to repeat: it may be shown
   * only once (initial credentials), or the node stopped between the create and keeping its answer.
   * Sending again would create it twice; the client should look at what is there instead: 409.
   */
  static CodedException completed() {
    return CodedException.conflict("idempotency.completed",
        "この操作は前回の送信で完了しています（結果は再表示できません）。画面を再読み込みして内容をご確認ください。");
  }
}
