package jp.tsunagu.node.resources;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.web.ApiException;

/**
 * CSV as municipal spreadsheets write it: UTF-8 (with or without BOM) or Shift_JIS (Excel's
 * "CSV" on Japanese Windows, i.e. Microsoft's Windows-31J, which also has ①, ㈱ and NEC's
 * extensions), RFC 4180 quoting, CRLF or LF. Each record remembers the line it started on so the
 * validation report can point at it.
 */
final class CsvText {

  private static final Charset WINDOWS_31J = Charset.forName("windows-31j");

  /** One record: its starting line (1-based) and its cells. */
  record Row(int line, List<String> cells) {}

  private CsvText() {}

  /** Strict UTF-8 first: a Shift_JIS file with Japanese text is practically never valid UTF-8. */
  static String decode(byte[] bytes) {
    int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
    ByteBuffer buffer = ByteBuffer.wrap(bytes, start, bytes.length - start);
    try {
      return strict(StandardCharsets.UTF_8).decode(buffer).toString();
    } catch (CharacterCodingException notUtf8) {
      try {
        return strict(WINDOWS_31J).decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException notSjis) {
        throw ApiException.badRequest("resources.csv_encoding",
            "CSV ファイルの文字コードを判別できません。UTF-8 または Shift_JIS で保存してください。");
      }
    }
  }

  private static java.nio.charset.CharsetDecoder strict(Charset charset) {
    return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /** Parses every record; an unterminated quote is an error at the line where the quote opened. */
  static List<Row> parse(String text) {
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
      throw ApiException.badRequest("resources.csv_unclosed_quote",
          quoteLine + " 行目で始まる引用符（\"）が閉じられていません。");
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
