package jp.tsunagu.node.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jp.tsunagu.node.errors.CodedException;
import org.junit.jupiter.api.Test;

/** The one CSV reader of the node, as both 患者一括登録 and the resource import use it. */
class CsvReaderTest {

  private static final CsvReader.Refusals REFUSALS = new CsvReader.Refusals(
      () -> CodedException.invalid("test.csv_encoding", "encoding"),
      line -> CodedException.invalid("test.csv_unclosed_quote", "line " + line));

  private static List<CsvReader.Row> read(byte[] bytes) {
    return CsvReader.read(bytes, REFUSALS);
  }

  @Test
  void utf8_with_a_bom_and_shift_jis_with_microsofts_extensions_read_the_same() {
    String text = "名称,備考\r\n㈱いな①,髙橋\r\n";
    byte[] bom = ("\uFEFF" + text).getBytes(StandardCharsets.UTF_8);
    byte[] sjis = text.getBytes(Charset.forName("windows-31j"));
    assertThat(read(bom)).isEqualTo(read(sjis)).containsExactly(
        new CsvReader.Row(1, List.of("名称", "備考")), new CsvReader.Row(2, List.of("㈱いな①", "髙橋")));
  }

  @Test
  void quoted_cells_hold_commas_doubled_quotes_and_line_breaks_and_rows_keep_their_first_line() {
    String text = "a,b\n\"伊那市, 西町\",\"「\"\"様\"\"」\"\n\"一行目\n二行目\",x\n\n最後,\"\"";
    List<CsvReader.Row> rows = read(text.getBytes(StandardCharsets.UTF_8));
    assertThat(rows).containsExactly(new CsvReader.Row(1, List.of("a", "b")),
        new CsvReader.Row(2, List.of("伊那市, 西町", "「\"様\"」")),
        new CsvReader.Row(3, List.of("一行目\n二行目", "x")),
        new CsvReader.Row(6, List.of("最後", "")));
  }

  @Test
  void a_quote_inside_an_unquoted_cell_is_an_ordinary_character_and_blank_rows_are_skipped() {
    assertThat(read("身長5'3\",x\n , \n,,\n".getBytes(StandardCharsets.UTF_8)))
        .containsExactly(new CsvReader.Row(1, List.of("身長5'3\"", "x")));
  }

  @Test
  void an_unclosed_quote_is_refused_at_the_line_where_it_opened() {
    assertThatThrownBy(() -> read("a,b\nc,d\n\"e,\nf\n".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CodedException.class, e -> {
          assertThat(e.code()).isEqualTo("test.csv_unclosed_quote");
          assertThat(e.getMessage()).isEqualTo("line 3");
        });
  }

  @Test
  void utf16_and_binary_files_are_refused_as_an_unreadable_encoding() {
    for (byte[] bytes : List.of("氏名,年齢\n山田,80\n".getBytes(StandardCharsets.UTF_16LE), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0})) {
      assertThatThrownBy(() -> read(bytes)).isInstanceOfSatisfying(CodedException.class,
          e -> assertThat(e.code()).isEqualTo("test.csv_encoding"));
    }
  }

  @Test
  void an_empty_file_has_no_rows() {
    assertThat(read(new byte[0])).isEmpty();
    assertThat(read(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf})).isEmpty();
  }
}
