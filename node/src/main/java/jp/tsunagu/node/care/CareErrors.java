package jp.tsunagu.node.care;

import jp.tsunagu.node.web.ApiException;

/** The refusals of the care features, each with its stable code. */
public final class CareErrors {

  private CareErrors() {}

  /** For anything the caller is not a member of: never a hint that it exists. */
  public static ApiException notFound() {
    return ApiException.notFound("care.not_found", "お探しの情報は見つからないか、閲覧する権限がありません。");
  }

  static ApiException invalid(String code, String message) {
    return ApiException.badRequest(code, message);
  }

  static ApiException archived() {
    return ApiException.conflict("care.archived", "アーカイブ済みのため変更できません。");
  }

  static ApiException notAuthor() {
    return ApiException.forbidden("care.not_author", "ご自身の投稿のみ編集・削除できます。");
  }
}
