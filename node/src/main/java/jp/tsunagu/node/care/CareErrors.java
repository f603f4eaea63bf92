package jp.tsunagu.node.care;

import jp.tsunagu.node.errors.CodedException;

/** The refusals of the care features, each with its stable code. */
public final class CareErrors {

  private CareErrors() {}

  /** For anything the caller is not a member of: never a hint that it exists. */
  public static CodedException notFound() {
    return CodedException.notFound("care.not_found", "お探しの情報は見つからないか、閲覧する権限がありません。");
  }

  public static CodedException invalid(String code, String message) {
    return CodedException.invalid(code, message);
  }

  public static CodedException archived() {
    return CodedException.conflict("care.archived", "アーカイブ済みのため変更できません。");
  }

  public static CodedException notAuthor() {
    return CodedException.forbidden("care.not_author", "ご自身の投稿のみ編集・削除できます。");
  }
}
