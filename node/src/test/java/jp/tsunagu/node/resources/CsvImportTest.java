package jp.tsunagu.node.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV import: the whole file is validated first, and either every row is imported or none. */
class CsvImportTest {

  static final String HEADER = "名称,名称_カナ,カテゴリ,サブカテゴリ,タグ,市区町村コード,住所,緯度,経度,電話番号,予定,公開\r\n";

  @TempDir
  static Path dir;

  static ResourceNode fixture;

  @BeforeAll
  static void start() {
    fixture = new ResourceNode(dir);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static int count() {
    return new JsonObject(fixture.staff.get("/api/v1/staff/resources").body()).getJsonArray("resources").size();
  }

  @Test
  void a_utf8_file_with_a_bom_is_imported_whole() {
    int before = count();
    String csv = "\uFEFF" + HEADER
        + "竜東いきいきサロン,リュウトウイキイキサロン,通いの場,サロン,室内;おしゃべり,202096,伊那市山寺,35.8360,137.9610,0265-72-0001,weekly:mon@13:00-15:00,公開\r\n"
        + "\"手良 体操クラブ, 午前の部\",テラタイソウクラブ,通いの場,体操・運動教室,体操,202096,伊那市手良,35.8690,138.0010,,,非公開\r\n";
    var response = fixture.staff.postBytes("/api/v1/staff/resources/import", "text/csv",
        csv.getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getInteger("created")).isEqualTo(2);
    assertThat(count()).isEqualTo(before + 2);
    assertThat(fixture.staff.get("/api/v1/staff/resources").body()).contains("手良 体操クラブ, 午前の部");
  }

  @Test
  void a_shift_jis_file_from_excel_is_accepted() {
    String csv = HEADER
        + "高遠町ふれあい広場,タカトオマチフレアイヒロバ,通いの場,居場所・憩いの場,室内,202096,伊那市高遠町西高遠,35.8336,138.0614,0265-94-2111,weekly:wed,公開\r\n";
    var response = fixture.staff.postBytes("/api/v1/staff/resources/import", "text/csv",
        csv.getBytes(Charset.forName("windows-31j")));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(new TestHttpOf(fixture).search("高遠町ふれあい広場")).contains("高遠町ふれあい広場");
  }

  @Test
  void every_bad_row_is_reported_with_its_line_and_column_and_nothing_is_imported() {
    int before = count();
    String csv = HEADER
        + "正しい行のサロン,タダシイ,通いの場,サロン,室内,202096,伊那市荒井,35.8275,137.9540,,,公開\r\n"
        + ",カナ,通いの場,,,202096,伊那市荒井,35.8275,137.9540,,,公開\r\n"
        + "座標違いのサロン,カナ,喫茶店,,,202096,伊那市荒井,135.8,abc,,,公開\r\n"
        + "予定違いのサロン,カナ,通いの場,,存在しないタグ,202096,伊那市荒井,35.8275,137.9540,0265-78-4111,every:thu,たぶん\r\n";
    var response = fixture.staff.postBytes("/api/v1/staff/resources/import", "text/csv",
        csv.getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(422);
    JsonObject report = new JsonObject(response.body());
    assertThat(report.getString("code")).isEqualTo("resources.csv_invalid");
    assertThat(report.getBoolean("applied")).isFalse();
    JsonArray problems = report.getJsonArray("problems");
    assertThat(problems.stream().map(p -> line((JsonObject) p))).containsExactlyInAnyOrder(
        "3:名称:resources.required",
        "4:カテゴリ:resources.unknown_category", "4:緯度:resources.out_of_range", "4:経度:resources.invalid_number",
        "5:タグ:resources.unknown_tag", "5:予定:resources.invalid_schedule", "5:公開:resources.invalid_published");
    assertThat(count()).isEqualTo(before);
    assertThat(fixture.staff.get("/api/v1/staff/resources").body()).doesNotContain("正しい行のサロン");
  }

  @Test
  void a_file_with_an_unknown_column_or_in_another_encoding_is_refused_with_a_stable_code() {
    var unknown = fixture.staff.postBytes("/api/v1/staff/resources/import", "text/csv",
        "名称,色\r\nサロン,赤\r\n".getBytes(StandardCharsets.UTF_8));
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(unknown.body()).getString("code")).isEqualTo("resources.csv_unknown_column");
    var binary = fixture.staff.postBytes("/api/v1/staff/resources/import", "text/csv",
        new byte[] {(byte) 0x81, (byte) 0x20, (byte) 0xff, (byte) 0xfe});
    assertThat(new JsonObject(binary.body()).getString("code")).isEqualTo("resources.csv_encoding");
    var unclosed = fixture.staff.postBytes("/api/v1/staff/resources/import", "text/csv",
        (HEADER + "\"閉じないサロン,カナ\r\n").getBytes(StandardCharsets.UTF_8));
    assertThat(new JsonObject(unclosed.body()).getString("code")).isEqualTo("resources.csv_unclosed_quote");
  }

  @Test
  void an_update_row_naming_an_unknown_id_fails_the_whole_file() {
    int before = count();
    String csv = "ID," + HEADER
        + ",新しいサロン,アタラシイ,通いの場,,,202096,伊那市荒井,35.8275,137.9540,,,公開\r\n"
        + "zzzzzzzzzzzz,ないサロン,ナイ,通いの場,,,202096,伊那市荒井,35.8275,137.9540,,,公開\r\n";
    var response = fixture.staff.postBytes("/api/v1/staff/resources/import", "text/csv",
        csv.getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.body()).contains("resources.unknown_id").contains("\"line\":3");
    assertThat(count()).isEqualTo(before);
  }

  private static String line(JsonObject problem) {
    return problem.getInteger("line") + ":" + problem.getString("column") + ":" + problem.getString("code");
  }

  /** The public search page, as anyone sees it. */
  record TestHttpOf(ResourceNode fixture) {
    String search(String keyword) {
      return new jp.tsunagu.node.testing.TestHttp(fixture.node).get("/resources/search?q="
          + java.net.URLEncoder.encode(keyword, StandardCharsets.UTF_8)).body();
    }
  }
}
