package jp.tsunagu.node.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import jp.tsunagu.node.csv.CsvReader;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an attacker tried against a fresh demo's regional resources, on a real node over real TLS:
 * formulas in open data, control characters in CSV imports, and HTML uploaded as a photo.
 */
class HostileResourceDataTest {

  static final String FORMULA = "=cmd|' /C calc'!A0";
  static final String HEADER = "名称,名称_カナ,カテゴリ,サブカテゴリ,市区町村コード,住所,緯度,経度,電話番号,参加費・利用料,活動内容,公開\r\n";

  @TempDir
  static Path dir;

  static ResourceNode fixture;
  static SessionClient anonymous;

  @BeforeAll
  static void start() {
    fixture = new ResourceNode(dir);
    anonymous = new SessionClient(fixture.node);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void formulas_imported_by_csv_or_sent_by_the_api_come_out_of_the_open_data_csv_as_text_and_plain_values_round_trip() {
    String csv = HEADER
        + "\"" + FORMULA.replace("\"", "\"\"") + "\",カナ,通いの場,サロン,202096,伊那市荒井,35.8275,137.9540,0265-78-4111,"
        + "+SUM(1;2),\"@HYPERLINK(\"\"http://evil.example/\"\")\",公開\r\n"
        + "竜東ふれあいサロン,リュウトウ,通いの場,サロン,202096,伊那市山寺,35.8360,137.9610,0265-72-0001,-,"
        + "\"-2+3+cmd|' /C calc'!A0\",公開\r\n";
    var imported = fixture.staff.postBytes("/api/v1/staff/resources/import", "text/csv", csv.getBytes(StandardCharsets.UTF_8));
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
    fixture.create(ResourceNode.salon("＝1+1", 35.84, 137.95).put("fee", "-1.5").put("nameKana", "サロン")
        .put("description", "@SUM(A1:A9)\n2行目"), true);

    List<List<String>> rows = CsvReader.parse(anonymous.get("/opendata/resources.csv").body(), new CsvReader.Refusals(
        () -> CodedException.internal("test", "encoding"), line -> CodedException.internal("test", "quote")))
        .stream().map(CsvReader.Row::cells).toList();
    List<String> header = rows.get(0);
    Map<String, List<String>> byName = rows.subList(1, rows.size()).stream()
        .collect(Collectors.toMap(r -> r.get(header.indexOf("名称")), r -> r));
    for (List<String> row : rows) {
      for (String cell : row) {
        assertThat(cell).as("no cell starts a formula: " + row)
            .doesNotStartWith("=").doesNotStartWith("@").doesNotStartWith("\t").doesNotStartWith("＝");
        if (cell.startsWith("+") || cell.startsWith("-")) {
          assertThat(cell).as("only a plain number may start with a sign").matches("[+-][0-9.]*");
        }
      }
    }
    List<String> formula = byName.get("'" + FORMULA);
    assertThat(formula).as(byName.keySet().toString()).isNotNull();
    assertThat(formula.get(header.indexOf("参加費・利用料"))).isEqualTo("'+SUM(1;2)");
    assertThat(formula.get(header.indexOf("活動内容"))).isEqualTo("'@HYPERLINK(\"http://evil.example/\")");
    List<String> plain = byName.get("竜東ふれあいサロン");
    assertThat(plain.get(header.indexOf("参加費・利用料"))).as("a lone dash stays").isEqualTo("-");
    assertThat(plain.get(header.indexOf("活動内容"))).isEqualTo("'-2+3+cmd|' /C calc'!A0");
    assertThat(plain.get(header.indexOf("電話番号"))).isEqualTo("0265-72-0001");
    assertThat(plain.get(header.indexOf("緯度"))).isEqualTo("35.836");
    List<String> api = byName.get("'＝1+1");
    assertThat(api.get(header.indexOf("参加費・利用料"))).as("a plain number stays").isEqualTo("-1.5");
    assertThat(api.get(header.indexOf("活動内容"))).isEqualTo("'@SUM(A1:A9)\n2行目");

    JsonArray json = new JsonArray(anonymous.get("/opendata/resources.json").body());
    assertThat(json.stream().map(r -> ((JsonObject) r).getString("名称")).toList())
        .as("the JSON export carries the data as entered").contains(FORMULA, "＝1+1");
  }

  @Test
  void a_csv_import_with_control_characters_or_a_line_break_in_a_one_line_field_is_reported_and_nothing_is_imported() {
    long before = TestSql.count(fixture.node, "select count(*) from resources");
    String csv = HEADER
        + "\"改行\nサロン\",カナ,通いの場,サロン,202096,伊那市荒井,35.8275,137.9540,,,,公開\r\n"
        + "ベル\u0007サロン,カナ,通いの場,サロン,202096,伊那市荒井,35.8275,137.9540,,,,公開\r\n"
        + "逆\u202Eンロサ,カナ,通いの場,サロン,202096,伊那市荒井,35.8275,137.9540,,,,公開\r\n"
        + "正しいサロン,カナ,通いの場,サロン,202096,伊那市荒井\u200B,35.8275,137.9540,,,\"説明は\n複数行でよい\",公開\r\n";
    var response = fixture.staff.postBytes("/api/v1/staff/resources/import", "text/csv",
        csv.getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    JsonObject report = new JsonObject(response.body());
    assertThat(report.getString("code")).isEqualTo("resources.csv_invalid");
    assertThat(report.getJsonArray("problems").stream().map(p -> ((JsonObject) p).getInteger("line") + ":"
        + ((JsonObject) p).getString("column") + ":" + ((JsonObject) p).getString("code")).toList())
        .contains("2:名称:validation.line_break", "4:名称:validation.text_invalid", "5:名称:validation.text_invalid",
            "6:住所:validation.text_invalid");
    assertThat(TestSql.count(fixture.node, "select count(*) from resources")).isEqualTo(before);
  }

  @Test
  void html_declared_as_a_png_photo_and_other_non_images_are_refused_and_nothing_is_stored() {
    String id = fixture.create(ResourceNode.salon("写真のサロン", 35.83, 137.96), true);
    long before = TestSql.count(fixture.node, "select count(*) from resource_photos");
    byte[] html = "<html><body><script>alert(document.cookie)</script></body></html>".getBytes(StandardCharsets.UTF_8);
    byte[] pngMagicThenHtml = concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, html);
    Map<String, byte[]> attempts = Map.of("image/png", html, "image/jpeg", pngMagicThenHtml);
    for (Map.Entry<String, byte[]> attempt : attempts.entrySet()) {
      var refused = fixture.staff.postBytes("/api/v1/staff/resources/" + id + "/photos", attempt.getKey(),
          attempt.getValue());
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(415);
      assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("resources.photo_unsupported");
    }
    var declaredWrong = fixture.staff.postBytes("/api/v1/staff/resources/" + id + "/photos", "image/png",
        image(20, 20, "jpg"));
    assertThat(new JsonObject(declaredWrong.body()).getString("code")).as("a JPEG declared as PNG")
        .isEqualTo("resources.photo_unsupported");
    var notPng = fixture.staff.postBytes("/api/v1/staff/resources/" + id + "/photos", "image/png", pngMagicThenHtml);
    assertThat(new JsonObject(notPng.body()).getString("code")).as("PNG magic bytes, no image")
        .isEqualTo("resources.photo_unsupported");
    var html2 = fixture.staff.postBytes("/api/v1/staff/resources/" + id + "/photos", "text/html", html);
    assertThat(new JsonObject(html2.body()).getString("code")).isEqualTo("resources.photo_type");
    assertThat(TestSql.count(fixture.node, "select count(*) from resource_photos")).isEqualTo(before);
  }

  @Test
  void a_real_png_and_jpeg_are_accepted_stored_re_encoded_and_served_with_their_type() throws IOException {
    String id = fixture.create(ResourceNode.salon("本物の写真のサロン", 35.83, 137.96), true);
    byte[] png = concat(image(40, 30, "png"), "<script>alert(1)</script>".getBytes(StandardCharsets.US_ASCII));
    var added = fixture.staff.postBytes("/api/v1/staff/resources/" + id + "/photos?caption=" + StaffResourceApiTest.enc(
        "入口の写真"), "image/png", png);
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    var served = anonymous.getBytes(new JsonObject(added.body()).getString("url"));
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(served.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(new String(served.body(), StandardCharsets.ISO_8859_1)).doesNotContain("<script>");
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(served.body()));
    assertThat(back.getWidth()).isEqualTo(40);
    assertThat(new Color(back.getRGB(5, 5))).isEqualTo(Color.RED);

    var jpeg = fixture.staff.postBytes("/api/v1/staff/resources/" + id + "/photos", "image/jpeg", image(2400, 1200, "jpg"));
    assertThat(jpeg.statusCode()).as(jpeg.body()).isEqualTo(201);
    var servedJpeg = anonymous.getBytes(new JsonObject(jpeg.body()).getString("url"));
    assertThat(servedJpeg.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    BufferedImage smaller = ImageIO.read(new ByteArrayInputStream(servedJpeg.body()));
    assertThat(smaller.getWidth()).as("at most 1600 pixels on the long side").isEqualTo(1600);
    assertThat(smaller.getHeight()).isEqualTo(800);
  }

  @Test
  void a_phone_photo_is_turned_upright_by_its_exif_orientation_and_published_without_its_exif() throws IOException {
    String id = fixture.create(ResourceNode.salon("縦向きの写真のサロン", 35.83, 137.96), true);
    byte[] jpeg = image(40, 20, "jpg");
    byte[] exif = {(byte) 0xFF, (byte) 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 0x2A, 0, 0, 0, 8, 0, 1,
        0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0};
    byte[] rotated = concat(concat(java.util.Arrays.copyOf(jpeg, 2), exif), java.util.Arrays.copyOfRange(jpeg, 2,
        jpeg.length));
    var added = fixture.staff.postBytes("/api/v1/staff/resources/" + id + "/photos", "image/jpeg", rotated);
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    byte[] served = anonymous.getBytes(new JsonObject(added.body()).getString("url")).body();
    BufferedImage upright = ImageIO.read(new ByteArrayInputStream(served));
    assertThat(upright.getWidth()).as("orientation 6: turned a quarter clockwise").isEqualTo(20);
    assertThat(upright.getHeight()).isEqualTo(40);
    assertThat(new String(served, StandardCharsets.ISO_8859_1)).doesNotContain("Exif");
  }

  static byte[] image(int width, int height, String format) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, width, height);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The ARGB pixels of an encoded image. */
  static List<Integer> pixels(byte[] encoded) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
      return java.util.Arrays.stream(image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()))
          .boxed().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
