package jp.tsunagu.node.care.patients;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.CareClient;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatientCsvImportTest {

  static final String HEADER = "氏,名,氏カナ,名カナ,生年月日,性別,住所,市町村コード,電話番号,かかりつけ医,要介護度,緊急連絡先,人生会議,備考\n";
  static final String PATH = "/api/v1/patients/import?teamRole=" + URLEncoder.encode("ケアマネジャー", StandardCharsets.UTF_8);

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient careManager;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    careManager = bed.professional("cm-csv", "藤澤", "聡子", "care_manager", bed.nursingStation);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  static String row(String family, String kana, String birth, String code) {
    return family + ",花子," + kana + ",ハナコ," + birth + ",女,\"長野県伊那市西町5000, 2階\"," + code
        + ",0265-00-0000,北原医院,要介護1,長女 090-0000-0000,,\n";
  }

  private int count() {
    return careManager.get("/api/v1/patients").json().getJsonArray("patients").size();
  }

  @Test
  void a_utf8_file_with_bom_and_a_shift_jis_file_are_both_registered_whole() {
    byte[] utf8 = ("\uFEFF" + HEADER + row("赤羽", "アカハネ", "1936/4/1", "202096") + row("唐沢", "カラサワ",
        "1940-12-24", "202096")).getBytes(StandardCharsets.UTF_8);
    CareClient.Reply first = careManager.postBytes(PATH, utf8, "text/csv");
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(first.json().getInteger("imported")).isEqualTo(2);
    byte[] sjis = (HEADER + row("酒井", "サカイ", "1938-08-08", "202096")).getBytes(Charset.forName("windows-31j"));
    assertThat(careManager.postBytes(PATH, sjis, "text/csv").json().getInteger("imported")).isEqualTo(1);
    JsonObject sakai = careManager.get("/api/v1/patients?q=" + URLEncoder.encode("サカイ", StandardCharsets.UTF_8))
        .json().getJsonArray("patients").getJsonObject(0);
    assertThat(sakai.getString("address")).isEqualTo("長野県伊那市西町5000, 2階");
    assertThat(sakai.getString("teamRole")).isEqualTo("ケアマネジャー");
  }

  @Test
  void a_file_with_bad_rows_registers_nobody_and_reports_every_bad_row() {
    int before = count();
    String csv = HEADER + row("正常", "セイジョウ", "1939-01-01", "202096") + row("日付", "ヒヅケ", "1939-02-30", "202096")
        + row("市町村", "シチョウソン", "1939-01-02", "999999") + row("重複", "チョウフク", "1939-01-03", "202096")
        + row("重複", "チョウフク", "1939-01-03", "202096") + row("対象外", "タイショウガイ", "1939-01-04", "231002");
    CareClient.Reply reply = careManager.postBytes(PATH, csv.getBytes(StandardCharsets.UTF_8), "text/csv");
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.code()).isEqualTo("care.csv_rejected");
    assertThat(reply.json().getJsonArray("rows").stream().map(r -> ((JsonObject) r).getInteger("row") + " "
        + ((JsonObject) r).getString("code"))).containsExactly("3 validation.bad_date",
        "4 care.municipality_unknown", "6 care.csv_duplicate_row", "7 care.municipality_not_served");
    assertThat(count()).isEqualTo(before);
  }

  @Test
  void a_bad_row_after_a_remark_written_over_several_lines_is_reported_at_its_line_in_the_file() {
    String multiLine = row("複数行", "フクスウギョウ", "1939-01-05", "202096").replace(",,\n", ",,\"一行目\n二行目\"\n");
    String csv = HEADER + multiLine + "\n" + row("日付", "ヒヅケ", "1939-13-01", "202096");
    CareClient.Reply reply = careManager.postBytes(PATH, csv.getBytes(StandardCharsets.UTF_8), "text/csv");
    assertThat(reply.code()).isEqualTo("care.csv_rejected");
    // header on line 1, the remark on lines 2-3, a blank line 4: the bad row is line 5 of the file.
    assertThat(reply.json().getJsonArray("rows").getJsonObject(0).getInteger("row")).isEqualTo(5);
    CareClient.Reply unclosed = careManager.postBytes(PATH, (HEADER + "\"閉じない,花子\n")
        .getBytes(StandardCharsets.UTF_8), "text/csv");
    assertThat(unclosed.code()).isEqualTo("care.csv_malformed");
    assertThat(unclosed.json().getString("message")).startsWith("2 行目");
  }

  @Test
  void a_row_already_registered_rolls_back_the_whole_file() {
    careManager.postBytes(PATH, (HEADER + row("既存", "キゾン", "1937-03-03", "202096"))
        .getBytes(StandardCharsets.UTF_8), "text/csv");
    int before = count();
    CareClient.Reply reply = careManager.postBytes(PATH, (HEADER + row("新規", "シンキ", "1937-03-04", "202096")
        + row("既存", "キゾン", "1937-03-03", "202096")).getBytes(StandardCharsets.UTF_8), "text/csv");
    assertThat(reply.json().getJsonArray("rows").getJsonObject(0).getString("code")).isEqualTo("care.patient_duplicate");
    assertThat(count()).isEqualTo(before);
  }

  @Test
  void a_file_in_another_encoding_or_without_the_header_is_refused() {
    byte[] utf16 = (HEADER + row("符号", "フゴウ", "1939-01-01", "202096")).getBytes(StandardCharsets.UTF_16LE);
    assertThat(careManager.postBytes(PATH, utf16, "text/csv").code()).isEqualTo("care.csv_encoding");
    byte[] eucJp = (HEADER + row("符号", "フゴウ", "1939-01-01", "202096")).getBytes(Charset.forName("EUC-JP"));
    assertThat(careManager.postBytes(PATH, eucJp, "text/csv").code()).isIn("care.csv_encoding", "care.csv_header");
    assertThat(careManager.postBytes(PATH, row("見出", "ミダシ", "1939-01-01", "202096")
        .getBytes(StandardCharsets.UTF_8), "text/csv").code()).isEqualTo("care.csv_header");
    assertThat(careManager.postBytes(PATH, new byte[0], "text/csv").code()).isEqualTo("care.csv_empty");
  }
}
