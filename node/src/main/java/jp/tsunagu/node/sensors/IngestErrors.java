package jp.tsunagu.node.sensors;

import jp.tsunagu.node.errors.CodedException;

/** The stable codes a gateway's batch is refused with; a refused batch stores nothing. */
final class IngestErrors {

  private IngestErrors() {}

  static CodedException gatewayUnknown() {
    return CodedException.unauthenticated("ingest.gateway_unknown", "このノードが発行したゲートウェイではありません。");
  }

  static CodedException gatewayRevoked() {
    return CodedException.forbidden("ingest.gateway_revoked", "このゲートウェイの鍵は失効しています。");
  }

  static CodedException signatureInvalid() {
    return CodedException.unauthenticated("ingest.signature_invalid",
        "署名がないか、ゲートウェイの鍵による本文の署名として正しくありません。");
  }

  static CodedException rateExceeded(int perMinute) {
    return CodedException.rateLimited("ingest.rate_exceeded",
        "1分あたりの送信回数の上限（" + perMinute + " 回）を超えました。しばらくしてから送り直してください。");
  }

  static CodedException malformed(String what) {
    return CodedException.invalid("ingest.batch_malformed", "バッチの形式が正しくありません: " + what);
  }

  static CodedException tooManyReadings(int max) {
    return CodedException.rejected("ingest.too_many_readings", "1回に送れる測定値は " + max + " 件までです。分けて送ってください。");
  }

  static CodedException inFuture() {
    return CodedException.rejected("ingest.time_in_future", "現在より5分以上先の時刻が含まれています。機器の時計を確かめてください。");
  }

  static CodedException tooOld(int days) {
    return CodedException.rejected("ingest.reading_too_old", "保存期間（" + days + " 日）より古い測定値は受け付けません。");
  }

  static CodedException deviceNotYours() {
    // The same answer for a device the node does not know and another gateway's: nothing about others leaks.
    return CodedException.forbidden("ingest.device_not_registered", "このゲートウェイに登録されていないセンサーの値が含まれています。");
  }

  static CodedException householdWithdrawn() {
    return CodedException.rejected("ingest.household_withdrawn", "見守りを終了した世帯のセンサーの値が含まれています。");
  }

  static CodedException kindMismatch() {
    return CodedException.rejected("ingest.kind_mismatch",
        "センサーの種類に合わない測定値です（ドアは open/close、温湿度は climate）。");
  }
}
