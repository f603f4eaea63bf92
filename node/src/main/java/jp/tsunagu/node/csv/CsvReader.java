package jp.tsunagu.node.csv;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import jp.tsunagu.node.errors.CodedException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV files as Japanese spreadsheets and municipal systems write them, for every feature that
 * takes one (患者一括登録, regional resources): UTF-8 with or without BOM, or Shift_JIS (Excel's "CSV"
 * on Japanese Windows, i.e. Microsoft's Windows-31J, which also has ①, ㈱ and NEC's extensions),
 * recognised here; the records are read by Apache Commons CSV: RFC 4180 quoting (a quoted cell may
 * hold commas, doubled quotes and line breaks), CRLF or LF.
 * Each record remembers the line it started on, so a validation report points at the line a person
 * sees in their editor even when cells span lines. Rows whose cells are all blank are skipped.
 */
public final class CsvReader {

  private static final Charset WINDOWS_31J = Charset.forName("windows-31j");
  /** Empty lines are records too (dropped below as blank), so every record's position is its own. */
  private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setTrailingData(true).get();
  private static final Pattern START_LINE = Pattern.compile("\\(startline ([^)]+)\\)");

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
   * Parses every record with Apache Commons CSV (RFC 4180 without skipping anything, so that each
   * record's position says where it starts). A quote opens a quoted cell only at the start of the
   * cell, and text after a closing quote is kept, as spreadsheets read them; an unclosed quote is
   * refused at the line where it opened.
   */
  public static List<Row> parse(String text, Refusals refusals) {
    LineStarts lines = LineStarts.of(text);
    List<Row> rows = new ArrayList<>();
    try (CSVParser parser = FORMAT.parse(new StringReader(text))) {
      for (CSVRecord record : parser) {
        List<String> cells = record.toList();
        if (cells.stream().anyMatch(c -> !c.isBlank())) {
          rows.add(new Row(lines.lineAt(record.getCharacterPosition()), List.copyOf(cells)));
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw refusals.unclosedQuote().apply(unclosedQuoteLine(e, lines));
    }
    return rows;
  }

  /**
   * The line an unclosed quote opened on, which Commons CSV states in its message ("(startline N)
   * EOF reached before encapsulated token finished"); reading a string can fail in no other way.
   */
  private static int unclosedQuoteLine(Exception e, LineStarts lines) {
    Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
    Matcher startLine = START_LINE.matcher(String.valueOf(cause.getMessage()));
    return startLine.find() ? Integer.parseInt(startLine.group(1).replaceAll("\\D", "")) : lines.count();
  }

  /** Where each line of a text starts, to turn a record's character position into its line number. */
  private record LineStarts(int[] starts) {

    static LineStarts of(String text) {
      int[] starts = new int[16];
      int count = 1;
      for (int i = 0; i < text.length(); i++) {
        char ch = text.charAt(i);
        if (ch == '\n' || ch == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')) {
          if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
          }
          starts[count++] = i + 1;
        }
      }
      return new LineStarts(Arrays.copyOf(starts, count));
    }

    int lineAt(long position) {
      int found = Arrays.binarySearch(starts, (int) position);
      return found >= 0 ? found + 1 : -found - 1;
    }

    int count() {
      return starts.length;
    }
  }
}
