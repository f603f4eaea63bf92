package jp.tsunagu.node.csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.QuoteMode;

/**
 * Cells of the CSV files the node writes, safe to open in a spreadsheet. Following OWASP's rule
 * against CSV (formula) injection, a cell that begins with {@code =}, {@code +}, {@code -},
 * {@code @}, a tab or a carriage return (and the full-width {@code ＝ ＋ － ＠}, which Japanese
 * spreadsheets also take as the start of a formula) is prefixed with a single quote and quoted, so
 * it is shown as the text it is and never evaluated. A plain signed number ({@code -1.5},
 * {@code +81}) and a lone dash, which cannot call anything, are written unchanged: open data keeps
 * its numbers and its "-" for "none". Quoting and line ends are Apache Commons CSV's (RFC 4180,
 * CRLF after each row).
 */
public final class CsvCells {

  private static final String FORMULA_STARTS = "=+-@\t\r＝＋－＠";
  private static final Pattern HARMLESS = Pattern.compile("[+-]?[0-9]*(\\.[0-9]+)?");
  /**
   * Quotes a cell by Commons CSV's minimal rule: a comma, quote or line break in it, a first character
   * up to {@code #} (a space, {@code !}, {@code "}) or a last one up to a space.
   */
  private static final CSVFormat PLAIN = CSVFormat.RFC4180;
  /** A neutralised cell is always quoted. */
  private static final CSVFormat QUOTED = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.ALL).get();

  private CsvCells() {}

  /** One cell as written to the file: neutralised when it could be read as a formula, quoted when needed. */
  public static String cell(String value) {
    StringBuilder out = new StringBuilder();
    // Printed as a later cell of a row (after its delimiter): only the first cell of a row quotes an empty value.
    print(out, value, false);
    return out.substring(PLAIN.getDelimiterString().length());
  }

  /** A whole file: the header and each row, every cell written as {@link #cell(String)} says. */
  public static String table(List<String> header, List<List<String>> rows) {
    StringBuilder out = new StringBuilder();
    row(out, header);
    rows.forEach(row -> row(out, row));
    return out.toString();
  }

  private static void row(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      print(out, cells.get(i), i == 0);
    }
    try {
      PLAIN.println(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void print(StringBuilder out, String value, boolean firstOfRow) {
    String text = value == null ? "" : value;
    try {
      if (startsLikeFormula(text)) {
        QUOTED.print("'" + text, out, firstOfRow);
      } else {
        PLAIN.print(text, out, firstOfRow);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringBuilder does not fail
    }
  }

  /** Whether a spreadsheet could take the text for a formula (see the class comment). */
  public static boolean startsLikeFormula(String text) {
    return !text.isEmpty() && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0 && !HARMLESS.matcher(text).matches();
  }
}
