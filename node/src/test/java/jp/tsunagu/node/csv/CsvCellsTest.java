package jp.tsunagu.node.csv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** OWASP's rule for CSV cells: what a spreadsheet could evaluate is written as text, the rest unchanged. */
class CsvCellsTest {

  @Test
  void a_cell_that_could_start_a_formula_is_prefixed_with_a_quote_and_quoted() {
    assertThat(CsvCells.cell("=cmd|' /C calc'!A0")).isEqualTo("\"'=cmd|' /C calc'!A0\"");
    assertThat(CsvCells.cell("+SUM(1,2)")).isEqualTo("\"'+SUM(1,2)\"");
    assertThat(CsvCells.cell("-2+3+cmd|' /C calc'!A0")).isEqualTo("\"'-2+3+cmd|' /C calc'!A0\"");
    assertThat(CsvCells.cell("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
    assertThat(CsvCells.cell("\t=1")).isEqualTo("\"'\t=1\"");
    assertThat(CsvCells.cell("\r=1")).isEqualTo("\"'\r=1\"");
    assertThat(CsvCells.cell("＝1+1")).isEqualTo("\"'＝1+1\"");
    assertThat(CsvCells.cell("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
  }

  @Test
  void plain_values_numbers_and_a_lone_dash_are_written_unchanged() {
    assertThat(CsvCells.cell("いきいき体操")).isEqualTo("いきいき体操");
    assertThat(CsvCells.cell("-")).isEqualTo("-");
    assertThat(CsvCells.cell("-1.5")).isEqualTo("-1.5");
    assertThat(CsvCells.cell("+81")).isEqualTo("+81");
    assertThat(CsvCells.cell("0265-78-4111")).isEqualTo("0265-78-4111");
    assertThat(CsvCells.cell("35.8275")).isEqualTo("35.8275");
    assertThat(CsvCells.cell("手良, 午前")).isEqualTo("\"手良, 午前\"");
    assertThat(CsvCells.cell("一行目\n二行目")).isEqualTo("\"一行目\n二行目\"");
    assertThat(CsvCells.cell("")).isEmpty();
  }
}
