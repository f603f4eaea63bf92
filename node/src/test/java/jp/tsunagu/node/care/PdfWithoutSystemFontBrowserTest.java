package jp.tsunagu.node.care;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import jp.tsunagu.node.care.forms.FormSamples;

/**
 * A node on a machine with no Japanese system font (its font lookup pointed at an empty folder):
 * the form PDF a member opens from the timeline is still a PDF whose text reads as written, in the
 * font the jar carries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PdfWithoutSystemFontBrowserTest {

  private static final String COURSE = "褥瘡は改善傾向。夜間の咳嗽なし。";

  @TempDir
  static Path dir;
  CareTestbed bed;
  String patient;
  String formId;

  @BeforeAll
  void start() throws IOException {
    Path noFonts = Files.createDirectories(dir.resolve("no-system-fonts"));
    System.setProperty(JapanesePdfFont.SYSTEM_FONTS_PROPERTY, noFonts.toString());
    bed = CareTestbed.start(Files.createDirectories(dir.resolve("node")));
    CareClient doctor = bed.professional("dr-pdf-ui", "北原", "健一", "doctor", bed.clinic);
    CareClient nurse = bed.professional("ns-pdf-ui", "宮坂", "由美", "nurse", bed.nursingStation);
    patient = FormSamples.patientWithNurse(doctor, nurse,
        CareApiTest.patient("春日", "トメ", "カスガ", "トメ", "1931-04-10"));
    formId = nurse.post("/api/v1/patients/" + patient + "/forms", new JsonObject().put("template", FormSamples.HOUKOKUSHO)
        .put("values", FormSamples.houkokusho().put("course", COURSE))).json().getString("id");
  }

  @AfterAll
  void stop() {
    System.clearProperty(JapanesePdfFont.SYSTEM_FONTS_PROPERTY);
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void the_node_finds_no_system_font_to_use() {
    assertThat(JapanesePdfFont.find(JapanesePdfFont.systemFonts()).systemFile()).isEmpty();
  }

  @Test
  void a_nurse_on_a_phone_opens_a_form_pdf_that_reads_in_japanese_without_a_system_font() throws IOException {
    assertPdfReads(Browser.PHONE);
  }

  @Test
  void a_doctor_on_a_pc_opens_a_form_pdf_that_reads_in_japanese_without_a_system_font() throws IOException {
    assertPdfReads(Browser.DESKTOP);
  }

  private void assertPdfReads(Dimension size) throws IOException {
    String login = size.equals(Browser.PHONE) ? "ns-pdf-ui" : "dr-pdf-ui";
    try (Browser browser = new Browser(size)) {
      bed.openPatient(browser, login, patient);
      By link = By.cssSelector("li[data-post='" + formId + "'] .form-links a[href$='/pdf']");
      String href = browser.attribute(link, "href");
      PageFetch.Answer answer = PageFetch.get(browser, href);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.contentType()).startsWith("application/pdf");
      try (PDDocument pdf = Loader.loadPDF(answer.body())) {
        assertThat(new PDFTextStripper().getText(pdf)).contains("訪問看護報告書").contains("春日 トメ")
            .contains(COURSE);
      }
    }
  }
}
