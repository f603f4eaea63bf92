package jp.tsunagu.node.web;

import java.util.Map;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.wire.ProfessionalDirectory;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.storage.SqlLike;

/**
 * The search text of a directory of professionals (this node's, to invite to a team, or partners'):
 * the protocol's rules (length, characters) and not blank. The same rules and messages wherever
 * professionals are searched.
 */
public final class DirectoryQuery {

  private static final Map<String, String> MESSAGES = Map.of(
      "directory.query_required", "検索する氏名・施設名を入力してください。",
      "directory.query_too_long", "検索語は" + ProfessionalDirectory.MAX_QUERY_LENGTH + "文字以内で入力してください。",
      "directory.query_invalid", "検索語に使えない文字が含まれています。");

  private DirectoryQuery() {}

  /**
   * The query, normalised; or a 400 with {@code directory.query_required|query_too_long|query_invalid}.
   */
  public static String require(String raw) {
    try {
      String query = ProfessionalDirectory.requireQuery(raw);
      if (SqlLike.blank(query)) {
        throw new ProtocolException("directory.query_required", "a search text is required");
      }
      return query;
    } catch (ProtocolException e) {
      throw CodedException.invalid(e.code(), MESSAGES.getOrDefault(e.code(), e.getMessage()));
    }
  }
}
