package jp.tsunagu.node.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.browser.PageFetch;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;

/**
 * A node with no Japanese system font (its font lookup pointed at an empty folder) still gives a
 * referral sheet's PDF, in the font the jar carries, to a browser at phone and PC size.
 */
class ReferralPdfWithoutSystemFontBrowserTest {

  @TempDir
  static Path dir;

  static NearbyFixture nearby;
  static String pdf;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty(JapanesePdfFont.SYSTEM_FONTS_PROPERTY,
        Files.createDirectories(dir.resolve("no-system-fonts")).toString());
    nearby = new NearbyFixture(Files.createDirectories(dir.resolve("node"))).withPatient();
    var created = nearby.nurse.client().postJson("/api/v1/referrals", new JsonObject()
        .put("residentName", "春日 トメ").put("referrerName", "宮坂 由美").put("comment", "木曜日の体操に行ってみませんか。")
        .put("originLabel", "ご自宅").put("origin", new JsonObject().put("latitude", 35.8336).put("longitude", 138.0614))
        .put("resourceIds", new JsonArray().add(nearby.takato)));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    pdf = new JsonObject(created.body()).getString("pdf");
  }

  @AfterAll
  static void stop() throws Exception {
    System.clearProperty(JapanesePdfFont.SYSTEM_FONTS_PROPERTY);
    if (nearby != null) {
      nearby.close();
    }
  }

  @Test
  void a_referral_pdf_opened_on_a_phone_reads_in_japanese_without_a_system_font() throws Exception {
    assertPdfReads(Browser.PHONE);
  }

  @Test
  void a_referral_pdf_opened_on_a_pc_reads_in_japanese_without_a_system_font() throws Exception {
    assertPdfReads(Browser.DESKTOP);
  }

  private static void assertPdfReads(Dimension size) throws Exception {
    try (Browser browser = new Browser(size)) {
      NearbyFixture.openNearbyTab(browser, nearby.node.node, "ina-kango2", nearby.patient);
      PageFetch.Answer answer = PageFetch.get(browser, pdf);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.contentType()).startsWith("application/pdf");
      try (PDDocument document = Loader.loadPDF(answer.body())) {
        assertThat(new PDFTextStripper().getText(document)).contains("春日 トメ")
            .contains("木曜日の体操に行ってみませんか。").contains("高遠さくら体操クラブ");
      }
    }
  }
}
