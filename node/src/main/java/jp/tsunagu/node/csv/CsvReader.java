package jp.tsunagu.node.csv;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import jp.tsunagu.node.errors.CodedException;

/**
 * CSV files as Japanese spreadsheets and municipal systems write them, for every feature that
 * takes one (患者一括登録, regional resources): UTF-8 with or without BOM, or Shift_JIS (Excel's "CSV"
 * on Japanese Windows, i.e. Microsoft's Windows-31J, which also has ①, ㈱ and NEC's extensions);
 * RFC 4180 quoting (a quoted cell may hold commas, doubled quotes and line breaks); CRLF or LF.
 * Each record remembers the line it started on, so a validation report points at the line a person
 * sees in their editor even when cells span lines. Rows whose cells are all blank are skipped.
 */
public final class CsvReader {

  private static final Charset WINDOWS_31J = Charset.forName("windows-31j");

  /** One record: the line it starts on (1-based) and its cells, as written (not stripped). */
  public record Row(int line, List<String> cells) {}

  /**
   * How a feature refuses a file it cannot read, with its own codes: an encoding that is neither
   * UTF-8 nor Shift_JIS, and a quote still open at the end (with the line where it opened).
   */
  public record Refusals(Supplier<CodedException> encoding, IntFunction<CodedException> unclosedQuote) {}

  private CsvReader() {}

  /** Decodes and parses a whole file. */
  public static List<Row> read(byte[] bytes, Refusals refusals) {
    return parse(decode(bytes, refusals), refusals);
  }

  /**
   * Strict UTF-8 first (a Shift_JIS file with Japanese text is practically never valid UTF-8), then
   * strict Windows-31J; a BOM is dropped. Text with NUL characters is refused too: UTF-16 and binary
   * files decode without error but are not CSV text.
   */
  public static String decode(byte[] bytes, Refusals refusals) {
    boolean bom = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf;
    int start = bom ? 3 : 0;
    for (Charset charset : List.of(StandardCharsets.UTF_8, WINDOWS_31J)) {
      try {
        String text = strict(charset).decode(ByteBuffer.wrap(bytes, start, bytes.length - start)).toString();
        if (text.indexOf('\0') >= 0) {
          break;
        }
        return text;
      } catch (CharacterCodingException e) {
        start = 0; // a BOM says UTF-8; Shift_JIS reads the bytes as they are
      }
    }
    throw refusals.encoding().get();
  }

  private static CharsetDecoder strict(Charset charset) {
    return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /**
   * Parses every record. A quote opens a quoted cell only at the start of the cell (elsewhere it
   * is an ordinary character, as spreadsheets read it); an unclosed quote is refused at the line
   * where it opened.
   */
  public static List<Row> parse(String text, Refusals refusals) {
    List<Row> rows = new ArrayList<>();
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    int line = 1;
    int rowLine = 1;
    int quoteLine = 0;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          if (ch == '\n') {
            line++;
          }
          cell.append(ch);
        }
      } else if (ch == '"' && cell.isEmpty()) {
        quoted = true;
        quoteLine = line;
      } else if (ch == ',') {
        cells.add(cell.toString());
        cell.setLength(0);
      } else if (ch == '\n' || ch == '\r') {
        if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        cells.add(cell.toString());
        cell.setLength(0);
        addUnlessBlank(rows, rowLine, cells);
        cells = new ArrayList<>();
        line++;
        rowLine = line;
      } else {
        cell.append(ch);
      }
    }
    if (quoted) {
      throw refusals.unclosedQuote().apply(quoteLine);
    }
    if (!cell.isEmpty() || !cells.isEmpty()) {
      cells.add(cell.toString());
      addUnlessBlank(rows, rowLine, cells);
    }
    return rows;
  }

  private static void addUnlessBlank(List<Row> rows, int line, List<String> cells) {
    if (cells.stream().anyMatch(c -> !c.isBlank())) {
      rows.add(new Row(line, List.copyOf(cells)));
    }
  }
}
