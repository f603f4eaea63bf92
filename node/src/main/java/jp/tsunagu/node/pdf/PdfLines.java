package jp.tsunagu.node.pdf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * An A4 document written top to bottom in one embedded Japanese font: lines wrap by measured
 * width and new pages start as needed, so long text simply runs onto further pages.
 */
public final class PdfLines {

  /** What a feature writes into the document. */
  @FunctionalInterface
  public interface Content {
    void write(PdfLines lines) throws IOException;
  }

  private static final float MARGIN = 56;

  private final PDDocument document;
  private final PDType0Font font;
  private PDPageContentStream stream;
  private float y;

  private PdfLines(PDDocument document, PDType0Font font) throws IOException {
    this.document = document;
    this.font = font;
    newPage();
  }

  /** Renders a whole document with the font embedded (subset to the characters used). */
  public static byte[] render(JapanesePdfFont font, Content content) throws IOException {
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PdfLines lines = new PdfLines(document, font.load(document));
      content.write(lines);
      lines.stream.close();
      document.save(out);
      return out.toByteArray();
    }
  }

  private void newPage() throws IOException {
    if (stream != null) {
      stream.close();
    }
    PDPage page = new PDPage(PDRectangle.A4);
    document.addPage(page);
    stream = new PDPageContentStream(document, page);
    y = PDRectangle.A4.getHeight() - MARGIN;
  }

  public void gap(float points) {
    y -= points;
  }

  /** Starts a new page unless this much room is left, so a heading is not left alone at a page foot. */
  public void keepRoom(float points) throws IOException {
    if (y - points < MARGIN) {
      newPage();
    }
  }

  public void wrapped(String text, float size) throws IOException {
    wrapped(text, size, 0);
  }

  /** Text in paragraphs (its own line breaks kept), wrapped to the width left after {@code indent}. */
  public void wrapped(String text, float size, float indent) throws IOException {
    for (String paragraph : text.split("\\R")) {
      for (String line : wrap(printable(paragraph), size, indent)) {
        line(line, size, indent);
      }
    }
  }

  public void line(String text, float size) throws IOException {
    line(text, size, 0);
  }

  private void line(String text, float size, float indent) throws IOException {
    float leading = size * 1.6f;
    if (y - leading < MARGIN) {
      newPage();
    }
    y -= leading;
    stream.beginText();
    stream.setFont(font, size);
    stream.newLineAtOffset(MARGIN + indent, y);
    stream.showText(printable(text));
    stream.endText();
  }

  /** A thin line across the page under a heading. */
  public void rule() throws IOException {
    y -= 4;
    stream.setLineWidth(0.8f);
    stream.moveTo(MARGIN, y);
    stream.lineTo(PDRectangle.A4.getWidth() - MARGIN, y);
    stream.stroke();
    y -= 2;
  }

  /** Japanese has no spaces to break at, so lines break at any character that would overflow. */
  private List<String> wrap(String text, float size, float indent) throws IOException {
    float max = PDRectangle.A4.getWidth() - 2 * MARGIN - indent;
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      String ch = new String(Character.toChars(cp));
      if (!line.isEmpty() && font.getStringWidth(line + ch) / 1000 * size > max) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(ch);
      i += Character.charCount(cp);
    }
    lines.add(line.toString());
    return lines;
  }

  /** Characters the font lacks (rare kanji variants, emoji) become 〓, the customary placeholder. */
  private String printable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().forEach(cp -> {
      String ch = Character.isISOControl(cp) ? " " : new String(Character.toChars(cp));
      try {
        font.encode(ch);
        out.append(ch);
      } catch (IOException | IllegalArgumentException e) {
        out.append('〓');
      }
    });
    return out.toString();
  }
}
