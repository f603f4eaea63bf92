package jp.tsunagu.node.csv;

import java.util.regex.Pattern;

/**
 * Cells of the CSV files the node writes, safe to open in a spreadsheet. Following OWASP's rule
 * against CSV (formula) injection, a cell that begins with {@code =}, {@code +}, {@code -},
 * {@code @}, a tab or a carriage return (and the full-width {@code ＝ ＋ － ＠}, which Japanese
 * spreadsheets also take as the start of a formula) is prefixed with a single quote and quoted, so
 * it is shown as the text it is and never evaluated. A plain signed number ({@code -1.5},
 * {@code +81}) and a lone dash, which cannot call anything, are written unchanged: open data keeps
 * its numbers and its "-" for "none".
 */
public final class CsvCells {

  private static final String FORMULA_STARTS = "=+-@\t\r＝＋－＠";
  private static final Pattern HARMLESS = Pattern.compile("[+-]?[0-9]*(\\.[0-9]+)?");

  private CsvCells() {}

  /** One cell as written to the file: neutralised when it could be read as a formula, quoted when needed. */
  public static String cell(String value) {
    String text = value == null ? "" : value;
    if (startsLikeFormula(text)) {
      return "\"'" + text.replace("\"", "\"\"") + "\"";
    }
    return text.matches("(?s).*[\",\\r\\n].*") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
  }

  /** Whether a spreadsheet could take the text for a formula (see the class comment). */
  public static boolean startsLikeFormula(String text) {
    return !text.isEmpty() && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0 && !HARMLESS.matcher(text).matches();
  }
}
