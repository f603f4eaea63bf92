package jp.tsunagu.node.pdf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.state.PDExtendedGraphicsState;
import org.apache.pdfbox.util.Matrix;

/**
 * Renders a line of text into every page of a PDF (who opened it and when), as page content rather
 * than an annotation, so a printout or a screenshot carries it and a viewer cannot hide it.
 */
public final class PdfStamp {

  private static final float SIZE = 11;

  private PdfStamp() {}

  /** The document with {@code text} across each page and along its foot; the input is not changed. */
  public static byte[] stamp(JapanesePdfFont font, byte[] pdf, String text) throws IOException {
    try (PDDocument document = Loader.loadPDF(pdf); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDType0Font loaded = font.load(document);
      PDExtendedGraphicsState faint = new PDExtendedGraphicsState();
      faint.setNonStrokingAlphaConstant(0.25f);
      for (PDPage page : document.getPages()) {
        PDRectangle box = page.getMediaBox();
        try (PDPageContentStream s = new PDPageContentStream(document, page, PDPageContentStream.AppendMode.APPEND,
            true, true)) {
          s.setGraphicsStateParameters(faint);
          s.beginText();
          s.setFont(loaded, SIZE * 2);
          s.setTextMatrix(Matrix.getRotateInstance(Math.toRadians(35), box.getLowerLeftX() + box.getWidth() * 0.12f,
              box.getLowerLeftY() + box.getHeight() * 0.3f));
          s.showText(text);
          s.endText();
          s.beginText();
          s.setFont(loaded, SIZE);
          s.newLineAtOffset(box.getLowerLeftX() + 20, box.getLowerLeftY() + 14);
          s.showText(text);
          s.endText();
        }
      }
      document.save(out);
      return out.toByteArray();
    }
  }
}
