package jp.tsunagu.node.storage;

/**
 * A search text as a SQL {@code LIKE} pattern that finds it anywhere in a value. The text's own
 * {@code %}, {@code _} and {@code \} match themselves (escaped with {@code \}), so a search for
 * {@code _} or {@code %} finds only values holding that character instead of every row. Spaces are
 * left out, as names are compared without them.
 */
public final class SqlLike {

  /** What follows each {@code like ?} that binds a pattern from {@link #contains}. */
  public static final String ESCAPE = " escape '\\'";

  private SqlLike() {}

  /** Whether nothing is left to search for once spaces are left out. */
  public static boolean blank(String text) {
    return withoutSpaces(text).isEmpty();
  }

  public static String contains(String text) {
    String escaped = withoutSpaces(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    return "%" + escaped + "%";
  }

  private static String withoutSpaces(String text) {
    return text.replace(" ", "").replace("　", "");
  }
}
