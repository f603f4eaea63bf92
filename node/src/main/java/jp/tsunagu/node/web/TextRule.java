package jp.tsunagu.node.web;

/**
 * What one text field of a request may hold: its JSON key, the Japanese label that messages name,
 * whether it is one line, several lines or a secret (a password: checked, never normalised), its
 * length in characters (code points, after NFC), and what else than text may stand there.
 */
public record TextRule(String field, String label, Lines lines, int max, Shape shape) {

  public enum Lines { ONE, MULTI, SECRET }

  /** Text only; a list of texts (tags); or a number written as a number (a latitude). */
  public enum Shape { TEXT, TEXT_OR_LIST, TEXT_OR_NUMBER }

  public static TextRule line(String field, String label, int max) {
    return new TextRule(field, label, Lines.ONE, max, Shape.TEXT);
  }

  public static TextRule lines(String field, String label, int max) {
    return new TextRule(field, label, Lines.MULTI, max, Shape.TEXT);
  }

  public static TextRule secret(String field, String label, int max) {
    return new TextRule(field, label, Lines.SECRET, max, Shape.TEXT);
  }

  public TextRule or(Shape other) {
    return new TextRule(field, label, lines, max, other);
  }
}
