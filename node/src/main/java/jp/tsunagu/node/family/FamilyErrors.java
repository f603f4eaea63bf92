package jp.tsunagu.node.family;

import jp.tsunagu.node.errors.CodedException;

/** The stable codes of the family notebook; the messages are for the family and the team. */
final class FamilyErrors {

  private FamilyErrors() {}

  /** Anything outside the family account's own notebook, and the notebook to anyone else: nothing said of which. */
  static CodedException notFound() {
    return CodedException.notFound("family.not_found", "ページが見つかりません。");
  }

  static CodedException consentRequired() {
    return CodedException.invalid("family.consent_required",
        "ご本人の同意（誰が・いつ同意したか）を記録してから招待してください。");
  }

  /** A partner's patient: family accounts live on the patient's home node only and never leave it. */
  static CodedException homeNodeOnly() {
    return CodedException.conflict("family.home_node_only",
        "ご家族の招待は、この方が登録されている市町村のノードで行います。");
  }

  static CodedException relationUnknown() {
    return CodedException.invalid("family.relation_unknown", "続柄を一覧から選んでください。");
  }

  static CodedException emailInvalid() {
    return CodedException.invalid("family.email_invalid", "メールアドレスの形式が正しくありません。");
  }

  /** A wrong login id, password or code, a locked or unknown account: one answer for all. */
  static CodedException loginFailed() {
    return CodedException.unauthenticated("family.login_failed",
        "ログインできませんでした。IDとパスワード、確認コードをお確かめください。");
  }

  /** A code already used in its time window. */
  static CodedException codeReused() {
    return CodedException.unauthenticated("family.totp_replayed",
        "この確認コードは使用済みです。次のコードが表示されるまでお待ちください。");
  }

  static CodedException locked() {
    return CodedException.rateLimited("family.locked",
        "ログインの失敗が続いたため、しばらくログインできません。支援チームにご相談ください。");
  }

  static CodedException activationInvalid() {
    return CodedException.invalid("family.activation_invalid",
        "登録コードが正しくないか、有効期限が切れています。支援チームにご相談ください。");
  }

  static CodedException passwordTooShort() {
    return CodedException.invalid("family.password_too_short", "パスワードは10文字以上にしてください。");
  }

  /** Only photos (JPEG, PNG, GIF, HEIC), recognised by their content, go on an entry. */
  static CodedException photoNotImage() {
    return CodedException.invalid("family.photo_not_image", "写真（JPEG・PNG・GIF・HEIC）を選んでください。");
  }

  static CodedException tooManyPhotos() {
    return CodedException.rateLimited("family.too_many_photos",
        "写真が多すぎます。しばらくしてから、または別の記録に付けてください。");
  }

  /** An entry the team was not told of (no member to carry the notice): a photo would reach nobody. */
  static CodedException entryWithoutNotice() {
    return CodedException.conflict("family.entry_without_notice",
        "この記録はチームに届いていないため、写真を付けられません。支援チームにご相談ください。");
  }

  static CodedException tooManyEntries() {
    return CodedException.rateLimited("family.too_many_entries",
        "短い時間にたくさん送られました。しばらくしてからもう一度送ってください。");
  }

  static CodedException kindUnknown() {
    return CodedException.invalid("family.kind_unknown", "記録の種類を選んでください。");
  }

  static CodedException monthInvalid() {
    return CodedException.invalid("family.month_invalid", "月は 2026-04 の形で指定してください。");
  }

  /** A passkey answer that does not verify: a challenge not ours, used or expired, another site, a bad signature. */
  static CodedException passkeyInvalid() {
    return CodedException.unauthenticated("family.passkey_invalid",
        "パスキーを確認できませんでした。もう一度お試しください。");
  }

  /** A passkey this node does not know (never registered here, or removed): it opens nothing. */
  static CodedException passkeyUnknown() {
    return CodedException.unauthenticated("family.passkey_unknown",
        "このパスキーは登録されていないか、削除されています。パスワードと確認コードでログインしてください。");
  }

  /** Too many passkey login requests from one address, or outstanding on the node: nothing stored. */
  static CodedException passkeyRateLimited() {
    return CodedException.rateLimited("family.passkey_rate_limited",
        "ログインの操作が多すぎます。しばらくしてからもう一度お試しください。");
  }

  /** A passkey another account already holds: one passkey opens one account. */
  static CodedException passkeyTaken() {
    return CodedException.conflict("family.passkey_taken", "このパスキーは別のアカウントで登録されています。");
  }

  static CodedException meetingAnswerUnknown() {
    return CodedException.invalid("family.meeting_answer_unknown", "出席か欠席を選んでください。");
  }

  static CodedException visitDateInvalid() {
    return CodedException.invalid("family.visit_date_invalid", "訪問日は今日から1年以内の日付を 2026-12-24 の形で入力してください。");
  }

  static CodedException visitTimeInvalid() {
    return CodedException.invalid("family.visit_time_invalid", "時刻は 09:30 の形で、終わりを始まりより後にしてください。");
  }

  static CodedException visitProfessionUnknown() {
    return CodedException.invalid("family.visit_profession_unknown", "訪問する職種を一覧から選んでください。");
  }

  /**
   * A visit another professional planned, on a partner's copy: a partner's member cancels only her own
   * (the home node's team decides the rest).
   */
  static CodedException visitNotOwn() {
    return CodedException.forbidden("family.visit_not_own",
        "ほかの方が登録した訪問予定は取り消せません。登録した方か、この方の市町村のチームにご相談ください。");
  }

  /** A visit of another patient, or one already cancelled: nothing said of which. */
  static CodedException visitNotFound() {
    return CodedException.notFound("family.visit_not_found", "この訪問予定は見つかりません。");
  }

  /** A board this node holds no copy of, or a copy of another home: answered alike, nothing disclosed. */
  static CodedException accessReadsNotFound() {
    return CodedException.notFound("family.access_reads_not_found", "no such board of the asking node here");
  }

  static CodedException accessReadsScopeNotGranted() {
    return CodedException.forbidden("federation.scope_not_granted",
        "no active agreement between the two nodes allows the 'care-team' scope");
  }

  static CodedException accessReadsSignatureInvalid(String detail) {
    return CodedException.forbidden("family.access_reads_signature_invalid", detail);
  }

  static CodedException accessReadsMalformed(String detail) {
    return CodedException.invalid("family.access_reads_malformed", detail);
  }

  static CodedException accessReadsStale() {
    return CodedException.forbidden("family.access_reads_stale", "the request was not signed within the accepted window");
  }

  static CodedException accessReadsReplayed() {
    return CodedException.conflict("family.access_reads_replayed", "this request was already received");
  }

  static CodedException csrf() {
    return CodedException.forbidden("csrf.invalid",
        "画面の有効期限が切れました。ページを再読み込みしてからもう一度操作してください。");
  }
}
