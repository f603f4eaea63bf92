package jp.tsunagu.node.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import jp.tsunagu.node.testing.TestHttp;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nearby resources (周辺資源) by distance from a point or a geocoded address, with the geocoder a
 * local stand-in answering like GSI's address search; referral sheets as a page and a PDF.
 */
class MatchingAndReferralTest {

  @TempDir
  static Path dir;

  static NearbyFixture nearby;
  static ResourceNode fixture;
  static String cityHall;
  static String station;
  static String takato;

  @BeforeAll
  static void start() throws Exception {
    nearby = new NearbyFixture(dir);
    fixture = nearby.node;
    cityHall = nearby.cityHall;
    station = nearby.station;
    takato = nearby.takato;
  }

  @AfterAll
  static void stop() throws Exception {
    nearby.close();
  }

  static List<String> ids(String body) {
    return new JsonObject(body).getJsonArray("resources").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  @Test
  void nearby_resources_come_nearest_first_from_a_point_and_unpublished_ones_never_appear() {
    var fromStation = fixture.nurse.get("/api/v1/nearby-resources?lat=35.8410&lon=137.9550");
    assertThat(fromStation.statusCode()).as(fromStation.body()).isEqualTo(200);
    assertThat(ids(fromStation.body())).containsExactly(station, cityHall, takato);
    JsonObject first = new JsonObject(fromStation.body()).getJsonArray("resources").getJsonObject(0);
    assertThat(first.getLong("distanceMetres")).isBetween(0L, 50L);
    // 伊那市駅 to 市役所: about 1.47 km by the haversine formula.
    assertThat(new JsonObject(fromStation.body()).getJsonArray("resources").getJsonObject(1).getLong("distanceMetres"))
        .isBetween(1400L, 1550L);
    assertThat(fromStation.body()).doesNotContain("非公開の準備中サロン");

    assertThat(ids(fixture.nurse.get("/api/v1/nearby-resources?lat=35.8410&lon=137.9550&tag="
        + StaffResourceApiTest.enc("体操")).body())).containsExactly(takato);
    assertThat(ids(fixture.nurse.get("/api/v1/nearby-resources?lat=35.8410&lon=137.9550&q="
        + StaffResourceApiTest.enc("カフェ")).body())).containsExactly(station);
    assertThat(ids(fixture.nurse.get("/api/v1/nearby-resources?lat=35.8410&lon=137.9550&category=gathering.exercise")
        .body())).containsExactly(takato);
  }

  @Test
  void an_address_is_geocoded_through_the_configured_geocoder() {
    var fromTakato = fixture.nurse.get("/api/v1/nearby-resources?address="
        + StaffResourceApiTest.enc("長野県伊那市高遠町西高遠"));
    assertThat(fromTakato.statusCode()).as(fromTakato.body()).isEqualTo(200);
    assertThat(ids(fromTakato.body())).containsExactly(takato, station, cityHall);
    assertThat(new JsonObject(fromTakato.body()).getJsonObject("origin").getString("label"))
        .isEqualTo("長野県伊那市高遠町西高遠");

    var unknown = fixture.nurse.get("/api/v1/nearby-resources?address=" + StaffResourceApiTest.enc("存在しない町"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(unknown.body()).getString("code")).isEqualTo("geocoder.not_found");
    var broken = fixture.nurse.get("/api/v1/nearby-resources?address=" + StaffResourceApiTest.enc("壊れた応答"));
    assertThat(new JsonObject(broken.body()).getString("code")).isEqualTo("geocoder.unavailable");
    var bad = fixture.nurse.get("/api/v1/nearby-resources?lat=135&lon=abc");
    assertThat(new JsonObject(bad.body()).getString("code")).isEqualTo("resources.invalid_point");
  }

  @Test
  void a_referral_is_recorded_counted_and_printed_as_a_large_type_pdf_with_the_japanese_names() throws Exception {
    JsonObject request = new JsonObject().put("residentName", "伊那 春子").put("referrerName", "高遠 花子")
        .put("referrerOrganization", "伊那中央訪問看護ステーション").put("comment", "木曜日の午前に通ってみませんか。")
        .put("originLabel", "ご自宅").put("origin", new JsonObject().put("latitude", 35.8410).put("longitude", 137.9550))
        .put("resourceIds", new JsonArray().add(station).add(takato));
    var created = fixture.nurse.postJson("/api/v1/referrals", request);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonObject links = new JsonObject(created.body());

    String sheet = fixture.nurse.get(links.getString("sheet")).body();
    assertThat(sheet).contains("伊那 春子 様").contains("伊那市駅前おしゃべりカフェ").contains("高遠さくら体操クラブ")
        .contains("木曜日の午前に通ってみませんか。");

    var pdf = fixture.nurse.getBytes(links.getString("pdf"));
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
    try (PDDocument document = Loader.loadPDF(pdf.body())) {
      String text = new PDFTextStripper().getText(document);
      assertThat(text).contains("伊那 春子 様").contains("高遠 花子").contains("伊那市駅前おしゃべりカフェ")
          .contains("高遠さくら体操クラブ").contains("地域資源のご紹介");
    }

    assertThat(fixture.staff.get(links.getString("sheet")).statusCode())
        .as("a referral names a resident: only its author opens it").isEqualTo(404);
    assertThat(fixture.staff.getBytes(links.getString("pdf")).statusCode()).isEqualTo(404);

    JsonObject staffView = new JsonObject(fixture.staff.get("/api/v1/staff/resources/" + station).body());
    assertThat(staffView.getInteger("introductions")).isEqualTo(1);
    assertThat(new JsonObject(fixture.staff.get("/api/v1/staff/resources/" + cityHall).body())
        .getInteger("introductions")).isZero();
  }

  @Test
  void referrals_are_refused_to_the_anonymous_and_for_unpublished_or_missing_resources() {
    TestHttp anonymous = new TestHttp(fixture.node);
    assertThat(anonymous.get("/api/v1/nearby-resources?lat=35.84&lon=137.95").statusCode()).isEqualTo(401);
    var missing = fixture.nurse.postJson("/api/v1/referrals", new JsonObject().put("residentName", "伊那 春子")
        .put("referrerName", "高遠 花子").put("resourceIds", new JsonArray().add("zzzzzzzzzzzz")));
    assertThat(new JsonObject(missing.body()).getString("code")).isEqualTo("referrals.unknown_resource");
    var empty = fixture.nurse.postJson("/api/v1/referrals", new JsonObject().put("residentName", "伊那 春子")
        .put("referrerName", "高遠 花子"));
    assertThat(new JsonObject(empty.body()).getString("code")).isEqualTo("referrals.resources_required");
    assertThat(fixture.nurse.get("/api/v1/referrals/zzzzzzzzzzzz/sheet").statusCode()).isEqualTo(404);
  }

  @Test
  void without_a_system_font_a_referral_pdf_is_written_in_the_font_the_jar_carries() throws Exception {
    JapanesePdfFont font = JapanesePdfFont.find(dir.resolve("no-fonts-here"));
    assertThat(font.systemFile()).isEmpty();
    ReferralSheet sheet = new ReferralSheet("ご紹介", List.of("高遠町の通いの場です。"),
        List.of(new ReferralSheet.Item("いきいきサロン", List.of("毎週火曜日"))), List.of());
    try (PDDocument pdf = Loader.loadPDF(ReferralPdf.render(font, sheet))) {
      assertThat(new PDFTextStripper().getText(pdf)).contains("ご紹介").contains("いきいきサロン").contains("毎週火曜日");
    }
  }
}
